import { AppError } from '../../shared/errors';
import type { QuotaChange } from '../../shared/quota-schemas';
import { GiB } from '../../shared/units';
import { isResizableVolume, parseGuestVolumes, type GuestVolume } from '../pve/volumes';
import {
  approveChange,
  usageWithPending,
  type Decision,
  type ResourceDelta,
} from '../quota/approve';
import { changeableGuest } from './ownership';
import type { UsageSnapshot } from './quota-service';

// Pricing a proposed change from a usage snapshot and the changes still held as reservations.
// The preview channel and the operation itself both price through here, so what the user is
// shown before confirming is exactly what the operation will be held to.

/** A priced change: the guest it concerns, its cost as a delta, and the decision. */
export interface PricedChange {
  guest: UsageSnapshot['guests'][number];
  delta: ResourceDelta;
  decision: Decision;
  /** For a disk resize: the volume that grows. */
  volume: GuestVolume & { storage: string };
}

/** Prices a change; throws NOT_FOUND, NOT_OWNED, LOCKED or INVALID_INPUT when it cannot apply. */
export function priceChange(
  snapshot: UsageSnapshot,
  pending: readonly ResourceDelta[],
  change: QuotaChange,
): PricedChange {
  switch (change.kind) {
    case 'disk:resize':
      return priceDiskResize(snapshot, pending, change);
  }
}

function priceDiskResize(
  snapshot: UsageSnapshot,
  pending: readonly ResourceDelta[],
  change: Extract<QuotaChange, { kind: 'disk:resize' }>,
): PricedChange {
  const ref = { node: change.node, type: change.type, vmid: change.vmid };
  const guest = changeableGuest(snapshot, ref);
  const volume = resizableVolume(
    parseGuestVolumes(ref.type, guest.config).volumes,
    change.disk,
    ref.vmid,
  );
  const delta: ResourceDelta = {
    node: ref.node,
    storageBytes: { [volume.storage]: change.addGiB * GiB },
  };
  const usage = usageWithPending(snapshot.usage, pending);
  return { guest, delta, volume, decision: approveChange(snapshot.limits, usage, delta) };
}

function resizableVolume(
  volumes: readonly GuestVolume[],
  key: string,
  vmid: number,
): GuestVolume & { storage: string } {
  const volume = volumes.find((candidate) => candidate.key === key);
  if (!volume) throw new AppError('NOT_FOUND', `Guest ${vmid} has no disk ${key}.`);
  if (!isResizableVolume(volume) || volume.storage === null) {
    const what = volume.kind === 'disk' ? `an ${volume.bus} volume` : `a ${volume.kind} volume`;
    throw new AppError('INVALID_INPUT', `${key} is ${what}, which cannot be resized.`, {
      fields: { disk: 'not a resizable disk' },
    });
  }
  return { ...volume, storage: volume.storage };
}
