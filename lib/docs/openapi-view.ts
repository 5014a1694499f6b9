/**
 * Pure readers of the OpenAPI document for the docs page: operations, parameters, responses and field
 * tables come from the generated contract, so the page can't drift from what the server enforces.
 * Loosely typed on purpose — they read whatever `openApiDocument()` returns.
 */

export type JsonSchema = {
  $ref?: string;
  type?: string | readonly string[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  enum?: readonly unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  example?: unknown;
  description?: string;
};

type Parameter = { $ref?: string; name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema };
type Content = Record<string, { schema?: JsonSchema }>;
type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: readonly Parameter[];
  requestBody?: { required?: boolean; description?: string; content?: Content };
  responses?: Record<string, { description?: string; content?: Content }>;
};

export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: readonly { url: string }[];
  paths: Record<string, Partial<Record<string, Operation>>>;
  webhooks?: Record<string, Partial<Record<string, Operation>>>;
  components?: { schemas?: Record<string, JsonSchema>; securitySchemes?: Record<string, { type: string; scheme?: string; description?: string }> };
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
export type HttpMethod = (typeof METHODS)[number];

/** The name a `#/components/schemas/X` reference points at. */
export function refName(ref: string | undefined): string | undefined {
  return ref?.startsWith("#/components/schemas/") ? ref.slice("#/components/schemas/".length) : undefined;
}

export function resolveSchema(doc: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema | undefined {
  const name = refName(schema?.$ref);
  return name ? doc.components?.schemas?.[name] : schema;
}

export function anchorOf(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const number = (n: number) => n.toLocaleString("en-US");
const code = (v: unknown) => `\`${typeof v === "string" ? v : JSON.stringify(v)}\``;

/** Splits off `null` from a nullable schema (`type: [T, "null"]` or `anyOf: [T, {type: "null"}]`). */
function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const rest = branches.filter((b) => b.type !== "null");
    if (rest.length === 1 && rest.length < branches.length) return { schema: { ...rest[0], description: schema.description ?? rest[0].description }, nullable: true };
  }
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    const types = schema.type.filter((t) => t !== "null");
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { schema, nullable: false };
}

/** A short type label: `string`, `integer`, `object`, `string[]`, `Review`, `string | number`. */
export function typeLabel(schema: JsonSchema): string {
  const name = refName(schema.$ref);
  if (name) return name;
  const { schema: inner, nullable } = unwrapNullable(schema);
  let label: string;
  if (inner !== schema) label = typeLabel(inner);
  else if (inner.anyOf ?? inner.oneOf) label = (inner.anyOf ?? inner.oneOf)!.map(typeLabel).join(" | ");
  else if (inner.type === "array" || inner.items) label = `${inner.items ? typeLabel(inner.items) : "any"}[]`;
  else if (Array.isArray(inner.type)) label = inner.type.join(" | ");
  else if (typeof inner.type === "string") label = inner.type;
  else if (inner.properties) label = "object";
  else label = "any";
  return nullable ? `${label} | null` : label;
}

