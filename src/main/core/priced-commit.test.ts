import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import { createLogger } from '../log/logger';
import type { PveApi } from '../pve/api';
import { parsePolicy, resolveUserLimits } from '../quota/policy';
import { ReservationBook } from '../quota/reservations';
import { computeUsage } from '../quota/usage';
import type { CoreContext } from './context';
import {
  commitClaimedChange,
  commitPricedChange,
  type Approved,
  type Commit,
} from './priced-commit';
import { guestPlanner, type OnGuest, type Planner } from './planner';
import type { QuotaService, UsageSnapshot } from './quota-service';
import { BackgroundTasks } from './tracked-task';

const upid = 'UPID:pve1:0000ABCD:00001234:6752A1B3:resize:100:a@pve:';
const ref = { node: 'pve1', type: 'qemu', vmid: 100 } as const;

/** One user with a 4-core quota and one VM using 2 cores, as a usage snapshot. */
function snapshot(): UsageSnapshot {
  const parsed = parsePolicy({
    version: 1,
    users: { 'a@pve': { pools: ['p'], cores: { max: 4 } } },
  });
  if (!parsed.ok) throw new Error('the test policy is not valid');
  const limits = resolveUserLimits(parsed.policy, 'a@pve');
  if (!limits) throw new Error('the test policy does not name a@pve');
  const resource = { id: 'qemu/100', type: 'qemu', node: 'pve1', vmid: 100, pool: 'p' } as const;
  const guest = {
    ...ref,
    pool: 'p',
    resource,
    config: { digest: 'digest-1', cores: 2, sockets: 1, memory: '1024' },
  };
  return { limits, rows: [resource], guests: [guest], usage: computeUsage(limits, [guest]) };
}

/** A task-status API that answers from a script, one state per poll. */
function taskApi(states: Array<'running' | 'stopped' | Error>, exitStatus = 'OK'): PveApi {
  let poll = 0;
  return {
    taskStatus: vi.fn(async () => {
      const state = states[Math.min(poll, states.length - 1)];
      poll += 1;
      if (state instanceof Error) throw state;
      return state === 'stopped'
        ? { status: 'stopped' as const, exitstatus: exitStatus }
        : { status: 'running' as const };
    }),
    taskLog: vi.fn(async () => []),
  } as unknown as PveApi;
}

interface Harness {
  context: CoreContext;
  book: ReservationBook;
  emitted: string[];
}

function harness(api: PveApi, deadlineMs = 2_000): Harness {
  const book = new ReservationBook();
  const emitted: string[] = [];
  const quota = { snapshot: vi.fn(async () => snapshot()) } as unknown as QuotaService;
  const context = {
    sessions: { api: async () => ({ api, userid: 'a@pve', clusterId: 'lab' }) },
    quota,
    reservations: book,
    background: new BackgroundTasks(),
    log: createLogger({ level: 'silent' }),
    now: Date.now,
    emit: (event: string, payload: { reason?: string }) => {
      if (event === 'cluster:changed') emitted.push(payload.reason ?? '');
    },
    settings: { taskDeadlineMs: deadlineMs, taskPollMinMs: 5, taskContactLostGraceMs: 0 },
  } as unknown as CoreContext;
  return { context, book, emitted };
}

/** A planner that asks for `cores` more cores, or writes nothing when `cores` is 0. */
function coresPlanner(cores: number): Planner<OnGuest<{ cores: number }>> {
  return guestPlanner(ref, ({ guest }) =>
    cores === 0
      ? { delta: { node: guest.node }, detail: { cores }, writesNothing: true }
      : { delta: { node: guest.node, cores }, detail: { cores } },
  );
}

const lostContact = new AppError('PVE_UNREACHABLE', 'connection reset');
const refusedByPve = new AppError('PVE_VALIDATION', 'cores: bad value', { status: 400 });

