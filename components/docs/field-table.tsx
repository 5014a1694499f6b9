import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { FieldRow, ParameterRow, ResponseRow } from "@/lib/docs/openapi-view";
import { statusText } from "@/lib/docs/openapi-view";
import { InlineText } from "./inline-text";
import { StatusCode } from "./method-badge";

function Required({ required }: { required: boolean }) {
  return required ? <Badge variant="warning">required</Badge> : <span className="text-xs text-muted-foreground">optional</span>;
}

function Details({ constraints, description }: { constraints: string[]; description?: string }) {
  return (
    <div className="flex min-w-56 flex-col gap-1.5">
      {description ? (
        <p className="leading-relaxed text-pretty">
          <InlineText text={description} />
        </p>
      ) : null}
      {constraints.length > 0 ? (
        <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted-foreground">
          {constraints.map((c) => (
            <li key={c}>
              <InlineText text={c} />
            </li>
          ))}
        </ul>
      ) : null}
      {!description && constraints.length === 0 ? <span className="text-muted-foreground">—</span> : null}
    </div>
  );
}

/**
 * The scroll container is ours, not the Table's, so it can take focus: keyboard users can scroll a
 * table that is wider than a phone.
 */
export function ScrollTable({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="overflow-x-auto rounded-lg border bg-card focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
      {children}
    </div>
  );
}

const frame = "overflow-visible";

/** A schema's properties: nested fields follow their parent, indented, with their dotted path. */
const linkClass = "text-primary underline-offset-4 hover:underline focus-visible:rounded-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none";

/** A type label, linked when it names a documented schema (`Review`, `Review[]`, `Review | null`). */
function TypeLabel({ type, typeHref }: { type: string; typeHref?: (name: string) => string | undefined }) {
  const name = type.replace(/\[\]$|\s\|\s*null$/g, "");
  const href = typeHref?.(name);
  if (!href) return <>{type}</>;
  return (
    <>
      <a href={href} className={linkClass}>
        {name}
      </a>
      {type.slice(name.length)}
    </>
  );
}

export function FieldTable({ rows, caption, presence = "Required", typeHref }: { rows: FieldRow[]; caption: string; presence?: string; typeHref?: (name: string) => string | undefined }) {
  return (
    <ScrollTable label={caption}>
      <Table containerClassName={frame}>
        <caption className="sr-only">{caption}</caption>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Field</TableHead>
            <TableHead>Type</TableHead>
            <TableHead>{presence}</TableHead>
            <TableHead className="w-full">Description and constraints</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => {
            const parent = row.path.slice(0, row.path.length - row.name.length);
            return (
              <TableRow key={row.path} className="align-top">
                <TableHead scope="row" className="h-auto py-3 align-top font-mono text-[13px] font-normal tracking-normal text-foreground normal-case">
                  <span style={{ paddingLeft: `${row.depth * 0.75}rem` }} className="inline-block">
                    {parent ? <span className="text-muted-foreground">{parent}</span> : null}
                    <span className="font-semibold">{row.name}</span>
                  </span>
                </TableHead>
                <TableCell className="align-top font-mono text-xs whitespace-nowrap text-muted-foreground">
                  <TypeLabel type={row.type} typeHref={typeHref} />
                </TableCell>
                <TableCell className="align-top">
                  <Required required={row.required} />
                </TableCell>
                <TableCell className="align-top">
                  <Details constraints={row.constraints} description={row.description} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </ScrollTable>
  );
}

export function ParameterTable({ rows, caption }: { rows: ParameterRow[]; caption: string }) {
  return (
    <ScrollTable label={caption}>
      <Table containerClassName={frame}>
        <caption className="sr-only">{caption}</caption>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Name</TableHead>
            <TableHead>In</TableHead>
            <TableHead>Type</TableHead>
            <TableHead>Required</TableHead>
            <TableHead className="w-full">Description</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((p) => (
            <TableRow key={`${p.in}:${p.name}`} className="align-top">
              <TableHead scope="row" className="h-auto py-3 align-top font-mono text-[13px] font-semibold tracking-normal whitespace-nowrap text-foreground normal-case">
                {p.name}
              </TableHead>
              <TableCell className="align-top text-xs text-muted-foreground">{p.in}</TableCell>
              <TableCell className="align-top font-mono text-xs whitespace-nowrap text-muted-foreground">{p.type}</TableCell>
              <TableCell className="align-top">
                <Required required={p.required} />
              </TableCell>
              <TableCell className="align-top">
                <Details constraints={p.constraints} description={p.description} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ScrollTable>
  );
}

export function ResponseTable({ rows, caption, schemaHref }: { rows: ResponseRow[]; caption: string; schemaHref: (name: string) => string | undefined }) {
  return (
    <ScrollTable label={caption}>
      <Table containerClassName={frame}>
        <caption className="sr-only">{caption}</caption>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Status</TableHead>
            <TableHead className="w-full">Meaning</TableHead>
            <TableHead>Body</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => {
            const href = r.schemaName ? schemaHref(r.schemaName) : undefined;
            return (
              <TableRow key={r.status} className="align-top">
                <TableHead scope="row" className="h-auto py-3 align-top tracking-normal whitespace-nowrap normal-case">
                  <StatusCode status={r.status} /> <span className="text-xs font-normal text-muted-foreground">{statusText(r.status)}</span>
                </TableHead>
                <TableCell className="align-top leading-relaxed">
                  <InlineText text={r.description} />
                </TableCell>
                <TableCell className="align-top font-mono text-xs whitespace-nowrap">
                  {href ? (
                    <a href={href} className="text-primary underline-offset-4 hover:underline focus-visible:rounded-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
                      {r.schemaName}
                    </a>
                  ) : (
                    <span className="text-muted-foreground">{r.schemaLabel ?? "—"}</span>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </ScrollTable>
  );
}
