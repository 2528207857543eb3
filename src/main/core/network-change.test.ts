import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { MiB } from '../../shared/units';
import { approveChange } from '../quota/approve';
import { parsePolicy, resolveUserLimits, type UserLimits } from '../quota/policy';
import { computeUsage, type GuestForUsage } from '../quota/usage';
import { firstFreeNetKey, networkDelta, newInterfaceValue, withRate } from './network-change';

function limitsOf(network: Record<string, unknown>): UserLimits {
  const parsed = parsePolicy({
    version: 1,
    users: { 'alice@pve': { pools: ['alice'], network } },
  });
  if (!parsed.ok) throw new Error('test policy is not valid');
  const limits = resolveUserLimits(parsed.policy, 'alice@pve');
  if (!limits) throw new Error('test policy names no alice');
  return limits;
}

const vm = (config: Record<string, string>): GuestForUsage => ({
  node: 'pve1',
  type: 'qemu',
  vmid: 100,
  pool: 'alice',
  config: { digest: 'd', ...config },
});

describe('newInterfaceValue', () => {
  it('writes a VM interface with the model bare and no MAC, so PVE generates one', () => {
    const value = newInterfaceValue({
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      model: 'e1000e',
      bridge: 'vmbr0',
      vlanTag: 4094,
      rateMBps: 0.125,
    });

    expect(value).toBe('e1000e,bridge=vmbr0,tag=4094,rate=0.125');
  });

  it('writes a container interface with its name first and no rate when none is asked', () => {
    const value = newInterfaceValue({
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      name: 'eth1',
      bridge: 'vnet_a.1',
      ip: 'manual',
    });

    expect(value).toBe('name=eth1,bridge=vnet_a.1,ip=manual');
  });

  it('refuses a bridge that would add an option even when the contract was bypassed', () => {
    const call = (): string =>
      newInterfaceValue({
        node: 'pve1',
        type: 'qemu',
        vmid: 100,
        model: 'virtio',
        bridge: 'a,rate=0',
      });

    expect(call).toThrow(AppError);
    expect(call).toThrow('bridge: not a value ProxDesk can write');
  });
});

describe('withRate', () => {
  it('changes the rate in place and keeps the MAC and every other option in order', () => {
    expect(withRate('qemu', 'virtio=BC:24:11:00:00:01,bridge=vmbr0,rate=50,tag=3', 7.5)).toBe(
      'virtio=BC:24:11:00:00:01,bridge=vmbr0,rate=7.5,tag=3',
    );
  });

  it('removes the rate for null and adds one to an interface without it', () => {
    expect(withRate('lxc', 'name=eth0,bridge=vmbr0,rate=10,type=veth', null)).toBe(
      'name=eth0,bridge=vmbr0,type=veth',
    );
    expect(withRate('lxc', 'name=eth0,bridge=vmbr0', 10)).toBe('name=eth0,bridge=vmbr0,rate=10');
  });

  it('reports no change when the rate is already as asked, rate=0 being no limit', () => {
    expect(withRate('qemu', 'virtio,bridge=vmbr0,rate=25.5', 25.5)).toBeNull();
    expect(withRate('qemu', 'virtio,bridge=vmbr0,rate=0', null)).toBeNull();
    expect(withRate('qemu', 'virtio,bridge=vmbr0', null)).toBeNull();
  });
});

describe('firstFreeNetKey', () => {
  it('takes the lowest unused slot and refuses when all 32 are used', () => {
    expect(firstFreeNetKey({ net0: 'a', net2: 'b' })).toBe('net1');
    const full = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`net${i}`, 'virtio']));

    expect(() => firstFreeNetKey(full)).toThrow('All 32 network interface slots are in use.');
  });
});

describe('networkDelta', () => {
  it('prices a new interface without a rate at the policy unlimited cost', () => {
    const limits = limitsOf({ max: '100MB/s', unlimitedRateCost: '30MB/s' });
    const guest = vm({ net0: 'virtio,bridge=vmbr0,rate=10' });

    const delta = networkDelta(limits, guest, { ...guest.config, net1: 'virtio,bridge=vmbr0' });

    expect(delta).toEqual({ node: 'pve1', networkBytesPerSecond: 30 * MiB });
  });

  it('prices lifting a limit without an unlimited cost at the whole limit, never as free', () => {
    const limits = limitsOf({ max: '100MB/s' });
    const guest = vm({ net0: 'virtio,bridge=vmbr0,rate=10' });

    const delta = networkDelta(limits, guest, { ...guest.config, net0: 'virtio,bridge=vmbr0' });

    expect(delta.networkBytesPerSecond).toBe(90 * MiB);
  });

  it('is refused by the node limit when the global limit has room', () => {
    const limits = limitsOf({ max: '1000MB/s', perNode: { pve1: '40MB/s' } });
    const guest = vm({ net0: 'virtio,bridge=vmbr0,rate=30' });
    const delta = networkDelta(limits, guest, { ...guest.config, net1: 'virtio,rate=15' });

    const decision = approveChange(limits, computeUsage(limits, [guest]), delta);

    expect(decision.approved).toBe(false);
    expect(decision.shortfalls).toEqual([
      {
        resource: 'network@pve1',
        label: 'Network rate on pve1',
        unit: 'bytesPerSecond',
        limit: 40 * MiB,
        used: 30 * MiB,
        requested: 15 * MiB,
        shortfall: 5 * MiB,
      },
    ]);
  });

  it('gives a negative change for a removed interface', () => {
    const limits = limitsOf({ max: '100MB/s' });
    const guest = vm({ net0: 'virtio,bridge=vmbr0,rate=12.5' });

    expect(networkDelta(limits, guest, { digest: 'd' })).toEqual({
      node: 'pve1',
      networkBytesPerSecond: -12.5 * MiB,
    });
  });
});
