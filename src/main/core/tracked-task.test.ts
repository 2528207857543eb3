import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import { createLogger } from '../log/logger';
import type { PveApi } from '../pve/api';
import {
  BackgroundTasks,
  runTrackedTask,
  runTrackedWrite,
  type TrackedTaskContext,
} from './tracked-task';

const upid = 'UPID:pve1:0000ABCD:00001234:6752A1B3:resize:100:alice@pve:';

/** A task-status API that answers from a script of states, one per poll. */
function scriptedApi(states: Array<'running' | 'stopped' | Error>, exitStatus = 'OK'): PveApi {
  let poll = 0;
  const api = {
    taskStatus: vi.fn(async () => {
      const state = states[Math.min(poll, states.length - 1)];
      poll += 1;
      if (state instanceof Error) throw state;
      return state === 'stopped'
        ? { status: 'stopped' as const, exitstatus: exitStatus }
        : { status: 'running' as const };
    }),
    taskLog: vi.fn(async () => []),
  };
  return api as unknown as PveApi;
}

/** How often a scripted API was asked for the task's status. */
function statusPolls(api: PveApi): number {
  return (api as unknown as { taskStatus: ReturnType<typeof vi.fn> }).taskStatus.mock.calls.length;
}

function contextWith(
  api: PveApi,
  overrides: Partial<TrackedTaskContext> = {},
): TrackedTaskContext & { release: ReturnType<typeof vi.fn> } {
  const release = vi.fn();
  return {
    api,
    log: createLogger({ level: 'silent' }),
    now: Date.now,
    background: new BackgroundTasks(),
    deadlineMs: 2_000,
    pollMinMs: 5,
    onProgress: () => undefined,
    ...overrides,
    release,
  };
}

const lostContact = new AppError('PVE_UNREACHABLE', 'connection reset');

describe('runTrackedTask', () => {
  it('returns the outcome of a task that succeeds and releases the reservation once', async () => {
    const context = contextWith(scriptedApi(['running', 'stopped']));

    const outcome = await runTrackedTask('resize scsi0', async () => upid, context);

    expect(outcome).toEqual({ upid, status: 'ok', exitStatus: 'OK' });
    expect(context.release).toHaveBeenCalledTimes(1);
  });

  it('releases at once when PVE answers the request with an error', async () => {
    const context = contextWith(scriptedApi(['stopped']));
    const refusal = new AppError('PVE_ERROR', 'no', { status: 500 });

    await expect(
      runTrackedTask('resize scsi0', async () => Promise.reject(refusal), context),
    ).rejects.toBe(refusal);

    expect(context.release).toHaveBeenCalledTimes(1);
  });

  it('keeps the reservation when contact is lost while sending, and says the outcome is unknown', async () => {
    const context = contextWith(scriptedApi(['stopped']), { deadlineMs: 50 });

    const error = await runTrackedTask(
      'resize scsi0',
      async () => Promise.reject(lostContact),
      context,
    ).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(context.release).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(context.release).toHaveBeenCalledTimes(1));
  });

  it('keeps following in the background after losing contact, releasing when the task stops', async () => {
    const api = scriptedApi(['running', lostContact, 'running', 'stopped']);
    const context = contextWith(api);

    const error = await runTrackedTask('resize scsi0', async () => upid, context).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN', details: { upid } });
    expect(context.release).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(context.release).toHaveBeenCalledTimes(1), { timeout: 8_000 });
  });

  it('maps a task that failed on a lock to LOCKED and releases', async () => {
    const context = contextWith(
      scriptedApi(
        ['stopped'],
        "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout",
      ),
    );

    const error = await runTrackedTask('resize scsi0', async () => upid, context).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ code: 'LOCKED', details: { upid } });
    expect(context.release).toHaveBeenCalledTimes(1);
  });

  it('reports any other failure as TASK_FAILED with PVE message', async () => {
    const context = contextWith(scriptedApi(['stopped'], 'storage full'));

    const error = await runTrackedTask('resize scsi0', async () => upid, context).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({
      code: 'TASK_FAILED',
      message: 'PVE could not resize scsi0: storage full',
    });
  });

  it('stops background following on sign-out and releases', async () => {
    const api = scriptedApi(['running']);
    const context = contextWith(api, { deadlineMs: 30 });

    const error = await runTrackedTask('resize scsi0', async () => upid, context).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TASK_TIMEOUT' });
    context.background.abortAll();

    await vi.waitFor(() => expect(context.release).toHaveBeenCalledTimes(1));
    const polls = statusPolls(api);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(statusPolls(api)).toBe(polls);
  });
});

describe('runTrackedWrite', () => {
  it('releases after PVE answered, whether it accepted or refused', async () => {
    const accepted = contextWith(scriptedApi([]));
    const refused = contextWith(scriptedApi([]));
    const conflict = new AppError('CONFLICT', 'changed elsewhere', { status: 500 });

    await runTrackedWrite('change memory', async () => undefined, accepted);
    const error = await runTrackedWrite(
      'change memory',
      async () => Promise.reject(conflict),
      refused,
    ).catch((e: unknown) => e);

    expect(accepted.release).toHaveBeenCalledTimes(1);
    expect(error).toBe(conflict);
    expect(refused.release).toHaveBeenCalledTimes(1);
  });

  it('holds the reservation for a while when the write may have been applied', async () => {
    const context = contextWith(scriptedApi([]), { deadlineMs: 50 });

    const error = await runTrackedWrite(
      'change memory',
      async () => Promise.reject(lostContact),
      context,
    ).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(context.release).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(context.release).toHaveBeenCalledTimes(1));
  });
});
