import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { GiB, MiB } from '../../shared/units';
import { QuotaService } from '../core/quota-service';
import { createLogger } from '../log/logger';
import { loadPolicyFile, parsePolicy, resolveUserLimits } from './policy';

const demoPolicyFile = join(import.meta.dirname, '../../../resources/demo/policy.json');

function issuesOf(json: unknown): Array<{ path: string; message: string }> {
  const result = parsePolicy(json);
  if (result.ok) throw new Error('expected the policy to be refused');
  return result.issues;
}

describe('parsePolicy', () => {
  it('accepts the smallest policy and fills in PVE defaults for unset values', () => {
    const result = parsePolicy({ version: 1 });

    expect(result).toEqual({
      ok: true,
      policy: {
        version: 1,
        unset: {
          qemuCores: 1,
          qemuSockets: 1,
          qemuMemory: 512 * MiB,
          lxcCores: 'host',
          lxcMemory: 512 * MiB,
          lxcSwap: 512 * MiB,
          qemuCpuModel: 'kvm64',
        },
        users: {},
        groups: {},
        pools: {},
      },
    });
  });

  it('converts every quantity to its base unit', () => {
    const result = parsePolicy({
      version: 1,
      users: {
        'alice@pve': {
          cores: { max: '16', perNode: { pve1: 8 } },
          memory: { max: '32GiB', perNode: { pve2: '1.5GiB' } },
          network: { max: '200MB/s', unlimitedRateCost: '100MB/s' },
          storage: { tank: { max: '120GiB' } },
        },
      },
    });

    expect(result.ok && result.policy.users['alice@pve']).toEqual({
      cores: { max: 16, perNode: { pve1: 8 } },
      memory: { max: 32 * GiB, perNode: { pve2: 1.5 * GiB } },
      network: { max: 200 * MiB, unlimitedRateCost: 100 * MiB },
      storage: { tank: { max: 120 * GiB } },
    });
  });

  it('reports every bad field with its dotted path', () => {
    const issues = issuesOf({
      version: 2,
      extra: true,
      users: {
        bob: {},
        'alice@pve': {
          cores: { max: -1 },
          memory: { max: 32, maxx: '1GiB' },
          storage: { 'local-lvm': { max: '10GB', buses: ['floppy'] } },
          nodes: ['pve_1'],
          vmids: { min: 300, max: 200 },
          cpuModels: [{ match: '/(/', max: 1 }],
          templates: [
            { name: 'small', type: 'qemu' },
            { name: 'small', type: 'lxc' },
          ],
        },
      },
      groups: { constructor: {} },
      pools: { alice: { pools: ['x'] } },
    });

    expect(issues.map((issue) => issue.path)).toEqual([
      'version',
      'users.bob',
      'users.alice@pve.cores.max',
      'users.alice@pve.memory.max',
      'users.alice@pve.memory.maxx',
      'users.alice@pve.storage.local-lvm.max',
      'users.alice@pve.storage.local-lvm.buses.0',
      'users.alice@pve.cpuModels.0.match',
      'users.alice@pve.nodes.0',
      'users.alice@pve.vmids.max',
      'users.alice@pve.templates.1.name',
      'groups.constructor',
      'pools.alice.pools',
      'extra',
    ]);
    const message = (path: string): string | undefined =>
      issues.find((i) => i.path === path)?.message;
    expect(message('version')).toBe('this ProxDesk reads policy version 1');
    expect(message('users.bob')).toBe('is not a valid name here: not a user id such as alice@pve');
    expect(message('users.alice@pve.memory.max')).toMatch(/^32 has no unit/);
    expect(message('users.alice@pve.memory.maxx')).toMatch(/not a field of the policy/);
    expect(message('users.alice@pve.storage.local-lvm.max')).toMatch(/write GiB/);
    expect(message('users.alice@pve.vmids.max')).toBe('must not be below min');
    expect(message('groups.constructor')).toMatch(/reserved/);
  });

  it('refuses something that is not a policy at all', () => {
    expect(issuesOf(null)).toEqual([
      { path: '', message: expect.stringMatching(/object/) as string },
    ]);
    expect(issuesOf([])[0]?.path).toBe('');
  });

  it('accepts templates, pattern lists, groups and pools', () => {
    const result = parsePolicy({
      version: 1,
      unset: { lxcCores: 2 },
      groups: {
        students: {
          pools: ['students'],
          cpuModels: [{ match: 'x86-64-v2*', max: 4 }],
          pci: [{ match: '/^mapping:gpu-/', max: 1 }],
          templates: [
            {
              name: 'Debian 12 small',
              type: 'qemu',
              config: { cores: 2, memory: 2048, ostype: 'l26', agent: true },
              cost: { cores: 2, memory: '2GiB', storage: { 'local-lvm': '16GiB' } },
            },
          ],
        },
      },
      pools: { students: { backups: { max: 3 } } },
    });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.unset.lxcCores).toBe(2);
    expect(result.policy.groups.students?.templates?.[0]?.cost).toEqual({
      cores: 2,
      memory: 2 * GiB,
      storage: { 'local-lvm': 16 * GiB },
    });
  });
});

