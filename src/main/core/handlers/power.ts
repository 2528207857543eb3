import { AppError, isAppError } from '../../../shared/errors';
import type { PowerAction } from '../../../shared/operation-schemas';
import { followTask } from '../../pve/tasks';
import type { HandlerGroup } from '../context';
import { findOwnedGuest } from '../ownership';

const actionWords: Record<PowerAction, string> = {
  start: 'start',
  shutdown: 'shut down',
  reboot: 'reboot',
  stop: 'stop',
};

/**
 * What to say when a power task was started but could not be followed to its end: contact was
 * lost, PVE kept failing to answer about it, or a sign-out stopped following. PVE has the task,
 * so asking again is not the answer; the guest's state is. An ended session and the deadline
 * (TASK_TIMEOUT, which says the task may still run) pass as they are.
 */
function followLost(error: unknown, what: string, upid: string): unknown {
  if (isAppError(error) && passedOn.has(error.code)) return error;
  const reason = isAppError(error) ? ` (${error.message})` : '';
  return new AppError(
    'OUTCOME_UNKNOWN',
    `PVE was asked to ${what}, but ProxDesk could not follow the task to its end${reason}. It may still be done; look at the guest's state before asking again.`,
    { upid },
  );
}

/** Errors of following that say something other than "the outcome is not known". */
const passedOn = new Set(['SESSION_EXPIRED', 'PVE_AUTH', 'TASK_TIMEOUT']);

/**
 * Power actions. Whether the guest is already running or stopped is left to PVE, which knows
 * better than a cluster listing read a moment ago: it refuses some cases at once (a container
 * that is already running) and others in the task (a VM that is already running).
 */
export const powerHandlers: HandlerGroup<'instance:power'> = {
  'instance:power': async (input, context) => {
    const { sessions, quota, log, emit, settings } = context;
    const { api, userid } = await sessions.api();
    const ref = { node: input.node, type: input.type, vmid: input.vmid };
    await findOwnedGuest(api, await quota.limitsFor(api, userid), ref);
    const config = await api.config(ref.node, ref.type, ref.vmid);
    if (typeof config.lock === 'string' && config.lock !== '') {
      throw new AppError(
        'LOCKED',
        `Guest ${ref.vmid} is locked (${config.lock}); try again when the ${config.lock} has finished.`,
      );
    }

    const word = actionWords[input.action];
    log.info(`${userid} asks to ${word} ${ref.type} ${ref.vmid} on ${ref.node}`);
    const upid = await api.powerAction(ref.node, ref.type, ref.vmid, input.action);
    try {
      const outcome = await followTask(api, upid, {
        deadlineMs: settings.taskDeadlineMs,
        minIntervalMs: settings.taskPollMinMs,
        contactLostGraceMs: settings.taskContactLostGraceMs,
        now: context.now,
        // A sign-out or the app closing stops following; the task runs on in PVE.
        signal: context.background.signal,
        onProgress: (progress) => emit('task:progress', progress),
      }).catch((error: unknown) => {
        throw followLost(error, `${word} guest ${ref.vmid}`, upid);
      });
      if (outcome.status === 'failed') {
        throw new AppError(
          'TASK_FAILED',
          `PVE could not ${word} guest ${ref.vmid}: ${outcome.exitStatus}`,
          { upid },
        );
      }
      return { action: input.action, task: outcome };
    } finally {
      // Even a failed or timed-out task may have changed the guest's state.
      emit('cluster:changed', { reason: `${input.action} of ${ref.vmid}` });
    }
  },
};
