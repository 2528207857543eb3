import { AppError } from '../../../shared/errors';
import { parseGuestVolumes } from '../../pve/volumes';
import { approveChange, quotaExceededError, usageWithPending } from '../../quota/approve';
import type { HandlerGroup } from '../context';
import { planCreate } from '../disk-create';
import { planMove } from '../disk-move';
import { changeableGuest } from '../ownership';
import { runTrackedTask, runTrackedWrite } from '../tracked-task';

/** Creating disks, CD drives and mount points, and moving disks between storages. */
export const diskCreateMoveHandlers: HandlerGroup<'disk:create' | 'disk:move'> = {
  'disk:create': async (input, context) => {
    const { sessions, quota, reservations, log, emit, settings } = context;
    const { api, userid } = await sessions.api();
    const ref = { node: input.node, type: input.type, vmid: input.vmid };

    const priced = await reservations.withUserLock(userid, async () => {
      // Pending first: a change released while the cluster is read is then counted, not missed.
      const pending = reservations.pending(userid);
      const snapshot = await quota.snapshot(api, userid);
      const guest = changeableGuest(snapshot, ref);
      const plan = planCreate(guest, snapshot.limits, input);
      if ('iso' in input) {
        // The policy names no ISOs, so any ISO the storage lists to this user may be inserted.
        const listed = await api.storageContent(ref.node, input.storage);
        if (!listed.some((v) => v.volid === input.iso && v.content === 'iso')) {
          throw new AppError(
            'NOT_FOUND',
            `${input.iso} is not in the ISO list of ${input.storage}.`,
            {
              fields: { iso: 'not listed on the storage' },
            },
          );
        }
      }
      const decision = approveChange(
        snapshot.limits,
        usageWithPending(snapshot.usage, pending),
        plan.delta,
      );
      if (!decision.approved) {
        log.info(`refused new disk on ${input.storage} for ${ref.vmid} of ${userid}`);
        throw quotaExceededError(decision);
      }
      return {
        plan,
        digest: guest.config.digest,
        release: reservations.reserve(userid, plan.delta),
      };
    });

    const what = `add ${priced.plan.key} to ${ref.vmid}`;
    const params = { [priced.plan.key]: priced.plan.value, digest: priced.digest };
    const trackedContext = {
      api,
      log,
      now: context.now,
      background: context.background,
      deadlineMs: settings.taskDeadlineMs,
      pollMinMs: settings.taskPollMinMs,
      onProgress: (progress: Parameters<typeof emit<'task:progress'>>[1]) =>
        emit('task:progress', progress),
      release: priced.release,
    };
    // A VM allocates through the asynchronous config write; a container's write is synchronous.
    const task =
      ref.type === 'qemu'
        ? await runTrackedTask(
            what,
            () => api.updateQemuConfigAsync(ref.node, ref.vmid, params),
            trackedContext,
          )
        : await runTrackedWrite(
            what,
            () => api.updateConfig(ref.node, ref.type, ref.vmid, params),
            trackedContext,
          ).then(() => null);
    emit('cluster:changed', { reason: `added ${priced.plan.key} to ${ref.vmid}` });
    // The disk exists; a failed read-back must not report it as failed (and invite a retry).
    const config = await api.config(ref.node, ref.type, ref.vmid).catch(() => null);
    const created = config
      ? parseGuestVolumes(ref.type, config).volumes.find((v) => v.key === priced.plan.key)
      : undefined;
    return { key: priced.plan.key, volume: created?.volume ?? null, task };
  },

  'disk:move': async (input, context) => {
    const { sessions, quota, reservations, log, emit, settings } = context;
    const { api, userid } = await sessions.api();
    const ref = { node: input.node, type: input.type, vmid: input.vmid };

    // Price and reserve under the user's lock, so concurrent requests cannot overspend together.
    const priced = await reservations.withUserLock(userid, async () => {
      // Pending first: a change released while the cluster is read is then counted, not missed.
      const pending = reservations.pending(userid);
      const snapshot = await quota.snapshot(api, userid);
      const guest = changeableGuest(snapshot, ref);
      const current = parseGuestVolumes(ref.type, guest.config).volumes.find(
        (v) => v.key === input.disk,
      );
      // Only a disk without `size=` needs the storage listing to be priced.
      const sizes =
        current !== undefined && current.kind === 'disk' && current.sizeBytes === null
          ? await quota.missingVolumeSizes(api, [guest], { skipDenied: true })
          : new Map<string, number>();
      const plan = planMove(guest, snapshot.limits, input, sizes);
      const decision = approveChange(
        snapshot.limits,
        usageWithPending(snapshot.usage, pending),
        plan.delta,
      );
      if (!decision.approved) {
        log.info(
          `refused move of ${ref.vmid}/${input.disk} to ${input.targetStorage} for ${userid}`,
        );
        throw quotaExceededError(decision);
      }
      return {
        plan,
        digest: guest.config.digest,
        release: reservations.reserve(userid, plan.delta),
      };
    });

    const what = `move ${input.disk} of ${ref.vmid} to ${input.targetStorage}`;
    const outcome = await runTrackedTask(
      what,
      // The digest makes PVE refuse the move if the config changed since it was priced.
      () =>
        api.moveVolume(ref.node, ref.type, ref.vmid, {
          key: input.disk,
          storage: input.targetStorage,
          delete: input.deleteSource,
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
    emit('cluster:changed', { reason: `moved ${input.disk} of ${ref.vmid}` });
    // The move is done; a failed read-back must not report it as failed (and invite a retry).
    const source = priced.plan.volume.volume;
    const config = await api.config(ref.node, ref.type, ref.vmid).catch(() => null);
    const volumes = config ? parseGuestVolumes(ref.type, config).volumes : [];
    const moved = volumes.find((v) => v.key === input.disk);
    const kept = volumes.find((v) => v.kind === 'unused' && v.volume === source);
    return {
      disk: input.disk,
      fromStorage: priced.plan.volume.storage,
      toStorage: input.targetStorage,
      volume: moved?.volume ?? '',
      keptAs: input.deleteSource ? null : (kept?.key ?? priced.plan.keptAs),
      task: outcome,
    };
  },
};
