import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/main/quota/policy';
import { demoPolicyWith, startLab, type Lab } from './lab';

// The demo policy with CPU model rules for alice: at most 2 guests on an x86-64-v2 model, at
// most 1 on the host CPU, and no other model. Her VMs 100 (pve1) and 101 (pve2) both run
// x86-64-v2-AES in the bundled scenario, so the x86-64-v2 rule is full and the host rule empty.

const vm100 = { node: 'pve1', type: 'qemu', vmid: 100 } as const;
const vm101 = { node: 'pve2', type: 'qemu', vmid: 101 } as const;

function policyWithCpuRules(): Policy {
  return demoPolicyWith('alice@pve', (alice) => ({
    ...alice,
    cpuModels: [
      { match: 'x86-64-v2*', max: 2, label: 'x86-64-v2 models' },
      { match: 'host', max: 1, label: 'Host CPU' },
    ],
  }));
}

function cpuOf(lab: Lab, vmid: number): unknown {
  return lab.sim.state.instances.get(vmid)?.config.cpu;
}

function configWrites(lab: Lab): number {
  return lab.sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/config')).length;
}

let lab: Lab;

beforeEach(async () => {
  lab = await startLab({}, { policy: policyWithCpuRules() });
  await lab.signIn();
});
afterEach(async () => {
  expect(lab.sim.schemaViolations).toEqual([]);
  await lab.close();
});

describe('CPU model changes against the cpuModels rules', () => {
  it('lets a VM move to a model whose rule has room, counting it against that rule', async () => {
    const preview = await lab.call('quota:preview', {
      kind: 'instance:resources',
      ...vm100,
      cpuType: 'host',
    });
    const result = await lab.call('instance:resources', { ...vm100, cpuType: 'host' });
    const usage = await lab.call('quota:usage');

    expect(preview.approved).toBe(true);
    expect(preview.items.map((i) => [i.resource, i.used, i.requested, i.after, i.fits])).toEqual([
      ['cpuModel:x86-64-v2*', 2, -1, 1, true],
      ['cpuModel:host', 0, 1, 1, true],
    ]);
    expect(result).toMatchObject({ changed: true, resources: { cpuType: 'host' } });
    expect(cpuOf(lab, 100)).toBe('host');
    expect(usage.resources.find((r) => r.resource === 'cpuModel:host')?.used).toBe(1);
    expect(usage.resources.find((r) => r.resource === 'cpuModel:x86-64-v2*')?.used).toBe(1);
  });

  it('refuses a second guest on a model whose rule is full, itemised, and writes nothing', async () => {
    await lab.call('instance:resources', { ...vm100, cpuType: 'host' });
    const writes = configWrites(lab);

    const preview = await lab.call('quota:preview', {
      kind: 'instance:resources',
      ...vm101,
      cpuType: 'host',
    });
    const error = await lab.fail('instance:resources', { ...vm101, cpuType: 'host' });

    expect(preview.approved).toBe(false);
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'cpuModel:host',
        label: 'Host CPU',
        unit: 'count',
        limit: 1,
        used: 1,
        requested: 1,
        shortfall: 1,
      },
    ]);
    expect(error.message).toContain('Host CPU: asks for 1, 0 left of 1 (1 short)');
    expect(preview.items.filter((i) => !i.fits).map((i) => i.resource)).toEqual(['cpuModel:host']);
    expect(configWrites(lab)).toBe(writes);
    expect(cpuOf(lab, 101)).toBe('x86-64-v2-AES');
  });

  it('refuses a model that no rule of the policy allows, naming the model', async () => {
    const error = await lab.fail('instance:resources', { ...vm100, cpuType: 'EPYC-v4' });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'cpuModel:unlisted:EPYC-v4',
        label: 'CPU model EPYC-v4 (not in the policy)',
        unit: 'count',
        limit: 0,
        used: 0,
        requested: 1,
        shortfall: 1,
      },
    ]);
    expect(cpuOf(lab, 100)).toBe('x86-64-v2-AES');
  });

  it('refuses a model change even when the cores in the same request would fit', async () => {
    const error = await lab.fail('instance:resources', { ...vm100, cores: 3, cpuType: 'EPYC-v4' });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls?.map((s) => s.resource)).toEqual([
      'cpuModel:unlisted:EPYC-v4',
    ]);
    expect(lab.sim.state.instances.get(100)?.config.cores).toBe(2);
  });

  it('prices a change of cores alone without touching the CPU model rules', async () => {
    const preview = await lab.call('quota:preview', {
      kind: 'instance:resources',
      ...vm101,
      cores: 3,
    });
    const result = await lab.call('instance:resources', { ...vm101, cores: 3 });

    expect(preview.items.map((i) => i.resource)).toEqual(['cores']);
    expect(preview.approved).toBe(true);
    expect(result.resources.cores).toBe(3);
  });

  it('lets a guest take the place another guest freed under a full rule', async () => {
    // 101 leaves the full x86-64-v2 rule for the host CPU; 100 follows, and finds the host rule full.
    await lab.call('instance:resources', { ...vm101, cpuType: 'host' });
    const refused = await lab.fail('instance:resources', { ...vm100, cpuType: 'host' });

    const back = await lab.call('instance:resources', { ...vm101, cpuType: 'x86-64-v2-AES' });
    const moved = await lab.call('instance:resources', { ...vm100, cpuType: 'host' });

    expect(refused.code).toBe('QUOTA_EXCEEDED');
    expect(back.resources.cpuType).toBe('x86-64-v2-AES');
    expect(moved.resources.cpuType).toBe('host');
    expect([cpuOf(lab, 100), cpuOf(lab, 101)]).toEqual(['host', 'x86-64-v2-AES']);
  });
});

describe('the CPU model in instance:get', () => {
  it('returns the model a VM runs, and the new one once it changed, keeping the flags', async () => {
    const vm = lab.sim.state.instances.get(100);
    if (!vm) throw new Error('the scenario has no VM 100');
    vm.config.cpu = 'cputype=x86-64-v2-AES,flags=+aes';

    const before = await lab.call('instance:get', vm100);
    await lab.call('instance:resources', { ...vm100, cpuType: 'host' });
    const after = await lab.call('instance:get', vm100);

    expect(before.cpuType).toBe('x86-64-v2-AES');
    expect(after.cpuType).toBe('host');
    expect(cpuOf(lab, 100)).toBe('host,flags=+aes');
    expect(after.problems).toEqual([]);
  });

  it('returns no model for a container, nor for a VM that names none', async () => {
    const vm = lab.sim.state.instances.get(101);
    if (!vm) throw new Error('the scenario has no VM 101');
    vm.config.cpu = 'flags=+aes';

    const container = await lab.call('instance:get', { node: 'pve1', type: 'lxc', vmid: 200 });
    const flagsOnly = await lab.call('instance:get', vm101);

    expect(container.cpuType).toBeNull();
    expect(flagsOnly.cpuType).toBeNull();
    expect(flagsOnly.problems).toEqual([]);
  });

  it('reports an unreadable cpu value as a problem and no model', async () => {
    const vm = lab.sim.state.instances.get(101);
    if (!vm) throw new Error('the scenario has no VM 101');
    vm.config.cpu = 'host,cputype=kvm64';

    const detail = await lab.call('instance:get', vm101);

    expect(detail.cpuType).toBeNull();
    expect(detail.problems).toContainEqual({
      key: 'cpu',
      reason: 'key "cputype" appears more than once',
    });
  });
});
