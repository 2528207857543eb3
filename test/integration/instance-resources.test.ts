import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GiB, MiB } from '../../src/shared/units';
import { startLab, type Lab } from './lab';

// Alice's figures in the bundled scenario against the demo policy: 7 of 16 cores (100: 2×1,
// 101: 2×2, 200: 1), 12 800 MiB of 32 GiB memory (4096 + 8192 + 512), 512 MiB of 8 GiB swap.

function configWrites(lab: Lab): number {
  return lab.sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/config')).length;
}

function config(lab: Lab, vmid: number): Record<string, string | number> {
  const guest = lab.sim.state.instances.get(vmid);
  if (!guest) throw new Error(`the scenario has no guest ${vmid}`);
  return guest.config;
}

describe('instance:resources', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('raises the memory of a VM within quota, writing only memory with the priced digest', async () => {
    const changes: string[] = [];
    const stop = lab.core.on('cluster:changed', (event) => changes.push(event.reason));
    const before = await lab.call('instance:get', { node: 'pve1', type: 'qemu', vmid: 100 });

    const result = await lab.call('instance:resources', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      memoryMiB: 6144,
      cores: 2,
    });
    stop();
    const usage = await lab.call('quota:usage');

    expect(result).toEqual({
      changed: true,
      resources: { cores: 2, sockets: 1, memoryMiB: 6144, swapMiB: null, cpuType: 'x86-64-v2-AES' },
    });
    const write = lab.sim.requests.filter((r) => r.method === 'PUT').at(-1);
    expect(write).toMatchObject({
      path: '/nodes/pve1/qemu/100/config',
      params: { memory: '6144', digest: before.digest },
      status: 200,
    });
    expect(Object.keys(write?.params ?? {}).sort()).toEqual(['digest', 'memory']);
    expect(config(lab, 100).memory).toBe('6144');
    expect(changes).toEqual(['changed the resources of 100']);
    expect(usage.resources.find((r) => r.resource === 'memory')?.used).toBe(14_848 * MiB);
  });

  it('refuses an increase beyond the quota with the exact shortfalls, writing nothing', async () => {
    const writes = configWrites(lab);

    const error = await lab.fail('instance:resources', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      cores: 4,
      sockets: 4,
      memoryMiB: 32_768,
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'cores',
        label: 'Cores',
        unit: 'count',
        limit: 16,
        used: 7,
        requested: 12,
        shortfall: 3,
      },
      {
        resource: 'memory',
        label: 'Memory',
        unit: 'bytes',
        limit: 32 * GiB,
        used: 14_848 * MiB,
        requested: 24_576 * MiB,
        shortfall: (14_848 + 24_576 - 32_768) * MiB,
      },
    ]);
    expect(configWrites(lab)).toBe(writes);
    expect(config(lab, 101)).toMatchObject({ cores: 2, sockets: 2, memory: '8192' });
  });

  it('lets a decrease through for a user who is over quota', async () => {
    config(lab, 101).memory = '40000';
    // A fresh read, as the quota panel makes, so pricing sees the change made around ProxDesk.
    const over = (await lab.call('quota:usage')).resources.find((r) => r.resource === 'memory');
    expect(over?.used).toBe((6144 + 40_000 + 512) * MiB);

    const result = await lab.call('instance:resources', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      memoryMiB: 30_000,
    });

    expect(result.resources.memoryMiB).toBe(30_000);
    expect(config(lab, 101).memory).toBe('30000');
    config(lab, 101).memory = '8192';
  });

  it('changes cores and swap of a container, stored as numbers as PVE types them', async () => {
    const result = await lab.call('instance:resources', {
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      cores: 2,
      swapMiB: 1024,
    });

    expect(result.resources).toEqual({
      cores: 2,
      sockets: null,
      memoryMiB: 512,
      swapMiB: 1024,
      cpuType: null,
    });
    expect(config(lab, 200)).toMatchObject({ cores: 2, swap: 1024, memory: 512 });
  });

  it('changes the CPU model and keeps the other CPU options', async () => {
    config(lab, 100).cpu = 'x86-64-v2-AES,flags=+aes';

    const result = await lab.call('instance:resources', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      cpuType: 'host',
    });

    expect(result.resources.cpuType).toBe('host');
    expect(config(lab, 100).cpu).toBe('host,flags=+aes');
  });

  it('writes nothing when every value is already as asked', async () => {
    const writes = configWrites(lab);

    const result = await lab.call('instance:resources', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      memoryMiB: 6144,
      sockets: 1,
    });

    expect(result.changed).toBe(false);
    expect(configWrites(lab)).toBe(writes);
  });

  it('lets only one of two concurrent increases through when both would not fit together', async () => {
    // 14 848 MiB used after the first test; each asks for 10 GiB more, only one fits in 32 GiB.
    const used = (await lab.call('quota:usage')).resources.find((r) => r.resource === 'memory');
    expect(used?.used).toBe(14_848 * MiB);

    const results = await Promise.all([
      lab.core.invoke('instance:resources', {
        node: 'pve1',
        type: 'qemu',
        vmid: 100,
        memoryMiB: 16_384,
      }),
      lab.core.invoke('instance:resources', {
        node: 'pve2',
        type: 'qemu',
        vmid: 101,
        memoryMiB: 18_432,
      }),
    ]);

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED' } });
    const memory = (await lab.call('quota:usage')).resources.find((r) => r.resource === 'memory');
    expect(memory?.used).toBeLessThanOrEqual(32 * GiB);
    config(lab, 100).memory = '6144';
    config(lab, 101).memory = '8192';
  });

  it('maps a config changed between pricing and writing to CONFLICT and overwrites nothing', async () => {
    // Another client edits VM 101 each time right after ProxDesk has read its config, so the
    // config priced (whether read now or kept from a moment ago) is never the one PVE holds.
    let edits = 0;
    const stop = lab.sim.onRequest((request) => {
      if (request.method === 'GET' && request.path === '/nodes/pve2/qemu/101/config') {
        edits += 1;
        config(lab, 101).description = `edited elsewhere (${edits})`;
      }
    });
    const error = await lab
      .call('quota:usage')
      .then(() =>
        lab.fail('instance:resources', {
          node: 'pve2',
          type: 'qemu',
          vmid: 101,
          memoryMiB: 10_240,
        }),
      )
      .finally(stop);

    expect(error.code).toBe('CONFLICT');
    expect(lab.sim.requests.filter((r) => r.method === 'PUT').at(-1)).toMatchObject({
      path: '/nodes/pve2/qemu/101/config',
      status: 500,
    });
    // PVE refused the write: memory is as it was, and the other client's edit is still there.
    expect(config(lab, 101).memory).toBe('8192');
    expect(config(lab, 101).description).toBe(`edited elsewhere (${edits})`);
    expect(edits).toBeGreaterThan(0);
    delete config(lab, 101).description;
  });

  it('refuses a guest outside the user pools and writes nothing', async () => {
    const writes = configWrites(lab);

    const error = await lab.fail('instance:resources', {
      node: 'pve1',
      type: 'qemu',
      vmid: 300,
      memoryMiB: 1024,
    });

    expect(error.code).toBe('NOT_OWNED');
    expect(configWrites(lab)).toBe(writes);
    expect(config(lab, 300).memory).toBe('2048');
  });

  it('refuses a locked guest and writes nothing', async () => {
    config(lab, 200).lock = 'backup';
    await lab.call('quota:usage');
    const writes = configWrites(lab);

    const error = await lab
      .fail('instance:resources', { node: 'pve1', type: 'lxc', vmid: 200, memoryMiB: 256 })
      .finally(() => delete config(lab, 200).lock);
    await lab.call('quota:usage');

    expect(error.code).toBe('LOCKED');
    expect(configWrites(lab)).toBe(writes);
    expect(config(lab, 200).memory).toBe(512);
  });

  it.each([
    ['sockets on a container', 'lxc', 200, { sockets: 2 }, 'sockets'],
    ['a CPU model on a container', 'lxc', 200, { cpuType: 'host' }, 'cpuType'],
    ['swap on a VM', 'qemu', 100, { swapMiB: 512 }, 'swapMiB'],
  ])(
    'refuses %s with INVALID_INPUT before reading anything',
    async (_name, type, vmid, values, field) => {
      const before = lab.sim.requests.length;

      const error = await lab.fail('instance:resources', { node: 'pve1', type, vmid, ...values });

      expect(error.code).toBe('INVALID_INPUT');
      expect(Object.keys(error.details?.fields ?? {})).toEqual([field]);
      expect(lab.sim.requests.length).toBe(before);
    },
  );

  it.each([
    ['NaN memory', { memoryMiB: Number.NaN }],
    ['negative swap', { swapMiB: -1 }],
    ['memory as a string', { memoryMiB: '4096' }],
    ['fractional cores', { cores: 1.5 }],
    ['zero cores', { cores: 0 }],
    ['more cores than the bound', { cores: 513 }],
    ['memory below PVE minimum', { memoryMiB: 15 }],
    ['infinite memory', { memoryMiB: Number.POSITIVE_INFINITY }],
    ['a CPU model with an extra option', { cpuType: 'host,flags=+pcid' }],
    ['a hostile node name', { node: '../../access', memoryMiB: 1024 }],
    ['a vmid as a string', { vmid: '100', memoryMiB: 1024 }],
    ['no value to change', {}],
    ['an unknown field', { memoryMiB: 1024, balloon: 0 }],
  ])('refuses %s with INVALID_INPUT and sends nothing', async (_name, override) => {
    const before = lab.sim.requests.length;

    const error = await lab.fail('instance:resources', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      ...override,
    });

    expect(error.code).toBe('INVALID_INPUT');
    expect(lab.sim.requests.length).toBe(before);
  });
});
