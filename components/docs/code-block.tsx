import { Fragment } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { cn } from "@/lib/ui/cn";

type Language = "bash" | "json" | "http" | "ts" | "text";

/** JSON keys, strings, numbers and literals, coloured with the theme's tokens. */
function highlightJson(code: string): React.ReactNode[] {
  const token = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\b|\b(true|false|null)\b/g;
  const out: React.ReactNode[] = [];
  let last = 0;
  for (const m of code.matchAll(token)) {
    out.push(code.slice(last, m.index));
    if (m[1] && m[2]) out.push(<span key={m.index} className="text-primary">{m[1]}</span>, m[2]);
    else if (m[1]) out.push(<span key={m.index} className="text-success">{m[1]}</span>);
    else if (m[3]) out.push(<span key={m.index} className="text-warning">{m[3]}</span>);
    else out.push(<span key={m.index} className="text-destructive">{m[4]}</span>);
    last = m.index + m[0].length;
  }
  out.push(code.slice(last));
  return out;
}

/** Minimal, dependency-free highlighting: JSON bodies; shell variables and comments. */
function highlight(code: string, language: Language): React.ReactNode {
  if (language === "json") return highlightJson(code);
  if (language === "http") {
    // The status line and headers stay plain; the body after the blank line is JSON.
    const split = code.indexOf("\n\n");
    return split < 0 ? code : [code.slice(0, split + 2), ...highlightJson(code.slice(split + 2))];
  }
  if (language === "bash") {
    return code.split(/(\$[A-Z_][A-Z0-9_]*|^#.*$)/gm).map((part, i) =>
      part.startsWith("$") ? (
        <span key={i} className="text-primary">{part}</span>
      ) : part.startsWith("#") ? (
        <span key={i} className="text-muted-foreground">{part}</span>
      ) : (
        <Fragment key={i}>{part}</Fragment>
      ),
    );
  }
  return code;
}

export function CodeBlock({ code, language = "text", title, copy = true, className }: { code: string; language?: Language; title?: string; copy?: boolean; className?: string }) {
  const label = title ?? (language === "bash" ? "Shell" : language === "json" ? "JSON" : language === "ts" ? "TypeScript" : language === "http" ? "HTTP" : "Code");
  return (
    <figure className={cn("overflow-hidden rounded-lg border bg-muted/40", className)}>
      <figcaption className="flex items-center justify-between gap-2 border-b bg-muted/60 px-3 py-1.5">
        <span className="text-xs font-medium text-muted-foreground">{label}</span>
        {copy ? <CopyButton value={code} label="Copy" variant="ghost" className="h-7 px-2" aria-label={`Copy ${label.toLowerCase()}`} /> : null}
      </figcaption>
      <pre tabIndex={0} aria-label={label} className="overflow-x-auto p-4 font-mono text-[13px] leading-relaxed text-foreground focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring">
        <code>{highlight(code, language)}</code>
      </pre>
    </figure>
  );
}
