import { BarChart3 } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

export type DataColumn<T> = { key: keyof T & string; label: string; format?: (value: T[keyof T]) => string };

/**
 * A chart with its title, what it shows, an empty state, and the same numbers as a table one click
 * away — so the chart is understandable without colour, and readable by a screen reader.
 */
export function ChartCard<T extends Record<string, unknown>>({
  title,
  description,
  data,
  columns,
  empty,
  children,
  testId,
}: {
  title: string;
  description: string;
  data: T[];
  columns: DataColumn<T>[];
  empty: string;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <Card data-testid={testId}>
      <CardHeader>
        <CardTitle className="text-base">{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        {data.length === 0 ? (
          <div className="flex h-56 flex-col items-center justify-center gap-2 rounded-lg border border-dashed text-sm text-muted-foreground">
            <BarChart3 className="size-6" aria-hidden />
            {empty}
          </div>
        ) : (
          <>
            <div className="h-64 w-full" aria-hidden>
              {children}
            </div>
            <details className="text-sm">
              <summary className="cursor-pointer text-muted-foreground hover:text-foreground">Show the numbers</summary>
              <div className="mt-2 max-h-64 overflow-auto" tabIndex={0} role="region" aria-label={`${title}: the numbers`}>
                <table className="w-full text-left text-xs">
                  <caption className="sr-only">{title}</caption>
                  <thead>
                    <tr>
                      {columns.map((c) => (
                        <th key={c.key} className="py-1 pr-3 font-medium text-muted-foreground">
                          {c.label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {data.map((row, i) => (
                      <tr key={i} className="border-t">
                        {columns.map((c) => (
                          <td key={c.key} className="py-1 pr-3 tabular-nums">
                            {c.format ? c.format(row[c.key]) : String(row[c.key] ?? "—")}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </>
        )}
      </CardContent>
    </Card>
  );
}
