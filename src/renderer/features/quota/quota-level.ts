/** How close a resource is to its limit: calm, nearly used up, or at or over the limit. */
export type QuotaLevel = 'ok' | 'high' | 'full';

/** A resource's usage as the quota bar shows it. */
export interface QuotaMeasure {
  /** Share of the limit in use, in percent, not capped (an over-quota user can pass 100). */
  percent: number;
  /** Percent rounded down for display, so "100%" only appears once the limit is reached. */
  shownPercent: number;
  /** Width of the bar's fill, 0 to 100. */
  fillPercent: number;
  level: QuotaLevel;
}

/** Above this share the bar turns amber. */
export const highUsagePercent = 80;

/**
 * Measures usage against a limit. Null when there is no limit or a number is unusable (NaN,
 * infinite, negative limit), so the panel says so instead of drawing a misleading bar.
 */
export function measureQuota(used: number, limit: number | null): QuotaMeasure | null {
  if (limit === null || !Number.isFinite(used) || !Number.isFinite(limit) || limit < 0) return null;
  const safeUsed = Math.max(0, used);
  // A zero limit means "none allowed": any use at all is over it, and none is exactly at it.
  const percent = limit === 0 ? (safeUsed > 0 ? Infinity : 100) : (safeUsed / limit) * 100;
  const level: QuotaLevel = percent >= 100 ? 'full' : percent > highUsagePercent ? 'high' : 'ok';
  const shownPercent = Number.isFinite(percent) ? Math.floor(percent) : 100;
  return { percent, shownPercent, fillPercent: Math.min(100, percent), level };
}
