import { describe, expect, it } from 'vitest';
import { quotaExceededError } from './approve';
import { backupCountDecision } from './backup-limit';

describe('backupCountDecision', () => {
  it('approves one more backup while the count has room', () => {
    const decision = backupCountDecision(3, 2, 1);

    expect(decision.approved).toBe(true);
    expect(decision.items.map((item) => item.reason)).toEqual(['2 in use + 1 = 3 of 3; 0 left']);
  });

  it('refuses a backup past the count with the wording every refusal uses', () => {
    const decision = backupCountDecision(3, 3, 1);

    expect(decision.approved).toBe(false);
    expect(quotaExceededError(decision).message).toBe(
      'Not enough quota for this change. Backups: asks for 1, 0 left of 3 (1 short). Free some resources or ask the lab admin for a larger quota.',
    );
  });

  it('says the policy gives none when the limit is 0, and passes any count without a limit', () => {
    expect(quotaExceededError(backupCountDecision(0, 0, 1)).message).toContain(
      'Backups: asks for 1, and the quota policy gives you none',
    );
    expect(backupCountDecision(null, 500, 1).approved).toBe(true);
  });

  it('lets a deletion through even for a user over the count', () => {
    expect(backupCountDecision(2, 5, -1).approved).toBe(true);
  });

  it.each([
    ['a NaN count', 2, Number.NaN, 1],
    ['a negative count', 2, -1, 1],
    ['a fractional request', 2, 0, 0.5],
    ['a negative limit', -1, 0, 1],
  ])('refuses %s as an internal error', (_name, max, used, requested) => {
    expect(() => backupCountDecision(max, used, requested)).toThrow(/whole number/);
  });
});