/** Human-readable constraints, with values in backticks (the page renders them as code). */
export function constraintsOf(schema: JsonSchema): string[] {
  const { schema: s } = unwrapNullable(schema);
  const out: string[] = [];
  const values = s.enum ?? (s.items?.enum ? s.items.enum : undefined);
  if (values) out.push(`${s.items?.enum && !s.enum ? "Each one of" : "One of"} ${values.map(code).join(", ")}`);
  if (s.const !== undefined) out.push(`Always ${code(s.const)}`);
  if (s.format) out.push(`Format: ${s.format === "uri" ? "http(s) URL" : s.format === "date-time" ? "ISO 8601 date-time (UTC)" : s.format}`);
  else if (s.pattern) out.push(`Pattern ${code(s.pattern)}`);
  const isText = s.type === "string";
  const unit = isText ? "characters" : "items";
  const [lo, hi] = isText ? [s.minLength, s.maxLength] : [s.minItems, s.maxItems];
  if (lo !== undefined && hi !== undefined) out.push(`${number(lo)}–${number(hi)} ${unit}`);
  else if (hi !== undefined) out.push(`At most ${number(hi)} ${unit}`);
  else if (lo !== undefined && lo > 0) out.push(`At least ${number(lo)} ${lo === 1 ? unit.slice(0, -1) : unit}`);
  const min = s.minimum ?? s.exclusiveMinimum;
  const max = s.maximum ?? s.exclusiveMaximum;
  const ge = s.exclusiveMinimum !== undefined ? ">" : "≥";
  const le = s.exclusiveMaximum !== undefined ? "<" : "≤";
  if (min !== undefined && max !== undefined) out.push(`${number(min)} ${le === "≤" && ge === "≥" ? "to" : "…"} ${number(max)}`);
  else if (min !== undefined) out.push(`${ge} ${number(min)}`);
  else if (max !== undefined) out.push(`${le} ${number(max)}`);
  if (s.default !== undefined) out.push(`Default ${code(s.default)}`);
  if (s.example !== undefined) out.push(`e.g. ${code(s.example)}`);
  if (s.additionalProperties === false && s.properties) out.push("No other fields");
  if (isFreeformObject(s)) out.push("Any JSON object");
  return out;
}

function isFreeformObject(s: JsonSchema): boolean {
  return s.type === "object" && !s.properties && s.additionalProperties !== false;
}

export type FieldRow = {
  /** Dotted path from the schema's root, e.g. `amount.currency`. */
  path: string;
  name: string;
  depth: number;
  type: string;
  required: boolean;
  constraints: string[];
  description?: string;
};

/** One row per property, nested objects expanded (their rows follow, with dotted paths) up to `maxDepth`. */
export function fieldRows(doc: OpenApiDocument, schema: JsonSchema | undefined, options: { maxDepth?: number } = {}): FieldRow[] {
  const maxDepth = options.maxDepth ?? 2;
  const rows: FieldRow[] = [];
  const walk = (node: JsonSchema | undefined, prefix: string, depth: number) => {
    const resolved = resolveSchema(doc, node);
    if (!resolved?.properties) return;
    const required = new Set(resolved.required ?? []);
    for (const [name, raw] of Object.entries(resolved.properties)) {
      const path = prefix ? `${prefix}.${name}` : name;
      const { schema: inner } = unwrapNullable(resolveSchema(doc, raw) ?? raw);
      rows.push({ path, name, depth, type: typeLabel(raw), required: required.has(name), constraints: constraintsOf(raw), description: raw.description ?? inner.description });
      // A named schema is documented on its own (its type label says which); inline objects, and arrays of them, unfold here.
      const named = Boolean(raw.$ref ?? unwrapNullable(raw).schema.$ref);
      if (depth >= maxDepth || named) continue;
      if (inner.properties) walk(inner, path, depth + 1);
      else if (inner.items?.properties) walk(inner.items, `${path}[]`, depth + 1);
    }
  };
  walk(schema, "", 0);
  return rows;
}

export type ParameterRow = { name: string; in: string; type: string; required: boolean; constraints: string[]; description?: string };
export type ResponseRow = { status: string; description: string; contentType?: string; schemaName?: string; schemaLabel?: string; schema?: JsonSchema };
export type OperationView = {
  anchor: string;
  operationId: string;
  method: HttpMethod;
  path: string;
  summary: string;
  description?: string;
  parameters: ParameterRow[];
  requestBody?: { required: boolean; contentType: string; schema?: JsonSchema; schemaName?: string };
  responses: ResponseRow[];
};

function firstContent(content: Content | undefined): { contentType: string; schema?: JsonSchema } | undefined {
  const [entry] = Object.entries(content ?? {});
  return entry ? { contentType: entry[0], schema: entry[1].schema } : undefined;
}