describe('commitPricedChange', () => {
  it('holds the reservation while the write runs, then releases it and reports the change', async () => {
    const { context, book, emitted } = harness(taskApi(['stopped']));
    const heldDuringWrite: unknown[] = [];
    const commit = vi.fn(({ detail }: Approved<OnGuest<{ cores: number }>>): Commit => ({
      write: async () => {
        heldDuringWrite.push(...book.pending('a@pve'), detail.guest.config.digest);
      },
      changed: 'changed the cores of 100',
    }));

    const outcome = await commitPricedChange(context, {
      planner: coresPlanner(2),
      what: 'change the cores of 100',
      commit,
    });

    expect(heldDuringWrite).toEqual([{ node: 'pve1', cores: 2 }, 'digest-1']);
    expect(outcome).toMatchObject({ changed: true, task: null, detail: { cores: 2 } });
    expect(book.pending('a@pve')).toEqual([]);
    expect(emitted).toEqual(['changed the cores of 100']);
  });

  it('refuses a change over quota with QUOTA_EXCEEDED before anything is reserved or sent', async () => {
    const { context, book, emitted } = harness(taskApi(['stopped']));
    const commit = vi.fn();

    const error = await commitPricedChange(context, {
      planner: coresPlanner(3),
      what: 'change the cores of 100',
      commit,
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { shortfalls: [{ resource: 'cores', limit: 4, used: 2, requested: 3 }] },
    });
    expect(commit).not.toHaveBeenCalled();
    expect(book.pending('a@pve')).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it('reserves and sends nothing when the plan writes nothing', async () => {
    const { context, book } = harness(taskApi(['stopped']));
    const commit = vi.fn();

    const outcome = await commitPricedChange(context, {
      planner: coresPlanner(0),
      what: 'change the cores of 100',
      commit,
    });

    expect(outcome).toMatchObject({ changed: false, detail: { cores: 0 } });
    expect(commit).not.toHaveBeenCalled();
    expect(book.pending('a@pve')).toEqual([]);
  });

  it('releases the reservation when PVE answers the write with an error', async () => {
    const { context, book, emitted } = harness(taskApi(['stopped']));

    const error = await commitPricedChange(context, {
      planner: coresPlanner(1),
      what: 'change the cores of 100',
      commit: () => ({ write: () => Promise.reject(refusedByPve), changed: 'x' }),
    }).catch((e: unknown) => e);

    expect(error).toBe(refusedByPve);
    expect(book.pending('a@pve')).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it('keeps the reservation when contact is lost during the write (OUTCOME_UNKNOWN)', async () => {
    const { context, book } = harness(taskApi(['stopped']), 60);

    const error = await commitPricedChange(context, {
      planner: coresPlanner(1),
      what: 'change the cores of 100',
      commit: () => ({ write: () => Promise.reject(lostContact), changed: 'x' }),
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(book.pending('a@pve')).toEqual([{ node: 'pve1', cores: 1 }]);
    // Held for the task deadline, then live usage takes over.
    await vi.waitFor(() => expect(book.pending('a@pve')).toEqual([]));
  });

  it('keeps the reservation while a task whose outcome is unknown is followed', async () => {
    const { context, book } = harness(taskApi([lostContact, 'running', 'stopped']));

    const error = await commitPricedChange(context, {
      planner: coresPlanner(1),
      what: 'change the cores of 100',
      commit: () => ({ task: async () => upid, changed: 'x' }),
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN', details: { upid } });
    expect(book.pending('a@pve')).toEqual([{ node: 'pve1', cores: 1 }]);
    await vi.waitFor(() => expect(book.pending('a@pve')).toEqual([]), { timeout: 8_000 });
  });

  it('releases the reservation when the task fails, and reports TASK_FAILED', async () => {
    const { context, book, emitted } = harness(taskApi(['stopped'], 'storage full'));

    const error = await commitPricedChange(context, {
      planner: coresPlanner(1),
      what: 'grow scsi0 of 100',
      commit: () => ({ task: async () => upid, changed: 'x', what: 'grow scsi0 of 100 by 1 GiB' }),
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: 'TASK_FAILED',
      message: 'PVE could not grow scsi0 of 100 by 1 GiB: storage full',
    });
    expect(book.pending('a@pve')).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it('returns the outcome of a task that succeeds and releases once it stopped', async () => {
    const { context, book, emitted } = harness(taskApi(['running', 'stopped']));

    const outcome = await commitPricedChange(context, {
      planner: coresPlanner(1),
      what: 'grow scsi0 of 100',
      commit: () => ({ task: async () => upid, changed: 'grew scsi0 of 100' }),
    });

    expect(outcome).toMatchObject({ changed: true, task: { upid, status: 'ok' } });
    expect(book.pending('a@pve')).toEqual([]);
    expect(emitted).toEqual(['grew scsi0 of 100']);
  });

  it('releases the reservation when building the request throws, since nothing was sent', async () => {
    const { context, book } = harness(taskApi(['stopped']));
    const broken = new AppError('INVALID_INPUT', 'cannot write this');

    const error = await commitPricedChange(context, {
      planner: coresPlanner(1),
      what: 'change the cores of 100',
      commit: () => {
        throw broken;
      },
    }).catch((e: unknown) => e);

    expect(error).toBe(broken);
    expect(book.pending('a@pve')).toEqual([]);
  });

  it('reserves nothing when the planner refuses the change', async () => {
    const { context, book } = harness(taskApi(['stopped']));
    const commit = vi.fn();
    const planner = guestPlanner(ref, () => {
      throw new AppError('NOT_FOUND', 'Guest 100 has no disk scsi9.');
    });

    const error = await commitPricedChange(context, { planner, what: 'x', commit }).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect(commit).not.toHaveBeenCalled();
    expect(book.pending('a@pve')).toEqual([]);
  });

  it('commits a change planned from the snapshot alone, as creating a guest is', async () => {
    const { context, book, emitted } = harness(taskApi(['stopped']));
    const sent: unknown[] = [];
    const planner: Planner<{ vmid: number }> = {
      plan: ({ snapshot }) => ({
        delta: { node: 'pve1', cores: 2 },
        detail: { vmid: 100 + snapshot.guests.length },
      }),
    };

    const outcome = await commitPricedChange(context, {
      planner,
      what: 'create VM 101',
      commit: ({ detail }) => ({
        task: async () => {
          sent.push(detail.vmid, ...book.pending('a@pve'));
          return upid;
        },
        changed: `created VM ${detail.vmid}`,
      }),
    });

    expect(sent).toEqual([101, { node: 'pve1', cores: 2 }]);
    expect(outcome).toMatchObject({ changed: true, detail: { vmid: 101 }, task: { upid } });
    expect(emitted).toEqual(['created VM 101']);
    expect(book.pending('a@pve')).toEqual([]);
  });

  it('prices a second change with the first one still held, so both cannot overspend', async () => {
    const { context, book } = harness(taskApi(['stopped']));
    let finishFirst = (): void => undefined;
    const first = commitPricedChange(context, {
      planner: coresPlanner(2),
      what: 'first',
      commit: () => ({
        write: () => new Promise<void>((resolve) => (finishFirst = resolve)),
        changed: 'first',
      }),
    });
    await vi.waitFor(() => expect(book.pending('a@pve')).toHaveLength(1));

    const second = await commitPricedChange(context, {
      planner: coresPlanner(1),
      what: 'second',
      commit: () => ({ write: async () => undefined, changed: 'second' }),
    }).catch((e: unknown) => e);
    finishFirst();
    await first;

    expect(second).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { shortfalls: [{ resource: 'cores', used: 4, requested: 1 }] },
    });
    expect(book.pending('a@pve')).toEqual([]);
  });
});

describe('commitClaimedChange', () => {
  /** A claim of id 101 that records when it is taken and given back. */
  function idClaim(
    events: string[],
  ): (
    approved: Approved<OnGuest<{ cores: number }>>,
  ) => Promise<{ detail: { cores: number; id: number }; release: () => void }> {
    return async ({ detail }) => {
      events.push('claimed');
      return { detail: { cores: detail.cores, id: 101 }, release: () => events.push('released') };
    };
  }

  it('claims once approved, commits with the claim, and releases it with the reservation', async () => {
    const { context, book } = harness(taskApi(['stopped']));
    const events: string[] = [];

    const outcome = await commitClaimedChange(context, {
      planner: coresPlanner(2),
      what: 'create VM 101',
      claim: idClaim(events),
      commit: ({ detail }) => ({
        write: async () => {
          events.push(`sent ${detail.id}`, `held ${book.pending('a@pve').length}`);
        },
        changed: `created ${detail.id}`,
      }),
    });

    expect(events).toEqual(['claimed', 'sent 101', 'held 1', 'released']);
    expect(outcome).toMatchObject({ changed: true, detail: { cores: 2, id: 101 } });
    expect(book.pending('a@pve')).toEqual([]);
  });

  it('claims nothing for a change the quota refuses', async () => {
    const { context } = harness(taskApi(['stopped']));
    const events: string[] = [];

    const error = await commitClaimedChange(context, {
      planner: coresPlanner(3),
      what: 'create VM 101',
      claim: idClaim(events),
      commit: () => ({ write: async () => undefined, changed: 'x' }),
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(events).toEqual([]);
  });

  it('reserves and sends nothing when the claim fails', async () => {
    const { context, book, emitted } = harness(taskApi(['stopped']));
    const taken = new AppError('CONFLICT', 'Guest id 101 is already in use; choose another.');
    const commit = vi.fn();

    const error = await commitClaimedChange(context, {
      planner: coresPlanner(1),
      what: 'create VM 101',
      claim: () => Promise.reject(taken),
      commit,
    }).catch((e: unknown) => e);

    expect(error).toBe(taken);
    expect(commit).not.toHaveBeenCalled();
    expect(book.pending('a@pve')).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it('keeps the claim while the outcome is unknown, and releases it with the reservation', async () => {
    const { context, book } = harness(taskApi(['stopped']), 60);
    const events: string[] = [];

    const error = await commitClaimedChange(context, {
      planner: coresPlanner(1),
      what: 'create VM 101',
      claim: idClaim(events),
      commit: () => ({ write: () => Promise.reject(lostContact), changed: 'x' }),
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(events).toEqual(['claimed']);
    await vi.waitFor(() => expect(book.pending('a@pve')).toEqual([]));
    expect(events).toEqual(['claimed', 'released']);
  });
});
