import type { InstanceRef } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ResourceChangeInput } from '../../shared/guest-change-schemas';
import type { NetCreateInput, NetworkInterface } from '../../shared/network-schemas';
import type { PciAttachInput, PciFlags } from '../../shared/pci-schemas';
import type { GuestConfig } from '../pve/api-schemas';
import type { ResourceDelta } from '../quota/approve';
import type { UserLimits } from '../quota/limits';
import type { GuestForUsage } from '../quota/usage';
import {
  checkNameFree,
  firstFreeNetKey,
  interfaceValue,
  networkDelta,
  newInterfaceValue,
  readNetworkInterfaces,
  withRate,
} from './network-change';
import { firstFreePciKey, newPciValue, pciDelta, pciValue, withPciFlags } from './pci-change';
import { requireMappingOnNode } from './pci-listing';
import { guestPlanner, unchangedPlan, type OnGuest, type Planner } from './planner';
import {
  checkResourceFields,
  planResourceChange,
  resourceDelta,
  type PlannedChange,
} from './resource-change';

// The planners of the guest config operations (CPU and memory, network interfaces, PCI devices):
// the config values each writes, and what it costs as the guest's usage after minus before. The
// operations commit through them and `quota:preview` prices with them. Input that can never be
// written is refused when the planner is built, before anything is read.

/** Config values to write (`PUT .../config`, without the digest), the config after, and a key. */
export interface ConfigPlan {
  params: Record<string, string | number>;
  after: GuestConfig;
  /** The config key the change is about (`net1`, `hostpci0`). */
  key: string;
}

function refOf(input: InstanceRef): InstanceRef {
  return { node: input.node, type: input.type, vmid: input.vmid };
}

/** An interface of the config as the contract shows it; NOT_FOUND when it cannot be read. */
export function interfaceIn(
  type: 'qemu' | 'lxc',
  config: GuestConfig,
  key: string,
  vmid: number,
): NetworkInterface {
  const found = readNetworkInterfaces(type, config).find((n) => n.key === key);
  if (!found) throw new AppError('NOT_FOUND', `Guest ${vmid} has no readable interface ${key}.`);
  return found;
}

/** Throws INVALID_INPUT for a container: only VMs pass PCI devices through. */
export function qemuOnly(ref: InstanceRef): void {
  if (ref.type !== 'qemu') {
    throw new AppError('INVALID_INPUT', 'type: only VMs can pass PCI devices through', {
      fields: { type: 'only VMs can pass PCI devices through' },
    });
  }
}

/** Cores, sockets, memory, swap and the CPU model; a new model counts against its list rule. */
export function planResources(input: ResourceChangeInput): Planner<OnGuest<PlannedChange>> {
  // A field the guest type does not have is bad input, refused before anything is read.
  checkResourceFields(input.type, input);
  return guestPlanner(refOf(input), ({ guest, limits }) => {
    const plan = planResourceChange(input.type, guest.config, input);
    if (Object.keys(plan.params).length === 0) return unchangedPlan(guest, plan);
    return { delta: resourceDelta(limits, guest, plan.after), detail: plan };
  });
}

/** One `key: value` config write, priced by `delta`. */
function configWrite(config: GuestConfig, key: string, value: string): ConfigPlan {
  return { key, params: { [key]: value }, after: { ...config, [key]: value } };
}

/** A new interface in the first free `netN` slot, priced by its rate. */
export function planNetCreate(input: NetCreateInput): Planner<OnGuest<ConfigPlan>> {
  // Built before anything is read, so a value that cannot be written is refused at once.
  const value = newInterfaceValue(input);
  return guestPlanner(refOf(input), ({ guest, limits }) => {
    if (input.type === 'lxc') checkNameFree(guest.config, input.name);
    const write = configWrite(guest.config, firstFreeNetKey(guest.config), value);
    return { delta: networkDelta(limits, guest, write.after), detail: write };
  });
}

/** A new rate (null: no limit) on an interface, every other option kept. */
export function planNetModify(
  input: InstanceRef & { key: string; rateMBps: number | null },
): Planner<OnGuest<ConfigPlan>> {
  return guestPlanner(refOf(input), ({ guest, limits }) => {
    // An interface ProxDesk cannot read is refused before writing, not after.
    interfaceIn(input.type, guest.config, input.key, input.vmid);
    const current = interfaceValue(guest.config, input.key, input.vmid);
    const value = withRate(input.type, current, input.rateMBps);
    if (value === null) {
      return unchangedPlan(guest, { key: input.key, params: {}, after: guest.config });
    }
    const write = configWrite(guest.config, input.key, value);
    return { delta: networkDelta(limits, guest, write.after), detail: write };
  });
}

/** Removing an interface frees what it counted. */
export function planNetDelete(input: InstanceRef & { key: string }): Planner<OnGuest<ConfigPlan>> {
  return removalPlanner(input, interfaceValue, networkDelta);
}

/** A device or mapping on the first free `hostpciN` slot, counted against its policy rule. */
export function planPciAttach(input: PciAttachInput): Planner<OnGuest<ConfigPlan>> {
  qemuOnly(input);
  // Built before anything is read, so a value that cannot be written is refused at once.
  const value = newPciValue(input);
  return guestPlanner(refOf(input), async ({ api, guest, limits }) => {
    if ('mapping' in input.device)
      await requireMappingOnNode(api, input.device.mapping, guest.node);
    const write = configWrite(guest.config, firstFreePciKey(guest.config), value);
    return { delta: pciDelta(limits, guest, write.after), detail: write };
  });
}

/** New pcie, x-vga and rombar flags on an attached device, everything else kept. */
export function planPciModify(
  input: InstanceRef & PciFlags & { key: string },
): Planner<OnGuest<ConfigPlan>> {
  qemuOnly(input);
  return guestPlanner(refOf(input), ({ guest, limits }) => {
    const value = withPciFlags(pciValue(guest.config, input.key, input.vmid), input);
    if (value === null) {
      return unchangedPlan(guest, { key: input.key, params: {}, after: guest.config });
    }
    const write = configWrite(guest.config, input.key, value);
    return { delta: pciDelta(limits, guest, write.after), detail: write };
  });
}

/** Removing a device frees what it counted. */
export function planPciDetach(input: InstanceRef & { key: string }): Planner<OnGuest<ConfigPlan>> {
  qemuOnly(input);
  return removalPlanner(input, pciValue, pciDelta);
}

/** Removing the config key `input.key`, which `check` confirms the guest has first. */
function removalPlanner(
  input: InstanceRef & { key: string },
  check: (config: GuestConfig, key: string, vmid: number) => string,
  price: (limits: UserLimits, guest: GuestForUsage, after: GuestConfig) => ResourceDelta,
): Planner<OnGuest<ConfigPlan>> {
  return guestPlanner(refOf(input), ({ guest, limits }) => {
    check(guest.config, input.key, input.vmid);
    const after: GuestConfig = { ...guest.config };
    delete after[input.key];
    // Approval lets every decrease through, even for a user already over quota.
    return {
      delta: price(limits, guest, after),
      detail: { key: input.key, params: { delete: input.key }, after },
    };
  });
}
