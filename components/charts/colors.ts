/** Chart colours from the theme's CSS variables, so charts follow light and dark mode. */
export const chartColors = {
  approved: "var(--color-success)",
  edited: "var(--color-warning)",
  rejected: "var(--color-destructive)",
  autoApproved: "var(--color-primary)",
  expired: "var(--color-muted-foreground)",
  line: "var(--color-primary)",
  band: "var(--color-primary)",
  grid: "var(--color-border)",
  axis: "var(--color-muted-foreground)",
} as const;

/** Distinct colours for series that aren't outcomes (one per reviewer), readable in both themes; the last is for "Others". */
export const seriesPalette = ["#2563eb", "#16a34a", "#d97706", "#db2777", "#7c3aed", "#0891b2", "#64748b"] as const;

export const percent = (v: unknown) => (typeof v === "number" ? `${(v * 100).toFixed(1)}%` : "—");
