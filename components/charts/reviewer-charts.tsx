"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartCard } from "./chart-card";
import { chartColors, seriesPalette } from "./colors";

const axis = { stroke: chartColors.axis, fontSize: 12, tickLine: false };
const tooltipStyle = { contentStyle: { background: "var(--color-popover)", border: "1px solid var(--color-border)", borderRadius: 8, fontSize: 12 }, labelStyle: { color: "var(--color-foreground)" } };

/** Decisions per day, stacked by reviewer (the busiest by name, the rest as "Others"). */
export function ReviewerThroughputChart({ series, points }: { series: string[]; points: Record<string, number | string>[] }) {
  const any = points.some((p) => series.some((s) => (p[s] as number) > 0));
  return (
    <ChartCard
      testId="chart-reviewer-throughput"
      title="Reviewer throughput"
      description="Decisions each person made per day (UTC), stacked; audit reviews and first approvals of two-person items included."
      data={any ? points : []}
      empty="Nobody decided anything in this period."
      columns={[{ key: "day", label: "Day" }, ...series.map((s) => ({ key: s, label: s }))]}
    >
      <ResponsiveContainer>
        <BarChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={chartColors.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} {...axis} />
          <YAxis allowDecimals={false} width={48} {...axis} label={{ value: "Decisions", angle: -90, position: "insideLeft", fill: chartColors.axis, fontSize: 11, dy: 30 }} />
          <Tooltip {...tooltipStyle} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s, i) => (
            <Bar key={s} dataKey={s} name={s} stackId="reviewers" fill={s === "Others" ? seriesPalette[seriesPalette.length - 1] : seriesPalette[i % (seriesPalette.length - 1)]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