describe('loadPolicyFile', () => {
  const folder = mkdtempSync(join(tmpdir(), 'proxdesk-policy-'));

  function write(name: string, text: string): string {
    const file = join(folder, name);
    writeFileSync(file, text);
    return file;
  }

  function failure(file: string): AppError {
    try {
      loadPolicyFile(file);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error('expected loadPolicyFile to throw');
  }

  it('loads the demo policy', () => {
    const policy = loadPolicyFile(demoPolicyFile);

    expect(Object.keys(policy.users)).toEqual([
      'alice@pve',
      'bob@pve',
      'carol@pve',
      'labadmin@pve',
    ]);
    expect(resolveUserLimits(policy, 'labadmin@pve')?.admin).toBe(true);
    expect(resolveUserLimits(policy, 'alice@pve')?.admin).toBe(false);
  });

  it('refuses a missing file', () => {
    const error = failure(join(folder, 'absent.json'));

    expect(error.code).toBe('POLICY_INVALID');
    expect(error.message).toMatch(/was not loaded: it does not exist/);
  });

  it('refuses a file that is not JSON', () => {
    const error = failure(write('broken.json', '{ "version": 1, '));

    expect(error.code).toBe('POLICY_INVALID');
    expect(error.message).toMatch(/is not valid JSON/);
  });

  it('lists every bad field in the message and in details.fields', () => {
    const file = write(
      'bad.json',
      JSON.stringify({ version: 1, users: { 'a@pve': { cores: { max: 'x' }, swap: 1 } } }),
    );

    const error = failure(file);

    expect(error.code).toBe('POLICY_INVALID');
    expect(error.message).toMatch(/has 2 errors: users\.a@pve\.cores\.max: "x" is not a count/);
    expect(Object.keys(error.details?.fields ?? {})).toEqual([
      'users.a@pve.cores.max',
      'users.a@pve.swap',
    ]);
  });
});

describe('resolveUserLimits on the demo policy', () => {
  const policy = loadPolicyFile(demoPolicyFile);

  it("gives alice's limits in base units", () => {
    const limits = resolveUserLimits(policy, 'alice@pve');

    expect(limits).toEqual({
      userid: 'alice@pve',
      admin: false,
      cores: { max: 16, perNode: {} },
      memoryBytes: { max: 32 * GiB, perNode: {} },
      swapBytes: { max: 8 * GiB, perNode: {} },
      networkBytesPerSecond: { max: 200 * MiB, perNode: {}, unlimitedRateCost: 50 * MiB },
      storage: {
        'local-lvm': {
          maxBytes: 200 * GiB,
          perNode: {},
          buses: ['scsi', 'virtio', 'sata', 'ide', 'efidisk', 'tpmstate', 'rootfs', 'mp'],
        },
        tank: { maxBytes: 120 * GiB, perNode: {}, buses: ['scsi', 'virtio', 'rootfs', 'mp'] },
      },
      cpuModels: [],
      pciDevices: [
        { match: 'mapping:lab-gpu', max: 1, label: 'Lab GPU (mapping lab-gpu)' },
        { match: '/^host:0000:0[13]:00\\.[0-7]$/', max: 1, label: 'A GPU or NIC by PCI id' },
      ],
      isoImages: [{ match: 'local:iso/*', label: 'Any installer on local' }],
      containerTemplates: [
        { match: 'local:vztmpl/debian-12-*', label: 'Debian 12' },
        { match: 'local:vztmpl/ubuntu-24.04-*', label: 'Ubuntu 24.04' },
      ],
      nodes: ['pve1', 'pve2'],
      pools: ['alice'],
      vmidRanges: [{ min: 100, max: 299 }],
      templates: [
        {
          name: 'Web server',
          type: 'lxc',
          description: 'A container on vmbr0 with DHCP, started with the node.',
          config: { net0: 'name=eth0,bridge=vmbr0,ip=dhcp', onboot: 1 },
          cost: {
            cores: 0,
            memoryBytes: 0,
            swapBytes: 0,
            networkBytesPerSecond: 0,
            storageBytes: { 'local-lvm': 2 * GiB },
          },
        },
        {
          name: 'Linux VM',
          type: 'qemu',
          description: 'A Linux VM with a virtio NIC limited to 25 MB/s and the guest agent.',
          config: { ostype: 'l26', agent: 1, net0: 'virtio,bridge=vmbr0,rate=25' },
          cost: {
            cores: 0,
            memoryBytes: 0,
            swapBytes: 0,
            networkBytesPerSecond: 0,
            storageBytes: {},
          },
        },
      ],
      backups: { max: 10 },
      unset: {
        qemuCores: 1,
        qemuSockets: 1,
        qemuMemoryBytes: 512 * MiB,
        lxcCores: 'host',
        lxcMemoryBytes: 512 * MiB,
        lxcSwapBytes: 512 * MiB,
        qemuCpuModel: 'kvm64',
      },
    });
  });

  it("gives bob's smaller limits, swap from the students group", () => {
    const limits = resolveUserLimits(policy, 'bob@pve', ['lab-users', 'students']);

    expect(limits?.cores.max).toBe(8);
    expect(limits?.memoryBytes.max).toBe(16 * GiB);
    expect(limits?.swapBytes.max).toBe(4 * GiB);
    expect(limits?.networkBytesPerSecond.max).toBe(150 * MiB);
    expect(limits?.storage['local-lvm']?.maxBytes).toBe(150 * GiB);
    expect(limits?.storage.tank?.maxBytes).toBe(60 * GiB);
    expect(limits?.pools).toEqual(['bob']);
    expect(resolveUserLimits(policy, 'bob@pve')?.swapBytes.max).toBeNull();
  });

  it('names nobody else', () => {
    expect(resolveUserLimits(policy, 'mallory@pve')).toBeNull();
    expect(resolveUserLimits(policy, 'alice@pam')).toBeNull();
    expect(resolveUserLimits(policy, 'constructor')).toBeNull();
  });
});

describe('the policy documentation', () => {
  it('shows a full example that is a valid policy', () => {
    const markdown = readFileSync(join(import.meta.dirname, '../../../docs/policy.md'), 'utf8');
    const example = /## A full example\s+```json\n([\s\S]*?)\n```/.exec(markdown)?.[1];

    const result = parsePolicy(JSON.parse(example ?? 'null'));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const carol = resolveUserLimits(result.policy, 'carol@pve', ['students']);
    expect(carol?.memoryBytes.max).toBeNull();
    expect(carol?.cores.max).toBe(4);
    expect(carol?.pools).toEqual(['students']);
    const alice = resolveUserLimits(result.policy, 'alice@pve', ['students']);
    expect(alice?.pciDevices).toEqual([
      { match: 'mapping:gpu-*', max: 2, perNode: { pve1: 1, pve2: 1 }, label: 'GPU mappings' },
    ]);
    expect(alice?.cpuModels[1]).toEqual({ match: 'host', max: 2, perNode: { pve2: 1 } });
  });
});

describe('a list entry with a label', () => {
  it('keeps the label in the resolved limits and shows it in the usage rows', async () => {
    const { describeUsage } = await import('./describe-usage');
    const parsed = parsePolicy({
      version: 1,
      users: {
        'eve@pve': {
          pools: ['eve'],
          pci: [{ match: 'mapping:lab-gpu', max: 1, label: 'Lab GPU' }],
        },
      },
    });
    if (!parsed.ok) throw new Error('the policy should parse');
    const limits = resolveUserLimits(parsed.policy, 'eve@pve');
    if (!limits) throw new Error('eve should have limits');

    const rows = describeUsage(limits, {
      cores: 0,
      memoryBytes: 0,
      swapBytes: 0,
      networkBytesPerSecond: 0,
      storageBytes: {},
      perNode: {},
      cpuModels: {},
      pciDevices: { 'mapping:lab-gpu': 1 },
      problems: [],
      unread: [],
    });

    expect(limits.pciDevices).toEqual([{ match: 'mapping:lab-gpu', max: 1, label: 'Lab GPU' }]);
    expect(rows.find((row) => row.resource === 'pci:mapping:lab-gpu')).toMatchObject({
      label: 'Lab GPU',
      used: 1,
      limit: 1,
    });
  });
});

describe('per-node limits of list entries', () => {
  const entryWith = (pci: unknown): unknown => ({
    version: 1,
    users: { 'alice@pve': { pools: ['alice'], pci } },
  });

  it('accepts perNode counts beside the global max and converts them', () => {
    const result = parsePolicy(
      entryWith([{ match: 'mapping:gpu-*', max: 2, perNode: { pve1: '1', pve2: 0 } }]),
    );

    expect(result.ok && result.policy.users['alice@pve']?.pci).toEqual([
      { match: 'mapping:gpu-*', max: 2, perNode: { pve1: 1, pve2: 0 } },
    ]);
  });

  it('keeps max required, so a rule with only per-node limits is refused', () => {
    expect(issuesOf(entryWith([{ match: '*', perNode: { pve1: 1 } }]))).toEqual([
      { path: 'users.alice@pve.pci.0.max', message: 'expected a whole number' },
    ]);
  });

  it.each([
    ['a negative count', { pve1: -1 }, 'users.alice@pve.pci.0.perNode.pve1', /^-1 is not a count/],
    ['a fraction', { pve1: 1.5 }, 'users.alice@pve.pci.0.perNode.pve1', /^1.5 is not a count/],
    ['a size', { pve1: '1GiB' }, 'users.alice@pve.pci.0.perNode.pve1', /is not a count/],
    ['no number', { pve1: null }, 'users.alice@pve.pci.0.perNode.pve1', /^expected a whole/],
    ['a bad node name', { pve_1: 1 }, 'users.alice@pve.pci.0.perNode.pve_1', /not a valid PVE/],
    ['a reserved key', { constructor: 1 }, 'users.alice@pve.pci.0.perNode.constructor', /reserved/],
    ['a misspelt field', undefined, 'users.alice@pve.pci.0.pernode', /check its spelling/],
  ])('refuses %s with the path of the field', (_name, perNode, path, message) => {
    const rule =
      perNode === undefined ? { match: '*', max: 1, pernode: {} } : { match: '*', max: 1, perNode };

    const issues = issuesOf(entryWith([rule]));

    expect(issues.map((issue) => issue.path)).toEqual([path]);
    expect(issues[0]?.message).toMatch(message);
  });

  it('refuses a __proto__ key, which zod would otherwise drop without a word', () => {
    const text = '[{ "match": "*", "max": 1, "perNode": { "__proto__": 1, "pve1": 1 } }]';

    expect(issuesOf(entryWith(JSON.parse(text)))).toEqual([
      {
        path: 'users.alice@pve.pci.0.perNode.__proto__',
        message: 'is not a valid name here: this name is reserved',
      },
    ]);
  });

  it('keeps the previous policy when an import has a bad per-node count', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'proxdesk-policy-')), 'policy.json');
    const previous = JSON.stringify(entryWith([{ match: 'mapping:gpu-*', max: 1 }]));
    writeFileSync(file, previous);
    const quota = new QuotaService({ file }, createLogger({ level: 'silent' }));
    const bad = entryWith([{ match: 'mapping:gpu-*', max: 2, perNode: { pve1: 'one' } }]);

    let refusal: unknown;
    try {
      quota.importPolicy(JSON.stringify(bad));
    } catch (error) {
      refusal = error;
    }

    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('POLICY_INVALID');
    expect((refusal as AppError).details?.fields).toEqual({
      'users.alice@pve.pci.0.perNode.pve1':
        '"one" is not a count; expected a whole number of 0 or more',
    });
    expect(quota.currentPolicy()?.users['alice@pve']?.pci).toEqual([
      { match: 'mapping:gpu-*', max: 1 },
    ]);
    expect(readFileSync(file, 'utf8')).toBe(previous);
  });
});
