import { describe, expect, it } from "vitest";
import { approvalsUnder, approvalTimeBucket, APPROVAL_TIME_BUCKETS, confidenceDecile, LATENCY_BUCKETS, latencyBucket, medianLatencyMs, oneAt } from "./rollup-buckets";

const MIN = 60_000;

describe("latencyBucket", () => {
  it("puts each edge in the bucket above it", () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(MIN - 1)).toBe(0);
    expect(latencyBucket(MIN)).toBe(1);
    expect(latencyBucket(59 * MIN)).toBe(4);
    expect(latencyBucket(60 * MIN)).toBe(5);
    expect(latencyBucket(10 * 24 * 60 * MIN)).toBe(LATENCY_BUCKETS - 1);
  });
});

describe("confidenceDecile", () => {
  it("maps [0,1] onto ten deciles, 1.0 in the last", () => {
    expect([0, 0.09, 0.1, 0.55, 0.9, 0.99, 1].map(confidenceDecile)).toEqual([0, 0, 1, 5, 9, 9, 9]);
  });
});

describe("medianLatencyMs", () => {
  it("is null without decisions", () => {
    expect(medianLatencyMs(new Array(LATENCY_BUCKETS).fill(0))).toBeNull();
  });
  it("interpolates inside the middle bucket", () => {
    // 4 decisions in [1, 5) minutes: the middle (2nd of 4) is half-way through → 3 minutes.
    expect(medianLatencyMs(oneAt(LATENCY_BUCKETS, 1).map((v) => v * 4))).toBe(3 * MIN);
    // 1 in [0,1), 1 in [5,15): middle = 1 → end of the first bucket.
    const counts = new Array(LATENCY_BUCKETS).fill(0);
    counts[0] = 1;
    counts[2] = 1;
    expect(medianLatencyMs(counts)).toBe(MIN);
  });
  it("answers the lower edge of the open last bucket", () => {
    expect(medianLatencyMs(oneAt(LATENCY_BUCKETS, LATENCY_BUCKETS - 1))).toBe(4320 * MIN);
  });
});

describe("approvalTimeBucket", () => {
  it("puts each time below its upper edge, the edge itself in the next bucket, and no time in the first", () => {
    expect(approvalTimeBucket(0)).toBe(0);
    expect(approvalTimeBucket(1_999)).toBe(0);
    expect(approvalTimeBucket(2_000)).toBe(1);
    expect(approvalTimeBucket(4_999)).toBe(1);
    expect(approvalTimeBucket(5_000)).toBe(2);
    expect(approvalTimeBucket(29_999)).toBe(3);
    expect(approvalTimeBucket(30_000)).toBe(APPROVAL_TIME_BUCKETS - 1);
    expect(approvalTimeBucket(3_600_000)).toBe(APPROVAL_TIME_BUCKETS - 1);
    expect(approvalTimeBucket(null)).toBe(0);
  });
});

describe("approvalsUnder", () => {
  it("sums the buckets below an edge and refuses an edge it doesn't keep", () => {
    const counts = [3, 4, 5, 6, 7];
    expect(approvalsUnder(counts, 2_000)).toBe(3);
    expect(approvalsUnder(counts, 5_000)).toBe(7);
    expect(approvalsUnder(counts, 30_000)).toBe(18);
    expect(() => approvalsUnder(counts, 7_000)).toThrow(RangeError);
  });
});
