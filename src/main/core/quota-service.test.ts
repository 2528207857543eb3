import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { GiB } from '../../shared/units';
import { createLogger } from '../log/logger';
import { parsePolicy, type Policy } from '../quota/policy';
import { QuotaService } from './quota-service';

const log = createLogger({ level: 'silent' });
const good = { version: 1, users: { 'alice@pve': { pools: ['alice'], memory: { max: '8GiB' } } } };
const folders: string[] = [];

function policyFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'proxdesk-quota-'));
  folders.push(folder);
  return folder;
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
  }
  throw new Error('expected an AppError');
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('QuotaService.importPolicy', () => {
  it('puts a valid policy in force and writes the text to the policy file', () => {
    const file = join(policyFolder(), 'policy.json');
    writeFileSync(file, JSON.stringify({ version: 1 }));
    const quota = new QuotaService({ file }, log);
    const text = JSON.stringify(good, null, 2);

    const result = quota.importPolicy(text);

    expect(result.savedTo).toBe(file);
    expect(quota.currentPolicy()?.users['alice@pve']?.memory?.max).toBe(8 * GiB);
    expect(readFileSync(file, 'utf8')).toBe(`${text}\n`);
  });

  it('refuses a bad policy with every bad path and keeps the previous one, file included', () => {
    const file = join(policyFolder(), 'policy.json');
    writeFileSync(file, JSON.stringify(good));
    const quota = new QuotaService({ file }, log);
    const bad = { version: 2, users: { 'alice@pve': { memory: { max: 'lots' }, swapp: {} } } };

    const error = thrown(() => quota.importPolicy(JSON.stringify(bad)));

    expect(error.code).toBe('POLICY_INVALID');
    expect(Object.keys(error.details?.fields ?? {}).sort()).toEqual([
      'users.alice@pve.memory.max',
      'users.alice@pve.swapp',
      'version',
    ]);
    expect(quota.currentPolicy()?.users['alice@pve']?.memory?.max).toBe(8 * GiB);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(good));
  });

  it('keeps the previous policy when the file cannot be written', () => {
    const file = join(policyFolder(), 'missing-folder', 'policy.json');
    const quota = new QuotaService({ policy: parsedGood(), file }, log);
    const larger = {
      ...good,
      users: { 'alice@pve': { pools: ['alice'], memory: { max: '64GiB' } } },
    };

    const error = thrown(() => quota.importPolicy(JSON.stringify(larger)));

    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/could not be saved .*ENOENT.*previous policy stays in force/);
    expect(quota.currentPolicy()?.users['alice@pve']?.memory?.max).toBe(8 * GiB);
  });

  it('installs a first policy when none could be loaded', () => {
    const quota = new QuotaService({ file: join(policyFolder(), 'absent.json') }, log);
    expect(quota.currentPolicy()).toBeNull();

    quota.importPolicy(JSON.stringify(good));

    expect(quota.currentPolicy()?.users['alice@pve']).toBeDefined();
  });
});

function parsedGood(): Policy {
  const parsed = parsePolicy(good);
  if (!parsed.ok) throw new Error('the test policy should parse');
  return parsed.policy;
}
