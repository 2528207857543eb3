import { AppError, type QuotaShortfall } from '../../shared/errors';
import type { Decision } from './approve';
import { decisionItem } from './decision-item';

// The policy's backup count (`backups.max`). Backups are not part of a guest's config, so the
// usage snapshot does not hold them; the backup operations count them from the storages and
// price the count here, with the same decision items and wording as every other resource.

/** Prices `requested` more backups for a user who keeps `used` against a limit of `max`. */
export function backupCountDecision(max: number | null, used: number, requested: number): Decision {
  for (const [name, value] of [
    ['used', used],
    ['requested', requested],
  ] as const) {
    if (!Number.isSafeInteger(value) || (name === 'used' && value < 0)) {
      throw new AppError('INTERNAL', `A backup count must be a whole number; ${name} is ${value}.`);
    }
  }
  if (max !== null && (!Number.isSafeInteger(max) || max < 0)) {
    throw new AppError('INTERNAL', `The backup limit must be a whole number; it is ${max}.`);
  }
  const item = decisionItem('backups', 'Backups', 'count', max, used, requested);
  const shortfalls: QuotaShortfall[] =
    item.fits || item.limit === null
      ? []
      : [
          {
            resource: item.resource,
            label: item.label,
            unit: item.unit,
            limit: item.limit,
            used,
            requested,
            shortfall: item.after - item.limit,
          },
        ];
  return { approved: shortfalls.length === 0, items: [item], shortfalls, unknown: [] };
}
