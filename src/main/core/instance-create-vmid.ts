import { AppError } from '../../shared/errors';
import type { PveApi } from '../pve/api';
import { isVmidAllowed, type UserLimits, type VmidRange } from '../quota/limits';

// Choosing the id of a new guest. PVE's `GET /cluster/nextid` without an id answers the lowest
// free id of the whole cluster, which is usually outside the user's range; with `vmid` it checks
// that one id against every guest, including those the user cannot see. So candidates come from
// the user's range, minus the ids the user can see taken, and PVE confirms one at a time.

/** How many candidate ids are offered to PVE before giving up. */
export const maxVmidAttempts = 16;

/** The lowest id PVE accepts. */
const firstVmid = 100;

/** Up to `count` ids from the ranges (ascending, any id from 100 when null) not in `taken`. */
export function vmidCandidates(
  ranges: readonly VmidRange[] | null,
  taken: ReadonlySet<number>,
  count: number,
): number[] {
  const sorted = [...(ranges ?? [{ min: firstVmid, max: 999_999_999 }])].sort(
    (a, b) => a.min - b.min,
  );
  const result: number[] = [];
  let next = firstVmid;
  for (const range of sorted) {
    // Overlapping ranges: never offer an id twice.
    for (let id = Math.max(range.min, next); id <= range.max; id += 1) {
      if (result.length >= count) return result;
      next = id + 1;
      if (!taken.has(id)) result.push(id);
    }
  }
  return result;
}

function rangeText(limits: UserLimits): string {
  if (limits.vmidRanges === null) return 'any id';
  return limits.vmidRanges.map((r) => `${r.min}-${r.max}`).join(', ');
}

/** Throws QUOTA_EXCEEDED for an id outside the user's ranges. */
export function requireVmidInRange(limits: UserLimits, vmid: number): void {
  if (isVmidAllowed(limits, vmid)) return;
  throw new AppError(
    'QUOTA_EXCEEDED',
    `Guest id ${vmid} is outside your range (${rangeText(limits)}).`,
    { fields: { vmid: `outside ${rangeText(limits)}` } },
  );
}

/** Whether PVE refused a `nextid` check because the id is in use. */
function isTaken(error: unknown): boolean {
  return (
    error instanceof AppError &&
    error.code === 'PVE_VALIDATION' &&
    error.details?.fields?.vmid !== undefined
  );
}

/** The CONFLICT for a requested id that a guest already has. */
export function takenVmidError(vmid: number): AppError {
  return new AppError('CONFLICT', `Guest id ${vmid} is already in use; choose another.`, {
    fields: { vmid: 'already in use' },
  });
}

/**
 * The id for a new guest: the requested one, checked to be in the user's range and free, or the
 * first id of the range that PVE confirms free, trying at most `maxVmidAttempts` candidates.
 * `taken` holds the ids the user can see in use and those of creates still in flight.
 */
export async function chooseVmid(
  api: PveApi,
  limits: UserLimits,
  taken: ReadonlySet<number>,
  requested: number | undefined,
): Promise<number> {
  if (requested !== undefined) {
    requireVmidInRange(limits, requested);
    if (taken.has(requested)) throw takenVmidError(requested);
    try {
      await api.nextId(requested);
      return requested;
    } catch (error) {
      if (isTaken(error)) throw takenVmidError(requested);
      throw error;
    }
  }

  const candidates = vmidCandidates(limits.vmidRanges, taken, maxVmidAttempts);
  if (candidates.length === 0) {
    throw new AppError(
      'CONFLICT',
      `Every guest id in your range (${rangeText(limits)}) is in use. Destroy a guest or ask the lab admin for a larger range.`,
      { fields: { vmid: 'no free id in your range' } },
    );
  }
  for (const candidate of candidates) {
    try {
      // The id PVE confirms, not whatever it might answer instead, so it stays in the range.
      await api.nextId(candidate);
      return candidate;
    } catch (error) {
      // Taken by a guest the user cannot see: try the next one.
      if (!isTaken(error)) throw error;
    }
  }
  throw new AppError(
    'CONFLICT',
    `The first ${candidates.length} free-looking ids of your range (${rangeText(limits)}) are all used by guests you cannot see. Enter a guest id yourself, or ask the lab admin.`,
    { fields: { vmid: `no free id among ${candidates.join(', ')}` } },
  );
}
