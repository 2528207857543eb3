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
function scriptedApi(
  states: Array<'running' | 'stopped' | Error>,
  exitStatus = 'OK',
  onPoll: () => void = () => undefined,
): PveApi {
  let poll = 0;
  const api = {
    taskStatus: vi.fn(async () => {
      onPoll();
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
    owner: { userid: 'alice@pve', clusterId: 'lab' },
    log: createLogger({ level: 'silent' }),
    now: Date.now,
    background: new BackgroundTasks(),
    deadlineMs: 2_000,
    pollMinMs: 5,
    // Most cases here are about what happens once contact is lost; one below gives it a grace.
    contactLostGraceMs: 0,
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

  it('rides out a poll that did not get through and reports the change done', async () => {
    const api = scriptedApi(['running', lostContact, 'running', 'stopped']);
    const context = contextWith(api, { contactLostGraceMs: 1_000 });

    const outcome = await runTrackedTask('resize scsi0', async () => upid, context);

    expect(outcome).toEqual({ upid, status: 'ok', exitStatus: 'OK' });
    expect(statusPolls(api)).toBe(4);
    expect(context.release).toHaveBeenCalledTimes(1);
  });

  it('keeps the reservation of a task PVE still reports running after the hold, until it stops', async () => {
    // Each status poll moves the clock on 25 minutes: the first hour runs out on the third poll.
    const minute = 60_000;
    let clock = 0;
    const states: Array<'running' | 'stopped'> = ['running', 'running', 'running', 'running'];
    states.push('running', 'running', 'stopped');
    const api = scriptedApi(states, 'OK', () => (clock += 25 * minute));
    const context = contextWith(api, { now: () => clock, deadlineMs: 10 * minute });

    const error = await runTrackedTask('back up qemu 100', async () => upid, context).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ code: 'TASK_TIMEOUT' });
    await vi.waitFor(() => expect(statusPolls(api)).toBe(5), { timeout: 8_000 });
    // Past the first hour and still running: the change is still to come, so nothing is released.
    expect(clock).toBeGreaterThan(60 * minute);
    expect(context.release).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(context.release).toHaveBeenCalledTimes(1), { timeout: 8_000 });
    expect(statusPolls(api)).toBe(7);
  });

  it('holds for an hour after the last answer that the task runs, not an hour after sending it', async () => {
    const minute = 60_000;
    let clock = 0;
    const api = scriptedApi(
      ['running', 'running', lostContact],
      'OK',
      () => (clock += 25 * minute),
    );
    const context = Object.assign(contextWith(api, { now: () => clock, deadlineMs: 10 * minute }), {
      retryMs: 10,
    });

    const error = await runTrackedTask('back up qemu 100', async () => upid, context).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ code: 'TASK_TIMEOUT' });
    // Running at 25 and 50 minutes, then out of contact: asked again at 75 and 100 minutes, past
    // the hour since the backup was sent, and let go only after 110, an hour after the last
    // answer that it runs (held from sending alone, it would go after the failed poll at 75).
    await vi.waitFor(() => expect(context.release).toHaveBeenCalledTimes(1), { timeout: 8_000 });
    expect(statusPolls(api)).toBe(5);
    expect(clock).toBe(125 * minute);
  });

  it('releases a task PVE could not be asked about for the whole hold', async () => {
    const minute = 60_000;
    let clock = 0;
    const api = scriptedApi([lostContact], 'OK', () => (clock += 25 * minute));
    // The background follower reads its retry wait from the same context (FollowDeps).
    const context = Object.assign(contextWith(api, { now: () => clock }), { retryMs: 10 });

    const error = await runTrackedTask('back up qemu 100', async () => upid, context).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(context.release).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(context.release).toHaveBeenCalledTimes(1), { timeout: 8_000 });
    expect(clock).toBeGreaterThanOrEqual(60 * minute);
    expect(statusPolls(api)).toBe(3);
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

  it('maps a task that failed because another create took its guest id to CONFLICT', async () => {
    const context = contextWith(
      scriptedApi(['stopped'], "unable to create VM 102 - VM 102 already exists on node 'pve2'"),
    );

    const error = await runTrackedTask('create qemu 102', async () => upid, context).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({
      code: 'CONFLICT',
      message:
        'Guest id 102 was taken by another guest in the meantime, so nothing was created. Choose another id and try again.',
      details: { upid, fields: { vmid: '102 was taken in the meantime; choose another id' } },
    });
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

  it('stops following on sign-out but keeps the reservation of a task still running', async () => {
    const api = scriptedApi(['running']);
    const context = contextWith(api, { deadlineMs: 30 });

    const error = await runTrackedTask('resize scsi0', async () => upid, context).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TASK_TIMEOUT' });
    context.background.stopFollowing();

    const polls = statusPolls(api);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(statusPolls(api)).toBe(polls);
    expect(context.release).not.toHaveBeenCalled();
    expect(context.background.unsettled()).toEqual([
      { owner: { userid: 'alice@pve', clusterId: 'lab' }, node: 'pve1', upid, followed: false },
    ]);
  });

  it('follows a signed-out task again when its owner signs in, and releases once it stops', async () => {
    const context = contextWith(scriptedApi(['running']), { deadlineMs: 30 });
    await runTrackedTask('resize scsi0', async () => upid, context).catch(() => undefined);
    context.background.stopFollowing();
    const otherUser = scriptedApi(['stopped']);
    const sameUser = scriptedApi(['running', 'stopped']);

    const othersResumed = context.background.resume(
      { userid: 'bob@pve', clusterId: 'lab' },
      otherUser,
    );
    const otherCluster = context.background.resume(
      { userid: 'alice@pve', clusterId: 'elsewhere' },
      otherUser,
    );
    expect([othersResumed, otherCluster, statusPolls(otherUser)]).toEqual([0, 0, 0]);
    expect(context.release).not.toHaveBeenCalled();
    const resumed = context.background.resume({ userid: 'alice@pve', clusterId: 'lab' }, sameUser);

    expect(resumed).toBe(1);
    await vi.waitFor(() => expect(context.release).toHaveBeenCalledTimes(1), { timeout: 3_000 });
    expect(context.background.unsettled()).toEqual([]);
    expect(context.background.resume({ userid: 'alice@pve', clusterId: 'lab' }, sameUser)).toBe(0);
    expect(context.release).toHaveBeenCalledTimes(1);
  });

  it('keeps the reservation of a task whose foreground follow a sign-out interrupted', async () => {
    const api = scriptedApi(['running']);
    const context = contextWith(api, { deadlineMs: 5_000 });

    const pending = runTrackedTask('resize scsi0', async () => upid, context).catch(
      (e: unknown) => e,
    );
    await vi.waitFor(() => expect(statusPolls(api)).toBeGreaterThan(0));
    context.background.stopFollowing();
    const error = await pending;

    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN', details: { upid } });
    expect(context.release).not.toHaveBeenCalled();
    expect(context.background.unsettled()).toMatchObject([{ upid, followed: false }]);
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

  it('keeps holding a write of unknown outcome across a sign-out', async () => {
    const context = contextWith(scriptedApi([]), { deadlineMs: 150 });

    await runTrackedWrite('change memory', async () => Promise.reject(lostContact), context).catch(
      () => undefined,
    );
    context.background.stopFollowing();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(context.release).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(context.release).toHaveBeenCalledTimes(1));
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
