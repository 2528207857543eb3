import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/main/quota/policy';
import { cpuModelOptions } from '../../src/renderer/features/resources/cpu-model-options';
import { demoPolicyWith, startLab, type Lab } from './lab';

// Alice's CPU-model and PCI entries with per-node limits, as the forms read them from
// quota:constraints, and the CPU models the resources dialog offers from them. Her VM 100 and the
// extra VM 102 run on pve1, VM 101 on pve2; VM 102 runs x86-64-v3, the others x86-64-v2-AES.

const rawDevices = '/^host:0000:0[13]:00\\.[0-7]$/';

function policyWithPerNodeLists(): Policy {
  return demoPolicyWith('alice@pve', (alice) => ({
    ...alice,
    cpuModels: [
      { match: 'x86-64-v2*', max: 3 },
      { match: 'x86-64-v3', max: 3, perNode: { pve1: 1 } },
      { match: 'host', max: 2, perNode: { pve1: 0 } },
    ],
    pci: [{ match: rawDevices, max: 2, perNode: { pve1: 1 }, label: 'Lab devices' }],
  }));
}

function userIndex(lab: Lab, userid: string): number {
  const index = lab.sim.users.findIndex((user) => user.userid === userid);
  if (index < 0) throw new Error(`the scenario has no ${userid}`);
  return index;
}

/** A lab under `policy` where alice also owns a stopped VM on pve1 with `config`, signed in. */
async function aliceLabWith(
  policy: Policy,
  vm: { vmid: number; name: string; config: Record<string, string | number> },
): Promise<Lab> {
  const lab = await startLab({}, { policy });
  lab.sim.state.instances.set(vm.vmid, {
    vmid: vm.vmid,
    type: 'qemu',
    node: 'pve1',
    name: vm.name,
    status: 'stopped',
    pool: 'alice',
    config: vm.config,
    startedAtSeconds: null,
  });
  await lab.signIn(userIndex(lab, 'alice@pve'));
  return lab;
}

/** VM 102, the one on pve1 that runs x86-64-v3. */
const v3Guest = {
  vmid: 102,
  name: 'alice-extra',
  config: { cores: 1, cpu: 'x86-64-v3', memory: '512', name: 'alice-extra', ostype: 'l26' },
};

/** The resources that a preview of a CPU model change finds no room for. */
async function refusedCpuModel(lab: Lab, vm: object, cpuType: string): Promise<string[]> {
  const preview = await lab.call('quota:preview', { kind: 'instance:resources', ...vm, cpuType });
  return preview.items.filter((item) => !item.fits).map((item) => item.resource);
}

describe('quota:constraints with per-node list limits', () => {
  let lab: Lab;

  beforeEach(async () => {
    lab = await aliceLabWith(policyWithPerNodeLists(), v3Guest);
  });
  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it('gives every CPU-model and PCI entry with its per-node limits', async () => {
    const constraints = await lab.call('quota:constraints');

    expect(constraints.cpuModels).toEqual([
      { match: 'x86-64-v2*', max: 3, perNode: {} },
      { match: 'x86-64-v3', max: 3, perNode: { pve1: 1 } },
      { match: 'host', max: 2, perNode: { pve1: 0 } },
    ]);
    expect(constraints.pciDevices).toEqual([{ match: rawDevices, max: 2, perNode: { pve1: 1 } }]);
    expect(constraints.defaultCpuModel).toBe('kvm64');
  });

  it("offers a VM on pve1 no model pve1's limits leave no room for, as its preview refuses", async () => {
    const constraints = await lab.call('quota:constraints');
    const usage = await lab.call('quota:usage');
    const vm = { node: 'pve1', type: 'qemu', vmid: 100 };

    const options = cpuModelOptions(constraints.cpuModels, 'x86-64-v2-AES', {
      node: 'pve1',
      used: usage.resources,
    });

    expect(options.models).toEqual([
      { model: 'x86-64-v2-AES', available: true, reason: null },
      { model: 'x86-64-v3', available: false, reason: '1 of 1 used on pve1' },
      { model: 'host', available: false, reason: 'not allowed on pve1' },
    ]);
    expect(await refusedCpuModel(lab, vm, 'x86-64-v3')).toEqual(['cpuModel:x86-64-v3@pve1']);
    expect(await refusedCpuModel(lab, vm, 'host')).toEqual(['cpuModel:host@pve1']);
  });

  it('offers a VM on pve2 the models its node does not limit, as its preview allows', async () => {
    const constraints = await lab.call('quota:constraints');
    const usage = await lab.call('quota:usage');
    const vm = { node: 'pve2', type: 'qemu', vmid: 101 };

    const options = cpuModelOptions(constraints.cpuModels, 'x86-64-v2-AES', {
      node: 'pve2',
      used: usage.resources,
    });

    expect(options.models).toEqual([
      { model: 'x86-64-v2-AES', available: true, reason: null },
      { model: 'x86-64-v3', available: true, reason: null },
      { model: 'host', available: true, reason: null },
    ]);
    expect(await refusedCpuModel(lab, vm, 'x86-64-v3')).toEqual([]);
    expect(await refusedCpuModel(lab, vm, 'host')).toEqual([]);
  });
});