/** Every operation under `paths` (or `webhooks`), in document order, with parameters and responses read out. */
export function operationsOf(doc: OpenApiDocument, from: "paths" | "webhooks" = "paths"): OperationView[] {
  const out: OperationView[] = [];
  for (const [path, item] of Object.entries(doc[from] ?? {})) {
    // In the document's own order, so the reference reads as the contract's authors arranged it.
    for (const method of Object.keys(item).filter((m): m is HttpMethod => (METHODS as readonly string[]).includes(m))) {
      const op = item[method];
      if (!op) continue;
      const operationId = op.operationId ?? `${method}-${path}`;
      const body = firstContent(op.requestBody?.content);
      out.push({
        anchor: anchorOf(from === "webhooks" ? `webhook-${path}` : operationId),
        operationId,
        method,
        path,
        summary: op.summary ?? `${method.toUpperCase()} ${path}`,
        description: op.description,
        parameters: (op.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          type: p.schema ? typeLabel(p.schema) : "string",
          required: Boolean(p.required),
          constraints: p.schema ? constraintsOf(p.schema) : [],
          description: p.description ?? p.schema?.description,
        })),
        requestBody: op.requestBody && body ? { required: Boolean(op.requestBody.required), contentType: body.contentType, schema: body.schema, schemaName: refName(body.schema?.$ref) } : undefined,
        responses: Object.entries(op.responses ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([status, response]) => {
            const content = firstContent(response.content);
            return {
              status,
              description: response.description ?? "",
              contentType: content?.contentType,
              schemaName: refName(content?.schema?.$ref),
              schemaLabel: content?.schema ? typeLabel(content.schema) : undefined,
              schema: content?.schema,
            };
          }),
      });
    }
  }
  return out;
}

/** The shell variable a path parameter becomes in examples: `/reviews/{id}` → `$REVIEW_ID`. */
export function pathVariable(path: string, name: string): string {
  const segments = path.split("/").filter(Boolean);
  const at = segments.indexOf(`{${name}}`);
  const owner = at > 0 ? segments[at - 1].replace(/-/g, "_").replace(/s$/, "") : "";
  const upper = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
  return `$${name === "id" && owner ? `${upper(owner)}_ID` : upper(name)}`;
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A copy-pasteable curl command using `$COUNTERSIGN_URL` and `$COUNTERSIGN_API_KEY`. */
export function curlFor(params: {
  method: HttpMethod;
  path: string;
  serverUrl?: string;
  query?: Record<string, string | number>;
  body?: unknown;
  headers?: Record<string, string>;
}): string {
  const path = params.path.replace(/\{(\w+)\}/g, (_, name: string) => pathVariable(params.path, name));
  const query = Object.entries(params.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
  const url = `$COUNTERSIGN_URL${params.serverUrl ?? ""}${path}${query ? `?${query}` : ""}`;
  const lines = [`curl -sS${params.method === "get" ? "" : ` -X ${params.method.toUpperCase()}`} "${url}"`, `-H "Authorization: Bearer $COUNTERSIGN_API_KEY"`];
  if (params.body !== undefined) lines.push(`-H "Content-Type: application/json"`);
  for (const [name, value] of Object.entries(params.headers ?? {})) lines.push(`-H "${name}: ${value}"`);
  if (params.body !== undefined) lines.push(`-d ${shellQuote(JSON.stringify(params.body, null, 2))}`);
  return lines.join(" \\\n  ");
}

const STATUS_TEXT: Record<string, string> = {
  "200": "OK",
  "201": "Created",
  "2XX": "Success",
  "400": "Bad Request",
  "401": "Unauthorized",
  "403": "Forbidden",
  "404": "Not Found",
  "409": "Conflict",
  "413": "Content Too Large",
  "415": "Unsupported Media Type",
  "422": "Unprocessable Content",
  "429": "Too Many Requests",
  "500": "Internal Server Error",
  "503": "Service Unavailable",
};

export function statusText(status: string): string {
  return STATUS_TEXT[status] ?? "";
}
