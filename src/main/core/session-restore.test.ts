import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { createLogger } from '../log/logger';
import type { Ticket } from '../pve/auth';
import type { PveCaller } from '../pve/connection';
import { MemoryStore } from '../store/key-value-store';
import { MemorySecretStore } from '../store/secrets';
import { KeptTickets } from './kept-ticket';
import { KeptSignInRestore, type TicketSession } from './session-restore';

const url = 'https://pve1.lab:8006';
const issuedAt = 1_000_000;
const ticket: Ticket = {
  ticket: 'PVE:alice@pve:6750A1B2::c2lnbmF0dXJl',
  csrfToken: '6750A1B2:Y3NyZg',
  userid: 'alice@pve',
  issuedAt,
};

/** A restore whose renewal fails with `error`, the number of renewals sent, and what is kept. */
function failingRestore(error: AppError): {
  restore: KeptSignInRestore;
  kept: KeptTickets;
  renewals: () => number;
} {
  const kept = new KeptTickets(new MemoryStore(), new MemorySecretStore(), () => issuedAt);
  kept.keep(url, ticket);
  let sent = 0;
  const connection: PveCaller = {
    baseUrl: url,
    call: () => {
      sent += 1;
      return Promise.reject(error);
    },
  };
  const restore = new KeptSignInRestore({
    kept,
    log: createLogger({ level: 'silent' }),
    now: () => issuedAt,
    generation: () => 0,
    // Only the connection is used before the renewal succeeds.
    open: () => ({ api: { connection }, holder: { ticket } }) as unknown as TicketSession,
    activate: () => {
      throw new Error('a failed renewal must not sign in');
    },
  });
  return { restore, kept, renewals: () => sent };
}

describe('KeptSignInRestore', () => {
  const unreached = 'the cluster could not be reached.';

  it.each([
    ['a refused connection', new AppError('PVE_UNREACHABLE', 'refused'), unreached],
    ['a timeout', new AppError('PVE_TIMEOUT', 'no answer'), unreached],
    ['no node of the cluster answering', new AppError('CLUSTER_UNREACHABLE', 'none'), unreached],
    [
      'a failed TLS set-up',
      new AppError('TLS_ERROR', 'handshake failed'),
      'a secure connection to the cluster could not be set up.',
    ],
  ])('keeps the ticket for a retry after %s', async (_what, error, reason) => {
    const { restore, kept } = failingRestore(error);

    await restore.run();

    expect(restore.failure()).toEqual({
      userid: 'alice@pve',
      clusterUrl: url,
      reason,
      stillKept: true,
    });
    expect(kept.read()).toEqual({ kind: 'usable', kept: { clusterUrl: url, ticket } });
  });

  it.each([
    ['a pin mismatch', new AppError('CERT_MISMATCH', 'other certificate')],
    [
      'a cluster whose other node presented another certificate',
      new AppError('CLUSTER_UNREACHABLE', 'none usable', {
        nodes: [
          { url, name: 'pve1', reason: 'refused the connection' },
          {
            url: 'https://pve2.lab:8006',
            name: 'pve2',
            reason: 'presented a different certificate',
            pinnedFingerprint: 'AA:BB',
            presentedFingerprint: 'CC:DD',
          },
        ],
      }),
    ],
  ])('deletes the ticket after %s', async (_what, error) => {
    const { restore, kept } = failingRestore(error);

    await restore.run();

    expect(restore.failure()).toEqual({
      userid: 'alice@pve',
      clusterUrl: url,
      reason: "the cluster's certificate is no longer the one you trusted.",
    });
    expect(kept.read()).toEqual({ kind: 'none' });
  });

  it('keeps the ticket for a retry when PVE fails on its side before judging it', async () => {
    const { restore, kept } = failingRestore(
      new AppError('PVE_ERROR', 'cfs-lock timeout', { status: 500 }),
    );

    await restore.run();

    expect(restore.failure()).toEqual({
      userid: 'alice@pve',
      clusterUrl: url,
      reason: 'PVE did not renew it (cfs-lock timeout).',
      stillKept: true,
    });
    expect(kept.read()).toEqual({ kind: 'usable', kept: { clusterUrl: url, ticket } });
  });

  it('deletes the ticket PVE refuses', async () => {
    const { restore, kept } = failingRestore(
      new AppError('SESSION_EXPIRED', 'expired', { status: 401 }),
    );

    await restore.run();

    expect(restore.failure()?.reason).toBe('PVE no longer accepts it.');
    expect(restore.failure()?.stillKept).toBeUndefined();
    expect(kept.read()).toEqual({ kind: 'none' });
  });

  it('sends one renewal for two restores asked for at once', async () => {
    const { restore, renewals } = failingRestore(new AppError('PVE_UNREACHABLE', 'refused'));

    await Promise.all([restore.run(), restore.run()]);

    expect(renewals()).toBe(1);
  });

  it('forgets a "still kept" failure once nothing is kept any more', async () => {
    const { restore, kept } = failingRestore(new AppError('PVE_UNREACHABLE', 'refused'));
    await restore.run();
    kept.forget();

    await restore.run();

    expect(restore.failure()).toBeNull();
  });
});
