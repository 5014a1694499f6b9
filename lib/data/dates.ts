/** The UTC calendar day of an instant, as `YYYY-MM-DD`: the key of the daily rollups and of date ranges. */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);
