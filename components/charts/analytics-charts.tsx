"use client";

import { Area, Bar, BarChart, CartesianGrid, Cell, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartCard } from "./chart-card";
import { chartColors, percent } from "./colors";

export type AcceptancePoint = { day: string; acceptance: number | null; band: [number, number] | null; decided: number };
export type OutcomePoint = { day: string; approved: number; edited: number; rejected: number; autoApproved: number; expired: number };
export type CalibrationPoint = { bucket: string; from: number; acceptance: number | null; decided: number; belowTarget?: boolean };
export type LatencyPoint = { bucket: string; decisions: number };

const axis = { stroke: chartColors.axis, fontSize: 12, tickLine: false };
const tooltipStyle = { contentStyle: { background: "var(--color-popover)", border: "1px solid var(--color-border)", borderRadius: 8, fontSize: 12 }, labelStyle: { color: "var(--color-foreground)" } };
const shortDay = (day: string) => day.slice(5);

/** Acceptance per week with its 95% interval as a band, and the target as a line. */
export function AcceptanceChart({ data, target }: { data: AcceptancePoint[]; target: number }) {
  const withData = data.filter((d) => d.acceptance !== null);
  return (
    <ChartCard
      testId="chart-acceptance"
      title="Acceptance over time"
      description={`Approved unchanged ÷ decided by a person, per full week, with the 95% interval; the dashed line is the ${percent(target)} target. The current week is left out until it ends.`}
      data={withData}
      empty="No human decisions in this period yet."
      columns={[
        { key: "day", label: "Week of" },
        { key: "acceptance", label: "Acceptance", format: percent },
        { key: "band", label: "95% interval", format: (b) => (Array.isArray(b) ? `${percent(b[0])}–${percent(b[1])}` : "—") },
        { key: "decided", label: "Decided" },
      ]}
    >
      <ResponsiveContainer>
        <ComposedChart accessibilityLayer={false} data={withData} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={chartColors.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} {...axis} />
          <YAxis domain={[(min: number) => Math.max(0, Math.floor(min * 20) / 20), 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={48} {...axis} label={{ value: "Acceptance (%)", angle: -90, position: "insideLeft", fill: chartColors.axis, fontSize: 11, dy: 40 }} />
          <Tooltip {...tooltipStyle} formatter={(v, name) => (Array.isArray(v) ? [`${percent(v[0])}–${percent(v[1])}`, "95% interval"] : [percent(v), String(name)])} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area dataKey="band" name="95% interval" fill={chartColors.band} fillOpacity={0.15} stroke="none" isAnimationActive={false} />
          <Line dataKey="acceptance" name="Acceptance" stroke={chartColors.line} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
          <ReferenceLine y={target} stroke={chartColors.rejected} strokeDasharray="6 4" label={{ value: `Target ${percent(target)}`, position: "insideBottomRight", fill: chartColors.axis, fontSize: 11 }} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/** Decisions per day, stacked by outcome. */
export function OutcomesChart({ data }: { data: OutcomePoint[] }) {
  const series = [
    { key: "approved", name: "Approved", color: chartColors.approved },
    { key: "edited", name: "Edited", color: chartColors.edited },
    { key: "rejected", name: "Rejected", color: chartColors.rejected },
    { key: "autoApproved", name: "Auto-approved", color: chartColors.autoApproved },
    { key: "expired", name: "Expired", color: chartColors.expired },
  ] as const;
  return (
    <ChartCard
      testId="chart-outcomes"
      title="Decisions per day"
      description="Items decided each day (UTC), stacked by outcome."
      data={data}
      empty="Nothing was decided in this period."
      columns={[{ key: "day", label: "Day" }, ...series.map((s) => ({ key: s.key, label: s.name }))]}
    >
      <ResponsiveContainer>
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={chartColors.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} {...axis} />
          <YAxis allowDecimals={false} width={48} {...axis} label={{ value: "Items", angle: -90, position: "insideLeft", fill: chartColors.axis, fontSize: 11, dy: 20 }} />
          <Tooltip {...tooltipStyle} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="outcomes" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/**
 * Calibration: decisions per confidence bucket as bars (buckets whose acceptance is below the target in
 * the rejection colour), acceptance as a line on an axis zoomed to the data and the target, the target
 * and the suggested threshold as reference lines whose labels sit apart (target at the right, inside;
 * suggested above the plot).
 */
export function CalibrationChart({ data, threshold, target, caption }: { data: CalibrationPoint[]; threshold: number | null; target: number; caption: string }) {
  const withData = data.filter((d) => d.decided > 0);
  const lowest = Math.min(target, ...withData.map((d) => d.acceptance ?? 1));
  const floor = Math.max(0, Math.floor((lowest - 0.02) * 20) / 20);
  // Whole-percent ticks: every 5 points, or every 10 on a wide axis.
  const step = 1 - floor > 0.3 ? 0.1 : 0.05;
  const ticks = Array.from({ length: Math.round((1 - floor) / step) + 1 }, (_, i) => Math.round((floor + i * step) * 100) / 100);
  return (
    <ChartCard
      testId="chart-calibration"
      title="Calibration"
      description={caption}
      data={withData}
      empty="No decided items carried a confidence in this period."
      columns={[
        { key: "bucket", label: "Confidence" },
        { key: "decided", label: "Decided" },
        { key: "acceptance", label: "Acceptance", format: percent },
        { key: "belowTarget", label: "Below target", format: (v) => (v ? "yes" : "no") },
      ]}
    >
      <ResponsiveContainer>
        <ComposedChart accessibilityLayer={false} data={withData} margin={{ top: 24, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={chartColors.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bucket" {...axis} label={{ value: "Agent confidence", position: "insideBottom", fill: chartColors.axis, fontSize: 11, dy: 10 }} height={40} />
          <YAxis yAxisId="count" orientation="right" allowDecimals={false} width={44} {...axis} />
          <YAxis yAxisId="share" domain={[floor, 1]} ticks={ticks} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={48} {...axis} />
          <Tooltip {...tooltipStyle} formatter={(v, name) => (name === "Acceptance" ? [percent(v), "Acceptance"] : [String(v), String(name)])} />
          <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 8 }} />
          <Bar yAxisId="count" dataKey="decided" name="Decisions" fill={chartColors.autoApproved} fillOpacity={0.55} isAnimationActive={false}>
            {withData.map((d) => (
              <Cell key={d.bucket} fill={d.belowTarget ? chartColors.rejected : chartColors.autoApproved} />
            ))}
          </Bar>
          <Line yAxisId="share" dataKey="acceptance" name="Acceptance" stroke={chartColors.line} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
          <ReferenceLine yAxisId="share" y={target} stroke={chartColors.rejected} strokeDasharray="6 4" label={{ value: `Target ${percent(target)}`, position: "insideBottomLeft", fill: chartColors.axis, fontSize: 11 }} />
          {threshold !== null ? (
            <ReferenceLine
              yAxisId="share"
              x={withData.find((d) => d.from >= threshold - 1e-9)?.bucket}
              stroke={chartColors.approved}
              strokeWidth={2}
              label={{ value: `Suggested ≥ ${threshold.toFixed(1)}`, position: "top", fill: chartColors.axis, fontSize: 11 }}
            />
          ) : null}
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/** How long items waited for a person's decision. */
export function LatencyChart({ data, median }: { data: LatencyPoint[]; median: string }) {
  const total = data.reduce((n, d) => n + d.decisions, 0);
  return (
    <ChartCard
      testId="chart-latency"
      title="Time to decision"
      description={`From arrival to a person's decision; median ${median}.`}
      data={total === 0 ? [] : data}
      empty="No human decisions in this period."
      columns={[
        { key: "bucket", label: "Waited" },
        { key: "decisions", label: "Decisions" },
      ]}
    >
      <ResponsiveContainer>
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={chartColors.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bucket" {...axis} />
          <YAxis allowDecimals={false} width={48} {...axis} label={{ value: "Decisions", angle: -90, position: "insideLeft", fill: chartColors.axis, fontSize: 11, dy: 30 }} />
          <Tooltip {...tooltipStyle} />
          <Bar dataKey="decisions" name="Decisions" fill={chartColors.line} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
