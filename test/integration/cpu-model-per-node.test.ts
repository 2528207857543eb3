import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/main/quota/policy';
import { demoPolicyWith, startLab, type Lab } from './lab';

// The demo policy with CPU model rules for alice where the host CPU is allowed twice, but never
// on pve1. Her VMs 100 (pve1) and 101 (pve2) both run x86-64-v2-AES in the bundled scenario.

const vm100 = { node: 'pve1', type: 'qemu', vmid: 100 } as const;
const vm101 = { node: 'pve2', type: 'qemu', vmid: 101 } as const;

function policyWithPerNodeCpuRule(): Policy {
  return demoPolicyWith('alice@pve', (alice) => ({
    ...alice,
    cpuModels: [
      { match: 'x86-64-v2*', max: 2, label: 'x86-64-v2 models' },
      { match: 'host', max: 2, perNode: { pve1: 0 }, label: 'Host CPU' },
    ],
  }));
}

let lab: Lab;

beforeEach(async () => {
  lab = await startLab({}, { policy: policyWithPerNodeCpuRule() });
  await lab.signIn();
});
afterEach(async () => {
  expect(lab.sim.schemaViolations).toEqual([]);
  await lab.close();
});

describe('CPU model changes under a per-node rule', () => {
  it('refuses the model on the node the rule keeps it off, and allows it on another', async () => {
    const refused = await lab.fail('instance:resources', { ...vm100, cpuType: 'host' });
    const allowed = await lab.call('instance:resources', { ...vm101, cpuType: 'host' });
    const usage = await lab.call('quota:usage');

    expect(refused.code).toBe('QUOTA_EXCEEDED');
    expect(refused.details?.shortfalls).toEqual([
      {
        resource: 'cpuModel:host@pve1',
        label: 'Host CPU on pve1',
        unit: 'count',
        limit: 0,
        used: 0,
        requested: 1,
        shortfall: 1,
      },
    ]);
    expect(refused.message).toContain(
      'Host CPU on pve1: asks for 1, and the quota policy gives you none',
    );
    expect(lab.sim.state.instances.get(100)?.config.cpu).toBe('x86-64-v2-AES');
    expect(allowed.resources.cpuType).toBe('host');
    expect(
      usage.resources
        .filter((r) => r.resource.startsWith('cpuModel:'))
        .map((r) => [r.resource, r.used, r.limit]),
    ).toEqual([
      ['cpuModel:x86-64-v2*', 1, 2],
      ['cpuModel:host', 1, 2],
      ['cpuModel:host@pve1', 0, 0],
    ]);
  });
});
