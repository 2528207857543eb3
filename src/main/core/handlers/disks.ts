import { GiB } from '../../../shared/units';
import { parseGuestVolumes } from '../../pve/volumes';
import { quotaExceededError } from '../../quota/approve';
import type { HandlerGroup } from '../context';
import { priceChange } from '../pricing';
import { runTrackedTask } from '../tracked-task';

/** Disk changes. */
export const diskHandlers: HandlerGroup<'disk:resize'> = {
  'disk:resize': async (input, context) => {
    const { sessions, quota, reservations, log, emit, settings } = context;
    const { api, userid } = await sessions.api();
    const ref = { node: input.node, type: input.type, vmid: input.vmid };

    // Price and reserve under the user's lock, so concurrent requests cannot overspend together.
    const priced = await reservations.withUserLock(userid, async () => {
      // Pending first: a change released while the cluster is read is then counted, not missed.
      // The snapshot may be a warm one; every release drops it first (see reservations.ts).
      const pending = reservations.pending(userid);
      const snapshot = await quota.snapshot(api, userid);
      const { guest, delta, volume, decision } = priceChange(snapshot, pending, {
        kind: 'disk:resize',
        ...input,
      });
      if (!decision.approved) {
        log.info(
          `refused resize of ${ref.vmid}/${input.disk} by ${input.addGiB} GiB for ${userid}`,
        );
        throw quotaExceededError(decision);
      }
      return { volume, digest: guest.config.digest, release: reservations.reserve(userid, delta) };
    });

    const what = `resize ${input.disk} of ${ref.vmid}`;
    const outcome = await runTrackedTask(
      what,
      // The digest makes PVE refuse the resize if the config changed since it was priced.
      () =>
        api.resize(ref.node, ref.type, ref.vmid, {
          disk: input.disk,
          size: `+${input.addGiB}G`,
          digest: priced.digest,
        }),
      {
        api,
        log,
        now: context.now,
        background: context.background,
        deadlineMs: settings.taskDeadlineMs,
        pollMinMs: settings.taskPollMinMs,
        onProgress: (progress) => emit('task:progress', progress),
        release: priced.release,
      },
    );
    emit('cluster:changed', { reason: `resized ${input.disk} of ${ref.vmid}` });
    // The resize is done; a failed read-back must not report it as failed (and invite a retry).
    const expectedBytes = (priced.volume.sizeBytes ?? 0) + input.addGiB * GiB;
    const config = await api.config(ref.node, ref.type, ref.vmid).catch(() => null);
    const resized = config
      ? parseGuestVolumes(ref.type, config).volumes.find((v) => v.key === input.disk)
      : undefined;
    return {
      disk: input.disk,
      storage: priced.volume.storage,
      sizeBytes: resized?.sizeBytes ?? expectedBytes,
      task: outcome,
    };
  },
};
