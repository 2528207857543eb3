import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { Ticket } from '../pve/auth';
import { MemoryStore } from '../store/key-value-store';
import { MemorySecretStore, type SecretStore } from '../store/secrets';
import { keptTicketMarginMs, KeptTickets } from './kept-ticket';

const url = 'https://pve1.lab:8006';
const hour = 3_600_000;
const ticket: Ticket = {
  ticket: 'PVE:alice@pve:6750A1B2::c2lnbmF0dXJl',
  csrfToken: '6750A1B2:Y3NyZg',
  userid: 'alice@pve',
  issuedAt: 1_000_000,
};

function setup(secrets: SecretStore = new MemorySecretStore()): {
  kept: KeptTickets;
  settings: MemoryStore;
  secrets: SecretStore;
  clock: { now: number };
} {
  const settings = new MemoryStore();
  const clock = { now: ticket.issuedAt };
  return { kept: new KeptTickets(settings, secrets, () => clock.now), settings, secrets, clock };
}

describe('KeptTickets', () => {
  it('keeps the ticket in the secret store and only who and where in the settings', () => {
    const { kept, settings, secrets } = setup();

    expect(kept.keep(url, ticket)).toBe(true);

    expect(settings.get('session.staySignedIn')).toEqual({ userid: 'alice@pve', clusterUrl: url });
    expect(JSON.parse(secrets.get('session-ticket') ?? '')).toEqual({ clusterUrl: url, ...ticket });
    expect(kept.read()).toEqual({ kind: 'usable', kept: { clusterUrl: url, ticket } });
  });

  it('finds nothing when nothing is kept, and drops a secret the settings do not list', () => {
    const { kept, secrets } = setup();
    secrets.set('session-ticket', JSON.stringify({ clusterUrl: url, ...ticket }));

    expect(kept.read()).toEqual({ kind: 'none' });
    expect(secrets.get('session-ticket')).toBeNull();
  });

  it('uses a ticket up to the margin before its two hours, and drops it from there on', () => {
    const { kept, clock, secrets } = setup();
    kept.keep(url, ticket);

    clock.now = ticket.issuedAt + 2 * hour - keptTicketMarginMs - 1;
    expect(kept.read().kind).toBe('usable');

    clock.now += 1;
    expect(kept.read()).toEqual({
      kind: 'dropped',
      marker: { userid: 'alice@pve', clusterUrl: url },
      reason: 'it had expired.',
    });
    expect(secrets.get('session-ticket')).toBeNull();
    expect(kept.marker()).toBeNull();
  });

  it('drops a ticket issued after the current time', () => {
    const { kept, clock } = setup();
    kept.keep(url, ticket);
    clock.now = ticket.issuedAt - 1;

    expect(kept.read()).toMatchObject({
      kind: 'dropped',
      reason: "it was issued after this computer's current time.",
    });
  });

  it('drops a kept value that is not JSON, lacks a field, or names another user', () => {
    const cases: [string, string][] = [
      ['not json', 'it was damaged.'],
      [JSON.stringify({ clusterUrl: url, ...ticket, csrfToken: '' }), 'it was damaged.'],
      [
        JSON.stringify({ clusterUrl: url, ...ticket, userid: 'bob@pve' }),
        'it did not match the user it was listed for.',
      ],
    ];
    for (const [value, reason] of cases) {
      const { kept, secrets, settings } = setup();
      kept.keep(url, ticket);
      secrets.set('session-ticket', value);

      expect(kept.read()).toMatchObject({ kind: 'dropped', reason });
      expect(secrets.get('session-ticket')).toBeNull();
      expect(settings.get('session.staySignedIn')).toBeUndefined();
    }
  });

  it('drops a listed sign-in whose secret the keychain cannot give back', () => {
    const { kept, secrets } = setup();
    kept.keep(url, ticket);
    secrets.delete('session-ticket');

    expect(kept.read()).toMatchObject({
      kind: 'dropped',
      reason: 'ProxDesk could not read it from the OS keychain.',
    });
    expect(kept.marker()).toBeNull();
  });

  it('forgets the secret and the marker together', () => {
    const { kept, secrets, settings } = setup();
    kept.keep(url, ticket);

    kept.forget();

    expect(secrets.get('session-ticket')).toBeNull();
    expect(settings.get('session.staySignedIn')).toBeUndefined();
    expect(kept.read()).toEqual({ kind: 'none' });
  });

  it('refuses "stay signed in" without encrypted storage, and keeps nothing if storing fails', () => {
    const refusing: SecretStore = {
      get: () => null,
      set: () => {
        throw new AppError('INVALID_INPUT', 'no keychain');
      },
      delete: () => undefined,
      available: () => false,
    };
    const { kept, settings } = setup(refusing);

    expect(() => kept.requireAvailable()).toThrow(/no encrypted storage \(OS keychain\)/);
    expect(kept.keep(url, ticket)).toBe(false);
    expect(settings.get('session.staySignedIn')).toBeUndefined();
  });

  it('lets "stay signed in" through when the secret store can encrypt', () => {
    const { kept } = setup();

    expect(() => kept.requireAvailable()).not.toThrow();
  });
});
