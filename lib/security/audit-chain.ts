/**
 * What a verification of the audit chain can find, in words the verify page, its toast and the tests
 * share. Positions (`#seq`) count entries in the organization's chain from 1; entry ids are the log's.
 */

/** The chain head as saved outside the database: its last position and that entry's HMAC. */
export type AuditAnchor = { seq: number; hmac: string };

export type ChainBreak =
  /** This entry's content, link or position doesn't verify: edited, or an entry before it removed or moved. */
  | { kind: "tampered"; id: number }
  /** This entry has waited for its link for over a minute: the chainer refused it (inserted behind the chain's back), or isn't running. */
  | { kind: "unlinked"; id: number }
  /** The chain ends before the anchor's position: entries at its end were removed. */
  | { kind: "truncated"; headSeq: number; anchorSeq: number }
  /** The entry at the anchor's position has another HMAC than the anchor: the chain was rewritten since. */
  | { kind: "anchor_mismatch"; seq: number; id: number };

export function chainBreakTitle(broken: ChainBreak): string {
  switch (broken.kind) {
    case "tampered":
      return `Broken at entry #${broken.id}: changed, removed or reordered`;
    case "unlinked":
      return `Broken: entry #${broken.id} has not been linked for over a minute`;
    case "truncated":
      return `Broken: the chain ends at #${broken.headSeq}, your anchor says #${broken.anchorSeq}`;
    case "anchor_mismatch":
      return `Broken: chain entry #${broken.seq} differs from your anchor`;
  }
}