// A pattern entry with a per-node limit over a model the policy also names: VM 102's x86-64-v3
// fills the pattern's one place on pve1, so x86-64-v4 is full there though its own entry is not.
const newerModels = '/^x86-64-v[34]$/';

function policyWithPerNodePattern(): Policy {
  return demoPolicyWith('alice@pve', (alice) => ({
    ...alice,
    cpuModels: [
      { match: 'x86-64-v2*', max: 3 },
      { match: 'x86-64-v4', max: 3 },
      { match: newerModels, max: 3, perNode: { pve1: 1 } },
    ],
  }));
}

describe('the CPU model field under a pattern entry with a per-node limit', () => {
  let lab: Lab;

  beforeEach(async () => {
    lab = await aliceLabWith(policyWithPerNodePattern(), v3Guest);
  });
  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it('marks a named model the pattern leaves no room for on the node, as its preview refuses', async () => {
    const constraints = await lab.call('quota:constraints');
    const usage = await lab.call('quota:usage');
    const room = (node: string): { node: string; used: typeof usage.resources } => ({
      node,
      used: usage.resources,
    });

    const onPve1 = cpuModelOptions(constraints.cpuModels, 'x86-64-v2-AES', room('pve1'));
    const onPve2 = cpuModelOptions(constraints.cpuModels, 'x86-64-v2-AES', room('pve2'));
    const ownModel = cpuModelOptions(constraints.cpuModels, 'x86-64-v3', room('pve1'));

    expect(onPve1.models).toEqual([
      { model: 'x86-64-v2-AES', available: true, reason: null },
      { model: 'x86-64-v4', available: false, reason: `1 of 1 used on pve1 under ${newerModels}` },
    ]);
    expect(
      await refusedCpuModel(lab, { node: 'pve1', type: 'qemu', vmid: 100 }, 'x86-64-v4'),
    ).toEqual([`cpuModel:${newerModels}@pve1`]);
    expect(onPve2.models.map((choice) => [choice.model, choice.available])).toEqual([
      ['x86-64-v2-AES', true],
      ['x86-64-v4', true],
    ]);
    expect(
      await refusedCpuModel(lab, { node: 'pve2', type: 'qemu', vmid: 101 }, 'x86-64-v4'),
    ).toEqual([]);
    // VM 102 already counts under the pattern, so moving it to x86-64-v4 adds nothing there.
    expect(ownModel.models.map((choice) => [choice.model, choice.available])).toEqual([
      ['x86-64-v3', true],
      ['x86-64-v4', true],
    ]);
    expect(
      await refusedCpuModel(lab, { node: 'pve1', type: 'qemu', vmid: 102 }, 'x86-64-v4'),
    ).toEqual([]);
  });
});

// A VM without `cpu` is counted as the policy's default model (kvm64), which fills `kvm*`.
function policyWithDefaultModelRule(): Policy {
  return demoPolicyWith('alice@pve', (alice) => ({
    ...alice,
    cpuModels: [
      { match: 'x86-64-v2*', max: 3 },
      { match: 'kvm32', max: 2 },
      { match: 'kvm*', max: 1 },
    ],
  }));
}

describe('the CPU model field for a VM that names no model', () => {
  let lab: Lab;

  beforeEach(async () => {
    lab = await aliceLabWith(policyWithDefaultModelRule(), {
      vmid: 103,
      name: 'alice-plain',
      config: { cores: 1, memory: '512', name: 'alice-plain', ostype: 'l26' },
    });
  });
  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it("counts it as the policy's default model, so moving it within the pattern is offered as priced", async () => {
    const constraints = await lab.call('quota:constraints');
    const usage = await lab.call('quota:usage');
    const room = {
      node: 'pve1',
      used: usage.resources,
      defaultModel: constraints.defaultCpuModel ?? null,
    };

    const plain = cpuModelOptions(constraints.cpuModels, null, room);
    const other = cpuModelOptions(constraints.cpuModels, 'x86-64-v2-AES', room);

    expect(plain.models).toEqual([{ model: 'kvm32', available: true, reason: null }]);
    expect(await refusedCpuModel(lab, { node: 'pve1', type: 'qemu', vmid: 103 }, 'kvm32')).toEqual(
      [],
    );
    expect(other.models).toEqual([
      { model: 'x86-64-v2-AES', available: true, reason: null },
      { model: 'kvm32', available: false, reason: '1 of 1 used under kvm*' },
    ]);
    expect(await refusedCpuModel(lab, { node: 'pve1', type: 'qemu', vmid: 100 }, 'kvm32')).toEqual([
      'cpuModel:kvm*',
    ]);
  });
});
