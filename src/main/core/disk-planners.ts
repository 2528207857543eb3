import type { DiskCreateInput } from '../../shared/disk-create-schemas';
import type { DiskMoveInput } from '../../shared/disk-move-schemas';
import { isUnusedKey, type DiskAttachInput } from '../../shared/disk-slot-schemas';
import { AppError } from '../../shared/errors';
import type { DiskResizeInput } from '../../shared/guest-change-schemas';
import { GiB } from '../../shared/units';
import { isResizableVolume, parseGuestVolumes, type GuestVolume } from '../pve/volumes';
import { planCreate, type CreatePlan } from './disk-create';
import { requireListedMedia } from './instance-create-media';
import { planMove, type MovePlan } from './disk-move';
import { planAttach, planDelete, planDetach, type SlotPlan } from './disk-slot-change';
import { guestPlanner, type OnGuest, type Planner, type Planning } from './planner';

// The planners of the disk operations: what each writes and costs, worked out on the guest as the
// usage snapshot has it. The operations commit through them and `quota:preview` prices with them.

type GuestInput = { node: string; type: 'qemu' | 'lxc'; vmid: number };

function refOf(input: GuestInput): GuestInput {
  return { node: input.node, type: input.type, vmid: input.vmid };
}

/** The volume a resize grows, with the storage it is on. */
export interface ResizePlan {
  volume: GuestVolume & { storage: string };
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

/** Growing a disk: its storage gains the added GiB. */
export function planDiskResize(input: DiskResizeInput): Planner<OnGuest<ResizePlan>> {
  return guestPlanner(refOf(input), ({ guest }) => {
    const { volumes } = parseGuestVolumes(guest.type, guest.config);
    const volume = resizableVolume(volumes, input.disk, input.vmid);
    return {
      delta: { node: guest.node, storageBytes: { [volume.storage]: input.addGiB * GiB } },
      detail: { volume },
    };
  });
}

/** A new disk, CD drive or mount point; an ISO must be allowed by the policy and listed. */
export function planDiskCreate(input: DiskCreateInput): Planner<OnGuest<CreatePlan>> {
  return guestPlanner(refOf(input), async ({ api, guest, limits }) => {
    const plan = planCreate(guest, limits, input);
    if ('iso' in input) {
      // The policy's ISO list decides, and the image must be one the node's storages list.
      await requireListedMedia(api, limits, input.node, 'iso', input.iso, 'iso');
    }
    return { delta: plan.delta, detail: plan };
  });
}

/** Moving a disk: the target gains its size, the source frees it only when deleted. */
export function planDiskMove(input: DiskMoveInput): Planner<OnGuest<MovePlan>> {
  return guestPlanner(refOf(input), async ({ api, quota, guest, limits }) => {
    const current = parseGuestVolumes(input.type, guest.config).volumes.find(
      (v) => v.key === input.disk,
    );
    // Only a disk without `size=` needs the storage listing to be priced.
    const sizes =
      current !== undefined && current.kind === 'disk' && current.sizeBytes === null
        ? await quota.missingVolumeSizes(api, [guest], { skipDenied: true })
        : new Map<string, number>();
    const plan = planMove(guest, limits, input, sizes);
    return { delta: plan.delta, detail: plan };
  });
}

/**
 * Unused volumes rarely carry `size=`; what deleting one frees comes from the storage listing. A
 * listing PVE does not allow leaves the size unknown: a decrease passes anyway.
 */
async function unusedSizes(
  { api, quota, guest }: Planning,
  wanted: boolean,
): Promise<ReadonlyMap<string, number>> {
  const missing =
    wanted &&
    parseGuestVolumes(guest.type, guest.config).volumes.some(
      (v) => v.kind === 'unused' && v.sizeBytes === null,
    );
  return missing
    ? quota.missingVolumeSizes(api, [guest], { skipDenied: true })
    : new Map<string, number>();
}

function slotPlanner(
  input: GuestInput,
  plan: (planning: Planning, sizes: ReadonlyMap<string, number>) => SlotPlan,
  options: { readUnusedSizes?: boolean } = {},
): Planner<OnGuest<SlotPlan>> {
  return guestPlanner(refOf(input), async (planning) => {
    const planned = plan(planning, await unusedSizes(planning, options.readUnusedSizes === true));
    return { delta: planned.delta, detail: planned };
  });
}

/** Attaching an unused volume to a bus (VM) or a mount path (container). Free. */
export function planDiskAttach(input: DiskAttachInput): Planner<OnGuest<SlotPlan>> {
  return slotPlanner(input, ({ guest, limits }, sizes) =>
    planAttach({ ...guest, sizes }, limits, input),
  );
}

/** Detaching a disk or mount point to `unusedN`. Free. */
export function planDiskDetach(input: GuestInput & { disk: string }): Planner<OnGuest<SlotPlan>> {
  return slotPlanner(input, ({ guest }, sizes) => planDetach({ ...guest, sizes }, input.disk));
}

/** Deleting an unused volume (frees its size) or removing a CD drive. */
export function planDiskDelete(input: GuestInput & { disk: string }): Planner<OnGuest<SlotPlan>> {
  return slotPlanner(input, ({ guest }, sizes) => planDelete({ ...guest, sizes }, input.disk), {
    readUnusedSizes: isUnusedKey(input.disk),
  });
}
