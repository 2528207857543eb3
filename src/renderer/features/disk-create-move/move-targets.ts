import type { QuotaConstraints } from '../../../shared/contract';

/** The bus of a disk key as the policy names it (`scsi1` -> `scsi`, `mp0` -> `mp`). */
export function busOfKey(key: string): string {
  return key.replace(/\d+$/, '');
}

/** The storages the policy names that a disk could move to: not its own, and allowing its bus. */
export function moveTargets(
  constraints: QuotaConstraints,
  diskKey: string,
  from: string | null,
): string[] {
  const bus = busOfKey(diskKey);
  return constraints.storages
    .filter((entry) => entry.storage !== from && entry.buses.includes(bus))
    .map((entry) => entry.storage);
}
