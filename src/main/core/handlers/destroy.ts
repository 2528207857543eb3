import { AppError } from '../../../shared/errors';
import type { HandlerGroup } from '../context';
import { findOwnedGuest } from '../ownership';
import { runTrackedTask } from '../tracked-task';

/**
 * Destroying a guest. ProxDesk refuses a running, locked or protected guest before sending
 * anything: PVE would refuse it too, but a clear reason here beats PVE's wording, and nothing
 * irreversible should depend on a check made only on the far side. The request purges the guest
 * from jobs and HA and removes unreferenced volumes of its vmid, so no orphaned disk keeps
 * occupying the user's storage quota.
 */
export const destroyHandlers: HandlerGroup<'instance:destroy'> = {
  'instance:destroy': async (input, context) => {
    const { sessions, quota, log, emit, settings } = context;
    const { api, userid } = await sessions.api();
    const ref = { node: input.node, type: input.type, vmid: input.vmid };
    const guest = await findOwnedGuest(api, await quota.limitsFor(api, userid), ref);
    const config = await api.config(ref.node, ref.type, ref.vmid);
    if (typeof config.lock === 'string' && config.lock !== '') {
      throw new AppError(
        'LOCKED',
        `Guest ${ref.vmid} is locked (${config.lock}); try again when the ${config.lock} has finished.`,
      );
    }
    // Paused and suspended guests still hold their memory and disks open, so only 'stopped' will do.
    if (guest.status !== 'stopped') {
      throw new AppError(
        'CONFLICT',
        `Guest ${ref.vmid} is ${guest.status ?? 'not stopped'}; stop it first, then destroy it.`,
      );
    }
    if (config.protection === 1 || config.protection === '1') {
      throw new AppError(
        'CONFLICT',
        `Guest ${ref.vmid} is protected against removal; turn protection off in PVE first.`,
      );
    }

    log.info(`${userid} destroys ${ref.type} ${ref.vmid} on ${ref.node}`);
    try {
      const task = await runTrackedTask(
        `destroy guest ${ref.vmid}`,
        () => api.destroyGuest(ref.node, ref.type, ref.vmid),
        {
          api,
          log,
          now: context.now,
          background: context.background,
          deadlineMs: settings.taskDeadlineMs,
          pollMinMs: settings.taskPollMinMs,
          onProgress: (progress) => emit('task:progress', progress),
          // Destroying only frees quota, so nothing was reserved; dropping the cached usage lets
          // the next pricing see the freed resources at once.
          release: () => quota.invalidate(),
        },
      );
      return { vmid: ref.vmid, task };
    } finally {
      // Even a failed task may have removed some volumes before it stopped.
      emit('cluster:changed', { reason: `destroy of ${ref.vmid}` });
    }
  },
};
