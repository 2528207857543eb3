import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { WriteLedger, noteRequest } from '../pve/write-ledger';
import { sessionEndedError } from './session-resume';

const expired = new AppError('SESSION_EXPIRED', 'Your PVE session has ended. Sign in again.', {
  status: 401,
});

/** Runs `sends` inside a fresh ledger, as invoke does, and returns the ledger. */
async function ledgerOf(sends: () => void): Promise<WriteLedger> {
  const ledger = new WriteLedger();
  await ledger.run(async () => {
    await Promise.resolve();
    sends();
  });
  return ledger;
}

describe('sessionEndedError', () => {
  it('marks a call that sent only reads as resumable', async () => {
    const ledger = await ledgerOf(() => {
      noteRequest('GET', '/cluster/resources')(200);
      noteRequest('GET', '/nodes/pve1/qemu/100/config')(401);
    });

    expect(ledger.writes()).toEqual([]);
    expect(sessionEndedError(expired, ledger).toData()).toEqual({
      code: 'SESSION_EXPIRED',
      message: 'Your PVE session has ended. Sign in again.',
      details: { status: 401, resumable: true },
    });
  });

  it('marks a call whose only write PVE refused with 401 as resumable', async () => {
    const ledger = await ledgerOf(() => noteRequest('PUT', '/nodes/pve1/qemu/100/resize')(401));

    expect(sessionEndedError(expired, ledger).details?.resumable).toBe(true);
  });

  it('ignores ticket requests, which change nothing on the cluster', async () => {
    const ledger = await ledgerOf(() => noteRequest('POST', '/access/ticket')(200));

    expect(ledger.writes()).toEqual([]);
    expect(sessionEndedError(expired, ledger).details?.resumable).toBe(true);
  });

  it('refuses to resume once a write was accepted, even if a later one got 401', async () => {
    const ledger = await ledgerOf(() => {
      noteRequest('PUT', '/nodes/pve1/qemu/100/config')(200);
      noteRequest('PUT', '/nodes/pve1/qemu/100/config')(401);
    });

    const error = sessionEndedError(expired, ledger);

    expect(error.code).toBe('SESSION_EXPIRED');
    expect(error.details).toEqual({ status: 401, resumable: false });
    expect(error.message).toMatch(/will not send it again/);
  });

  it('refuses to resume a write that was sent and never answered', async () => {
    const ledger = await ledgerOf(() => {
      noteRequest('POST', '/nodes/pve1/qemu/100/config');
    });

    expect(ledger.writes()).toEqual([
      { method: 'POST', path: '/nodes/pve1/qemu/100/config', status: null },
    ]);
    expect(sessionEndedError(expired, ledger).details?.resumable).toBe(false);
  });

  it('records nothing outside a call, and keeps two calls apart', async () => {
    noteRequest('PUT', '/outside')(200);
    const first = new WriteLedger();
    const second = new WriteLedger();

    await Promise.all([
      first.run(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        noteRequest('PUT', '/first')(200);
      }),
      second.run(async () => {
        noteRequest('DELETE', '/second')(401);
        await Promise.resolve();
      }),
    ]);

    expect(first.writes().map((w) => w.path)).toEqual(['/first']);
    expect(second.writes().map((w) => w.path)).toEqual(['/second']);
  });

  it('passes other errors through unchanged', async () => {
    const other = new AppError('PVE_VALIDATION', 'bad');

    expect(sessionEndedError(other, await ledgerOf(() => undefined))).toBe(other);
  });
});
