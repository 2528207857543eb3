import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GiB } from '../../src/shared/units';
import { demoPolicyPath, startLab, type Lab } from './lab';

function userIndex(lab: Lab, userid: string): number {
  return lab.sim.users.findIndex((user) => user.userid === userid);
}

async function aliceMemoryLimit(lab: Lab): Promise<number | null | undefined> {
  const view = await lab.call('quota:admin');
  const alice = view.users.find((u) => u.userid === 'alice@pve');
  return alice?.resources.find((r) => r.resource === 'memory')?.limit;
}

describe('policy:import', () => {
  let lab: Lab;
  let folder: string;
  let policyFile: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'proxdesk-policy-'));
    policyFile = join(folder, 'policy.json');
    copyFileSync(demoPolicyPath, policyFile);
    lab = await startLab({}, { policyFile });
    await lab.signIn(userIndex(lab, 'labadmin@pve'));
  });
  afterAll(async () => {
    await lab.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a bad policy, lists every bad field by path and keeps the old one', async () => {
    const before = readFileSync(policyFile, 'utf8');
    const bad = JSON.parse(before) as { users: Record<string, Record<string, unknown>> };
    bad.users['alice@pve'] = { pools: ['alice'], memory: { max: '32GB' }, corse: { max: 4 } };
    bad.users['bob@pve'] = { pools: ['bob'], storage: { tank: { max: -1 } }, admin: 'yes' };

    const error = await lab.fail('policy:import', { text: JSON.stringify(bad) });

    expect(error.code).toBe('POLICY_INVALID');
    expect(Object.keys(error.details?.fields ?? {}).sort()).toEqual([
      'users.alice@pve.corse',
      'users.alice@pve.memory.max',
      'users.bob@pve.admin',
      'users.bob@pve.storage.tank.max',
    ]);
    expect(error.details?.fields?.['users.alice@pve.memory.max']).toMatch(/write GiB/);
    expect(readFileSync(policyFile, 'utf8')).toBe(before);
    expect(await aliceMemoryLimit(lab)).toBe(32 * GiB);
  });

  it('refuses text that is not JSON, and changes nothing', async () => {
    const error = await lab.fail('policy:import', { text: '{ "version": 1,' });

    expect(error.code).toBe('POLICY_INVALID');
    expect(Object.keys(error.details?.fields ?? {})).toEqual(['(document)']);
    expect(await aliceMemoryLimit(lab)).toBe(32 * GiB);
  });

  it('puts a good policy in force, writes it to the policy file, and usage is priced by it', async () => {
    const policy = JSON.parse(readFileSync(policyFile, 'utf8')) as {
      users: Record<string, { memory?: { max: string } }>;
    };
    const alice = policy.users['alice@pve'];
    if (alice) alice.memory = { max: '8GiB' };
    const text = JSON.stringify(policy, null, 2);

    const result = await lab.call('policy:import', { text });
    const view = await lab.call('quota:admin');

    expect(result).toEqual({
      users: ['alice@pve', 'bob@pve', 'carol@pve', 'labadmin@pve'],
      groups: ['students'],
      pools: [],
      savedTo: policyFile,
    });
    expect(readFileSync(policyFile, 'utf8')).toBe(`${text}\n`);
    // Alice's guests have 12 800 MiB of memory, now over her 8 GiB.
    expect(view.users.find((u) => u.userid === 'alice@pve')?.overQuota).toEqual(['memory']);
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});

describe('policy:import by a user who is not an admin', () => {
  it('is refused with NOT_ADMIN and leaves the file alone', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'proxdesk-policy-'));
    const policyFile = join(folder, 'policy.json');
    copyFileSync(demoPolicyPath, policyFile);
    const lab = await startLab({}, { policyFile });
    try {
      await lab.signIn(userIndex(lab, 'alice@pve'));
      const before = readFileSync(policyFile, 'utf8');

      const error = await lab.fail('policy:import', { text: before.replace('32GiB', '64GiB') });

      expect(error.code).toBe('NOT_ADMIN');
      expect(readFileSync(policyFile, 'utf8')).toBe(before);
    } finally {
      await lab.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
