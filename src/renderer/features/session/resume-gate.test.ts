import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppErrorData } from '../../../shared/errors';
import { isApiError } from '../../api';
import { ResumeGate, callResumable } from './resume-gate';

const resize = { node: 'pve1', type: 'qemu', vmid: 100, disk: 'scsi0', addGiB: 4 } as const;
const done = {
  disk: 'scsi0',
  storage: 'local-lvm',
  sizeBytes: 1,
  task: { upid: 'UPID:x', status: 'ok', exitStatus: 'OK' },
};

function expired(resumable: boolean): { ok: false; error: AppErrorData } {
  return {
    ok: false,
    error: {
      code: 'SESSION_EXPIRED',
      message: 'Your PVE session has ended. Sign in again.',
      details: { status: 401, resumable },
    },
  };
}

/** A bridge whose invoke answers with the given envelopes in turn, counting the calls. */
function bridgeAnswering(...answers: unknown[]): { calls: () => number } {
  let count = 0;
  const invoke = vi.fn(() => Promise.resolve(answers[Math.min(count++, answers.length - 1)]));
  vi.stubGlobal('window', { proxdesk: { invoke, on: () => () => undefined } });
  return { calls: () => count };
}

async function settled(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('callResumable', () => {
  it('waits across a proven-empty expiry and runs the change once more after resume', async () => {
    const bridge = bridgeAnswering(expired(true), { ok: true, data: done });
    const gate = new ResumeGate();

    const result = callResumable('disk:resize', resize, gate);
    await settled();

    expect(bridge.calls()).toBe(1);
    expect(gate.pending()).toEqual([
      { id: 1, channel: 'disk:resize', description: 'Grow scsi0 of guest 100 by 4 GiB' },
    ]);

    expect(gate.resume()).toBe(1);
    await expect(result).resolves.toEqual(done);
    expect(bridge.calls()).toBe(2);
    expect(gate.pending()).toEqual([]);
  });

  it('runs nothing again when the waiting change is discarded', async () => {
    const bridge = bridgeAnswering(expired(true), { ok: true, data: done });
    const gate = new ResumeGate();

    const result = callResumable('disk:resize', resize, gate);
    await settled();
    gate.discard();

    const error: unknown = await result.catch((failure: unknown) => failure);
    expect(isApiError(error, 'SESSION_EXPIRED')).toBe(true);
    expect((error as Error).message).toMatch(/not made/);
    expect(bridge.calls()).toBe(1);
    // A second resume finds nothing left to run.
    expect(gate.resume()).toBe(0);
    expect(bridge.calls()).toBe(1);
  });

  it('never waits when main says a write may have been applied', async () => {
    const bridge = bridgeAnswering(expired(false));
    const gate = new ResumeGate();

    const error: unknown = await callResumable('disk:resize', resize, gate).catch(
      (failure: unknown) => failure,
    );

    expect(isApiError(error, 'SESSION_EXPIRED')).toBe(true);
    expect(gate.pending()).toEqual([]);
    expect(bridge.calls()).toBe(1);
  });

  it('passes other failures straight through', async () => {
    bridgeAnswering({ ok: false, error: { code: 'QUOTA_EXCEEDED', message: 'over' } });
    const gate = new ResumeGate();

    await expect(callResumable('disk:resize', resize, gate)).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
    });
    expect(gate.pending()).toEqual([]);
  });

  it('tells listeners when changes start and stop waiting, with a stable snapshot between', async () => {
    bridgeAnswering(expired(true), { ok: true, data: done });
    const gate = new ResumeGate();
    const seen: number[] = [];
    gate.subscribe(() => seen.push(gate.pending().length));

    const result = callResumable('disk:resize', resize, gate);
    await settled();
    const snapshot = gate.pending();

    expect(gate.pending()).toBe(snapshot);
    gate.resume();
    await result;
    expect(seen).toEqual([1, 0]);
  });
});
