import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { PveApi } from './api';
import { followTask } from './tasks';

const upid = 'UPID:pve2:0000A1B2:00C0FFEE:65000000:qmresize:100:alice@pve:';

type Answer = { status: 'running' | 'stopped'; exitstatus?: string } | AppError;

/**
 * An API whose task status answers come from `answers` in turn, and a clock the sleeps move; a
 * status poll takes `pollMs` of that clock, and the log fails with `logError` when it is given.
 */
function scriptedTask(
  answers: Answer[],
  { pollMs = 0, logError }: { pollMs?: number; logError?: AppError } = {},
): {
  api: PveApi;
  clock: { now: () => number; sleep: (ms: number) => Promise<void> };
  polls: () => number;
} {
  let time = 0;
  let polls = 0;
  const api = {
    taskStatus: () => {
      const answer = answers[Math.min(polls, answers.length - 1)];
      polls += 1;
      time += pollMs;
      if (answer instanceof AppError) return Promise.reject(answer);
      return Promise.resolve(answer);
    },
    taskLog: () =>
      logError === undefined
        ? Promise.resolve([{ n: 1, t: 'resizing' }])
        : Promise.reject(logError),
  };
  return {
    api: api as unknown as PveApi,
    clock: {
      now: () => time,
      sleep: (ms) => {
        time += ms;
        return Promise.resolve();
      },
    },
    polls: () => polls,
  };
}

const unreachable = (): AppError =>
  new AppError('PVE_UNREACHABLE', 'PVE cannot reach pve2.', { status: 595 });

describe('followTask', () => {
  it('keeps polling through a node that is briefly unreachable and reports the outcome', async () => {
    const { api, clock, polls } = scriptedTask([
      { status: 'running' },
      unreachable(),
      unreachable(),
      { status: 'stopped', exitstatus: 'OK' },
    ]);
    const outcome = await followTask(api, upid, { ...clock, minIntervalMs: 100 });
    expect(outcome).toEqual({ upid, status: 'ok', exitStatus: 'OK' });
    expect(polls()).toBe(4);
  });

  it('gives up with the last error once contact has been lost for the grace period', async () => {
    const { api, clock, polls } = scriptedTask([{ status: 'running' }, unreachable()]);
    await expect(
      followTask(api, upid, {
        ...clock,
        minIntervalMs: 1_000,
        maxIntervalMs: 1_000,
        contactLostGraceMs: 5_000,
      }),
    ).rejects.toMatchObject({ code: 'PVE_UNREACHABLE', details: { status: 595 } });
    // One answered poll, then failures at 1 s, 2 s, ... until 5 s of lost contact: six of them.
    expect(polls()).toBe(7);
  });

  it('counts the grace period again after a poll gets through', async () => {
    const { api, clock } = scriptedTask([
      unreachable(),
      unreachable(),
      { status: 'running' },
      unreachable(),
      unreachable(),
      { status: 'stopped', exitstatus: 'WARNINGS: 1' },
    ]);
    const outcome = await followTask(api, upid, {
      ...clock,
      minIntervalMs: 1_000,
      maxIntervalMs: 1_000,
      contactLostGraceMs: 2_500,
    });
    expect(outcome.status).toBe('warnings');
  });

  it.each([
    ['a refused session', new AppError('SESSION_EXPIRED', 'Signed out.', { status: 401 })],
    ['a permission error', new AppError('PVE_PERMISSION', 'No Sys.Audit.', { status: 403 })],
    ['a refused parameter', new AppError('PVE_VALIDATION', 'bad upid', { status: 400 })],
  ])('stops at once on %s', async (_case, error) => {
    const { api, clock, polls } = scriptedTask([{ status: 'running' }, error]);
    await expect(followTask(api, upid, { ...clock, minIntervalMs: 100 })).rejects.toBe(error);
    expect(polls()).toBe(2);
  });

  it('asks again after PVE fails on its side, within the grace', async () => {
    const { api, clock, polls } = scriptedTask([
      { status: 'running' },
      new AppError('PVE_ERROR', 'cfs-lock timeout', { status: 500 }),
      { status: 'stopped', exitstatus: 'OK' },
    ]);
    const outcome = await followTask(api, upid, { ...clock, minIntervalMs: 100 });
    expect(outcome.status).toBe('ok');
    expect(polls()).toBe(3);
  });

  it('reports a stopped task by its status when its log cannot be read', async () => {
    const { api, clock } = scriptedTask(
      [{ status: 'running' }, { status: 'stopped', exitstatus: 'OK' }],
      { logError: unreachable() },
    );
    const progress: string[][] = [];
    const outcome = await followTask(api, upid, {
      ...clock,
      minIntervalMs: 100,
      contactLostGraceMs: 0,
      onProgress: (update) => progress.push(update.lines),
    });
    expect(outcome).toEqual({ upid, status: 'ok', exitStatus: 'OK' });
    expect(progress).toEqual([[], []]);
  });

  it('counts the grace from when the first poll that did not get through was sent', async () => {
    // Each poll hangs for 3 s before failing: the first has used up a 2 s grace by itself.
    const { api, clock, polls } = scriptedTask([unreachable()], { pollMs: 3_000 });
    await expect(
      followTask(api, upid, { ...clock, minIntervalMs: 100, contactLostGraceMs: 2_000 }),
    ).rejects.toMatchObject({ code: 'PVE_UNREACHABLE' });
    expect(polls()).toBe(1);
  });

  it('does not wait past its deadline for contact to come back', async () => {
    const { api, clock, polls } = scriptedTask([unreachable()]);
    await expect(
      followTask(api, upid, { ...clock, minIntervalMs: 1_000, deadlineMs: 2_500 }),
    ).rejects.toMatchObject({ code: 'PVE_UNREACHABLE' });
    // At 0 s, 1 s and 2.5 s (the interval grows by half); the next would be past the deadline.
    expect(polls()).toBe(3);
  });

  it('stops with an AbortError when aborted while contact is lost', async () => {
    const controller = new AbortController();
    const { api, clock } = scriptedTask([unreachable()]);
    const sleep = async (ms: number): Promise<void> => {
      await clock.sleep(ms);
      controller.abort();
    };
    await expect(
      followTask(api, upid, { now: clock.now, sleep, signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
