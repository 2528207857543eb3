import { z } from 'zod';
import { nodeNameSchema, vmidSchema } from './ids';

// Schemas of the network interface channels. Every value that ends up inside a `netN` property
// string is checked here to be a single token, so that no input can add or change an option
// (`vmbr0,rate=0`, `eth0,ip=10.0.0.1/8`). contract.ts declares the channels with these shapes.

/** The NIC models of qemu's `netN` (the enum of PVE's schema). */
export const nicModels = [
  'e1000',
  'e1000-82540em',
  'e1000-82544gc',
  'e1000-82545em',
  'e1000e',
  'i82551',
  'i82557b',
  'i82559er',
  'ne2k_isa',
  'ne2k_pci',
  'pcnet',
  'rtl8139',
  'virtio',
  'vmxnet3',
] as const;

/** A qemu NIC model. */
export type NicModel = (typeof nicModels)[number];

/** The interface slots of a guest: `net0` to `net31`, for VMs and containers alike. */
export const netSlotCount = 32;

const netKeyPattern = /^net([0-9]|[12][0-9]|3[01])$/;

/** A network interface's config key, `net0` to `net31`. */
export const netKeySchema = z
  .string()
  .max(5)
  .regex(netKeyPattern, 'not an interface key net0-net31');

/** Whether a config key names a network interface slot. */
export function isNetKey(key: string): boolean {
  return netKeyPattern.test(key);
}

// PVE's pattern for bridge ids and container interface names is `[-_.\w\d]+`; Linux also limits
// an interface name to 15 characters, so a longer one could never be created on the node.
const interfaceNamePattern = /^[A-Za-z0-9_.-]{1,15}$/;

/** A bridge on the node (`vmbr0`, an SDN vnet): letters, digits, `-`, `_`, `.`, at most 15. */
export const bridgeNameSchema = z
  .string()
  .regex(interfaceNamePattern, 'a bridge name is 1-15 letters, digits, -, _ or .');

/** The name of an interface inside a container (`eth1`), as PVE's lxc `name` accepts it. */
export const lxcInterfaceNameSchema = z
  .string()
  .regex(interfaceNamePattern, 'an interface name is 1-15 letters, digits, -, _ or .');

/** A VLAN tag, 1 to 4094. */
export const vlanTagSchema = z.number().int().min(1).max(4094);

/**
 * The largest rate ProxDesk writes, in PVE's MB/s. PVE's schema sets no maximum; 100 000 MB/s is
 * above any NIC a lab node has (800 Gbit/s) and keeps every rate an exact number of bytes.
 */
export const maxRateMBps = 100_000;

/** A rate limit in PVE's MB/s: above 0, at most three decimals (as PVE prints them). */
export const rateMBpsSchema = z
  .number()
  .gt(0, 'a rate is above 0 MB/s; leave it out for no limit')
  .max(maxRateMBps)
  .refine((rate) => Math.round(rate * 1000) / 1000 === rate, 'use at most three decimals');

/** How a new container interface gets its IPv4 address. */
export const lxcIpModes = ['dhcp', 'manual'] as const;

const target = { node: nodeNameSchema, vmid: vmidSchema };
const common = {
  bridge: bridgeNameSchema,
  vlanTag: vlanTagSchema.optional(),
  rateMBps: rateMBpsSchema.optional(),
};

/** A new interface: a VM's needs a NIC model, a container's a name (and optionally DHCP). */
export const netCreateInputSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...target, type: z.literal('qemu'), model: z.enum(nicModels), ...common }),
  z.strictObject({
    ...target,
    type: z.literal('lxc'),
    name: lxcInterfaceNameSchema,
    ip: z.enum(lxcIpModes).optional(),
    ...common,
  }),
]);

/** A change of one interface's rate; null removes the limit (an unlimited interface). */
export const netModifyInputSchema = z.strictObject({
  ...target,
  type: z.enum(['qemu', 'lxc']),
  key: netKeySchema,
  rateMBps: rateMBpsSchema.nullable(),
});

/** One interface to remove. */
export const netDeleteInputSchema = z.strictObject({
  ...target,
  type: z.enum(['qemu', 'lxc']),
  key: netKeySchema,
});

/** One network interface of a guest, as parsed from its config. */
export const networkInterfaceSchema = z.object({
  key: z.string(),
  /** The NIC model (VMs only). */
  model: z.string().nullable(),
  mac: z.string().nullable(),
  bridge: z.string().nullable(),
  vlanTag: z.number().nullable(),
  /** The interface name inside the container (containers only). */
  name: z.string().nullable(),
  /** Null when the interface has no limit (no `rate`, or `rate=0`). */
  rateBytesPerSecond: z.number().nullable(),
});

/** A network interface of a guest. */
export type NetworkInterface = z.infer<typeof networkInterfaceSchema>;
/** A new interface, as `net:create` takes it. */
export type NetCreateInput = z.infer<typeof netCreateInputSchema>;
