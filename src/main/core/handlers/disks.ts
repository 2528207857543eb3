import { AppError } from '../../../shared/errors';
import { GiB } from '../../../shared/units';
import { isResizableVolume, parseGuestVolumes, type GuestVolume } from '../../pve/volumes';
import { followTask } from '../../pve/tasks';
import type { PveApi } from '../../pve/api';
import {
  approveChange,
  quotaExceededError,
  usageWithPending,
  type ResourceDelta,
} from '../../quota/approve';
import type { CoreContext, HandlerGroup } from '../context';
import { ownedGuestIn } from '../ownership';

/** How long a task that outlived its deadline keeps its reservation while it is still followed. */
const lateTaskGraceMs = 60 * 60_000;

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

/**
 * Keeps following a task that outlived its deadline, so its reservation is released only once
 * PVE has finished it and live usage shows the change.
 */
function releaseWhenDone(
  api: PveApi,
  upid: string,
  release: () => void,
  context: CoreContext,
): void {
  followTask(api, upid, { deadlineMs: lateTaskGraceMs, maxIntervalMs: 10_000, now: context.now })
    .catch((error: unknown) =>
      context.log.warn(`stopped following ${upid}: ${String((error as Error).message)}`),
    )
    .finally(release);
}

/** Disk changes. */
export const diskHandlers: HandlerGroup<'disk:resize'> = {
  'disk:resize': async (input, context) => {
    const { sessions, quota, reservations, log, emit, settings } = context;
    const { api, userid } = await sessions.api();
    const ref = { node: input.node, type: input.type, vmid: input.vmid };

    // Price and reserve under the user's lock, so concurrent requests cannot overspend together.
    const priced = await reservations.withUserLock(userid, async () => {
      // Pending first: a change released while the cluster is read is then counted, not missed.
      const pending = reservations.pending(userid);
      const snapshot = await quota.snapshot(api, userid);
      ownedGuestIn(snapshot.rows, snapshot.limits, ref);
      const guest = snapshot.guests.find((g) => g.vmid === ref.vmid && g.type === ref.type);
      if (!guest) throw new AppError('NOT_FOUND', `Guest ${ref.vmid} could not be read.`);
      if (typeof guest.config.lock === 'string') {
        throw new AppError(
          'LOCKED',
          `Guest ${ref.vmid} is locked (${guest.config.lock}); try again when the ${guest.config.lock} has finished.`,
        );
      }
      const volume = resizableVolume(
        parseGuestVolumes(ref.type, guest.config).volumes,
        input.disk,
        ref.vmid,
      );
      const delta: ResourceDelta = {
        node: ref.node,
        storageBytes: { [volume.storage]: input.addGiB * GiB },
      };
      const usage = usageWithPending(snapshot.usage, pending);
      const decision = approveChange(snapshot.limits, usage, delta);
      if (!decision.approved) {
        log.info(
          `refused resize of ${ref.vmid}/${input.disk} by ${input.addGiB} GiB for ${userid}`,
        );
        throw quotaExceededError(decision);
      }
      return { volume, digest: guest.config.digest, release: reservations.reserve(userid, delta) };
    });

    let releaseNow = true;
    try {
      // The digest makes PVE refuse the resize if the config changed since it was priced.
      const upid = await api.resize(ref.node, ref.type, ref.vmid, {
        disk: input.disk,
        size: `+${input.addGiB}G`,
        digest: priced.digest,
      });
      let outcome;
      try {
        outcome = await followTask(api, upid, {
          deadlineMs: settings.taskDeadlineMs,
          minIntervalMs: settings.taskPollMinMs,
          now: context.now,
          onProgress: (progress) => emit('task:progress', progress),
        });
      } catch (error) {
        if (error instanceof AppError && error.code === 'TASK_TIMEOUT') {
          releaseNow = false;
          releaseWhenDone(api, upid, priced.release, context);
        }
        throw error;
      }
      if (outcome.status === 'failed') {
        throw new AppError(
          'TASK_FAILED',
          `PVE could not resize ${input.disk}: ${outcome.exitStatus}`,
          { upid },
        );
      }
      const config = await api.config(ref.node, ref.type, ref.vmid);
      const resized = parseGuestVolumes(ref.type, config).volumes.find((v) => v.key === input.disk);
      emit('cluster:changed', { reason: `resized ${input.disk} of ${ref.vmid}` });
      return {
        disk: input.disk,
        storage: priced.volume.storage,
        sizeBytes: resized?.sizeBytes ?? (priced.volume.sizeBytes ?? 0) + input.addGiB * GiB,
        task: outcome,
      };
    } finally {
      if (releaseNow) priced.release();
    }
  },
};
