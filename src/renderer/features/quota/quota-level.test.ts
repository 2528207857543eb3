import { describe, expect, it } from 'vitest';
import { measureQuota } from './quota-level';

describe('measureQuota', () => {
  it('stays calm at or below 80 percent', () => {
    expect(measureQuota(8, 10)).toEqual({
      percent: 80,
      shownPercent: 80,
      fillPercent: 80,
      level: 'ok',
    });
    expect(measureQuota(0, 10)?.level).toBe('ok');
  });

  it('turns amber just above 80 percent', () => {
    expect(measureQuota(81, 100)).toEqual({
      percent: 81,
      shownPercent: 81,
      fillPercent: 81,
      level: 'high',
    });
  });

  it('turns red at exactly the limit', () => {
    expect(measureQuota(32, 32)).toEqual({
      percent: 100,
      shownPercent: 100,
      fillPercent: 100,
      level: 'full',
    });
  });

  it('rounds the shown percent down so 100% is never shown before the limit is reached', () => {
    const measure = measureQuota(99.6, 100);
    expect(measure?.shownPercent).toBe(99);
    expect(measure?.level).toBe('high');
  });

  it('reports usage over the limit without overflowing the bar', () => {
    expect(measureQuota(150, 100)).toEqual({
      percent: 150,
      shownPercent: 150,
      fillPercent: 100,
      level: 'full',
    });
  });

  it('treats a zero limit as full when anything is used and as exactly reached when nothing is', () => {
    expect(measureQuota(1, 0)).toEqual({
      percent: Infinity,
      shownPercent: 100,
      fillPercent: 100,
      level: 'full',
    });
    expect(measureQuota(0, 0)?.level).toBe('full');
  });

  it('has no measure for a resource without a limit', () => {
    expect(measureQuota(5, null)).toBeNull();
  });

  it('has no measure for unusable numbers', () => {
    expect(measureQuota(Number.NaN, 10)).toBeNull();
    expect(measureQuota(5, Number.POSITIVE_INFINITY)).toBeNull();
    expect(measureQuota(5, -1)).toBeNull();
  });
});
