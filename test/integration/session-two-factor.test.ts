import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../src/shared/contract';
import { totpCode } from '../pve-sim';
import { startLab, type Lab } from './lab';

const carol = { realm: 'pve', username: 'carol', password: 'carol-lab-pass' };

describe('two-factor sign-in', () => {
  let lab: Lab;
  let coreNow = Date.now();
  let secret = '';
  const statuses: SessionStatus[] = [];

  beforeAll(async () => {
    lab = await startLab({ loginFailureDelayMs: 20 }, { now: () => coreNow });
    secret = lab.sim.users.find((user) => user.userid === 'carol@pve')?.totpSecret ?? '';
    lab.core.on('session:changed', (status) => statuses.push(status));
    await lab.trust();
  });
  beforeEach(async () => {
    coreNow = Date.now();
    await lab.call('session:logout');
  });
  afterAll(async () => {
    await lab.close();
  });

  it('asks for the second factor after the password, with the methods and no session', async () => {
    const result = await lab.call('session:login', { url: lab.sim.url, ...carol });
    const status = await lab.call('session:status');

    expect(result).toEqual({
      signedIn: false,
      secondFactor: {
        userid: 'carol@pve',
        methods: ['totp', 'recovery'],
        expiresAt: new Date(coreNow + 3 * 60_000).toISOString(),
      },
    });
    expect(JSON.stringify(result)).not.toMatch(/PVE:|tfa!/);
    expect(status).toEqual({ signedIn: false });
  });

  it('signs in with the current TOTP code', async () => {
    await lab.call('session:login', { url: lab.sim.url, ...carol });

    const status = await lab.call('session:second-factor', {
      method: 'totp',
      code: totpCode(secret, Date.now()),
    });
    const instances = await lab.call('instance:list');

    expect(status).toMatchObject({
      signedIn: true,
      userid: 'carol@pve',
      via: 'ticket',
      clusterUrl: lab.sim.url,
    });
    expect(status.expiresAt).toBe(new Date(coreNow + 2 * 3600_000).toISOString());
    expect(instances).toEqual([]);
    expect(statuses.at(-1)).toEqual(status);
  });

  it('accepts a code typed with a space, as authenticator apps show it', async () => {
    await lab.call('session:login', { url: lab.sim.url, ...carol });
    const code = totpCode(secret, Date.now());

    const status = await lab.call('session:second-factor', {
      method: 'totp',
      code: `${code.slice(0, 3)} ${code.slice(3)}`,
    });

    expect(status.userid).toBe('carol@pve');
  });

  it('refuses a wrong code with PVE_AUTH, and lets the user try again', async () => {
    await lab.call('session:login', { url: lab.sim.url, ...carol });
    const right = totpCode(secret, Date.now());
    const wrong = right === '000000' ? '111111' : '000000';

    const error = await lab.fail('session:second-factor', { method: 'totp', code: wrong });
    const retry = await lab.call('session:second-factor', { method: 'totp', code: right });

    expect(error.code).toBe('PVE_AUTH');
    expect(error.message).toMatch(/code was not accepted/);
    expect(retry.signedIn).toBe(true);
  });

  it('gives up after five wrong codes: the password step must start again', async () => {
    await lab.call('session:login', { url: lab.sim.url, ...carol });
    const right = totpCode(secret, Date.now());
    const wrong = right === '000000' ? '111111' : '000000';

    const messages: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      messages.push(
        (await lab.fail('session:second-factor', { method: 'totp', code: wrong })).message,
      );
    }
    const afterwards = await lab.fail('session:second-factor', { method: 'totp', code: right });

    expect(messages.slice(0, 4).every((m) => /code was not accepted/.test(m))).toBe(true);
    expect(messages[4]).toMatch(/wrong too many times/);
    expect(afterwards.code).toBe('NOT_SIGNED_IN');
  });

  it('refuses malformed codes before anything is sent to PVE', async () => {
    await lab.call('session:login', { url: lab.sim.url, ...carol });
    const before = lab.sim.requests.length;

    const short = await lab.fail('session:second-factor', { method: 'totp', code: '12345' });
    const letters = await lab.fail('session:second-factor', { method: 'totp', code: '12a456' });
    const hostile = await lab.fail('session:second-factor', {
      method: 'recovery',
      code: 'x&password=1',
    });
    const unknown = await lab.fail('session:second-factor', { method: 'sms', code: '123456' });

    expect([short.code, letters.code, hostile.code, unknown.code]).toEqual([
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
    ]);
    expect(lab.sim.requests.length).toBe(before);
  });

  it('takes a recovery key once and refuses it the second time', async () => {
    await lab.call('session:login', { url: lab.sim.url, ...carol });
    const first = await lab.call('session:second-factor', {
      method: 'recovery',
      code: '39d0-c6a1-f84b-17e2',
    });
    await lab.call('session:logout');

    await lab.call('session:login', { url: lab.sim.url, ...carol });
    const again = await lab.fail('session:second-factor', {
      method: 'recovery',
      code: '39d0-c6a1-f84b-17e2',
    });

    expect(first.signedIn).toBe(true);
    expect(again.code).toBe('PVE_AUTH');
    expect((await lab.call('session:status')).signedIn).toBe(false);
  });

  it('never treats the waiting attempt as a session: other channels send nothing to PVE', async () => {
    await lab.call('session:login', { url: lab.sim.url, ...carol });
    const before = lab.sim.requests.length;

    const list = await lab.fail('instance:list');
    const quota = await lab.fail('quota:usage');
    const resize = await lab.fail('disk:resize', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      disk: 'scsi0',
      addGiB: 1,
    });

    expect([list.code, quota.code, resize.code]).toEqual([
      'NOT_SIGNED_IN',
      'NOT_SIGNED_IN',
      'NOT_SIGNED_IN',
    ]);
    expect(lab.sim.requests.length).toBe(before);
  });

  it('refuses a second step with no password step before it, or after signing out', async () => {
    const none = await lab.fail('session:second-factor', { method: 'totp', code: '123456' });
    await lab.call('session:login', { url: lab.sim.url, ...carol });
    await lab.call('session:logout');
    const cancelled = await lab.fail('session:second-factor', {
      method: 'totp',
      code: totpCode(secret, Date.now()),
    });

    expect(none.code).toBe('NOT_SIGNED_IN');
    expect(cancelled.code).toBe('NOT_SIGNED_IN');
  });

  it('forgets the attempt after three minutes', async () => {
    await lab.call('session:login', { url: lab.sim.url, ...carol });
    const before = lab.sim.requests.length;
    coreNow += 3 * 60_000;

    const late = await lab.fail('session:second-factor', {
      method: 'totp',
      code: totpCode(secret, Date.now()),
    });
    const again = await lab.fail('session:second-factor', {
      method: 'totp',
      code: totpCode(secret, Date.now()),
    });

    expect(late.code).toBe('SESSION_EXPIRED');
    expect(late.message).toMatch(/took too long/);
    expect(again.code).toBe('NOT_SIGNED_IN');
    expect(lab.sim.requests.length).toBe(before);
  });

  it('signs a user without a second factor straight in', async () => {
    const result = await lab.call('session:login', {
      url: lab.sim.url,
      realm: 'pve',
      username: 'bob',
      password: 'bob-lab-pass',
    });

    expect(result).toMatchObject({ signedIn: true, userid: 'bob@pve' });
  });

  it('ends the current session when a new sign-in starts, before its second step', async () => {
    const bob = { url: lab.sim.url, realm: 'pve', username: 'bob', password: 'bob-lab-pass' };
    await lab.call('session:login', bob);

    await lab.call('session:login', { url: lab.sim.url, ...carol });
    const between = await lab.call('session:status');
    const status = await lab.call('session:second-factor', {
      method: 'totp',
      code: totpCode(secret, Date.now()),
    });

    expect(between).toEqual({ signedIn: false });
    expect(status.userid).toBe('carol@pve');
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});
