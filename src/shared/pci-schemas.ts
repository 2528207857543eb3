import { z } from 'zod';
import { instanceTypeSchema, nodeNameSchema, vmidSchema } from './ids';

// The PCI passthrough channels: the devices a user may attach, and attaching, re-flagging and
// detaching one on a VM's `hostpciN` slots. Ids are checked here and again where they are written.

/** A PCI device id as PVE takes it: `0000:01:00.0`, or the short form `01:00.0`. */
export const pciIdSchema = z
  .string()
  .regex(/^([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}(\.[0-7])?$/i, 'not a PCI device id');

/** A cluster resource mapping id (`lab-gpu`). */
export const pciMappingIdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,127}$/, 'not a resource mapping id');

/** A `hostpciN` config key (0 to 15). */
export const hostpciKeySchema = z.string().regex(/^hostpci([0-9]|1[0-5])$/, 'not a hostpci key');

/** How many `hostpciN` slots a VM has. */
export const hostpciSlotCount = 16;

/** The device to pass through: a resource mapping or a raw host device. */
export const pciDeviceChoiceSchema = z.union(
  [z.strictObject({ mapping: pciMappingIdSchema }), z.strictObject({ host: pciIdSchema })],
  {
    error:
      'expected either { mapping: a resource mapping id } or { host: one PCI id such as 0000:01:00.0 }',
  },
);

const flagsShape = {
  pcie: z.boolean().optional(),
  xVga: z.boolean().optional(),
  rombar: z.boolean().optional(),
};

const guestShape = { node: nodeNameSchema, type: instanceTypeSchema, vmid: vmidSchema };

/**
 * Why a listed device cannot be attached on the node: `not-on-node` when the cluster mapping has no
 * device for that node (a configuration fact, not a quota one), `quota` when the policy's room for
 * it is used up there, `usage-unknown` when guests the limit counts could not be read, so what is
 * left is not known. `message` is the sentence the dialog shows.
 */
export const pciUnavailableSchema = z.object({
  reason: z.enum(['not-on-node', 'quota', 'usage-unknown']),
  message: z.string(),
});

/** One device the user may attach on a node, with what the policy leaves of it. */
export const pciAvailableSchema = z.object({
  /** The name the policy matches: `mapping:lab-gpu` or `host:0000:01:00.0`. */
  item: z.string(),
  kind: z.enum(['mapping', 'host']),
  /** The mapping id or the full PCI id. */
  id: z.string(),
  description: z.string(),
  iommuGroup: z.number().nullable(),
  /** How many more the policy entry allows; null when the policy does not limit PCI devices. */
  left: z.number().nullable(),
  /** Why it cannot be attached on the node; null when it can. */
  unavailable: pciUnavailableSchema.nullable(),
});

/** A device attached on a `hostpciN` slot. */
export const pciAttachedSchema = z.object({
  key: z.string(),
  mapping: z.string().nullable(),
  host: z.array(z.string()),
  pcie: z.boolean(),
  xVga: z.boolean(),
  /** Null when the config leaves `rombar` at PVE's default (on). */
  rombar: z.boolean().nullable(),
});

/** `pci:list` input. */
export const pciListInputSchema = z.strictObject({ node: nodeNameSchema });
/** `pci:list` output; `hostDevicesReadable` is false when PVE refused the node's device list. */
export const pciListOutputSchema = z.object({
  devices: z.array(pciAvailableSchema),
  hostDevicesReadable: z.boolean(),
});
/** `pci:attached` input. */
export const pciAttachedInputSchema = z.strictObject(guestShape);
/** `pci:attach` input. */
export const pciAttachInputSchema = z.strictObject({
  ...guestShape,
  device: pciDeviceChoiceSchema,
  ...flagsShape,
});
/** `pci:modify` input. */
export const pciModifyInputSchema = z.strictObject({
  ...guestShape,
  key: hostpciKeySchema,
  ...flagsShape,
});
/** `pci:detach` input. */
export const pciDetachInputSchema = z.strictObject({ ...guestShape, key: hostpciKeySchema });

/** Why a listed device cannot be attached on the node. */
export type PciUnavailable = z.infer<typeof pciUnavailableSchema>;
/** A device the user may attach. */
export type PciAvailable = z.infer<typeof pciAvailableSchema>;
/** A device attached to a VM. */
export type PciAttached = z.infer<typeof pciAttachedSchema>;
/** `pci:attach` input. */
export type PciAttachInput = z.infer<typeof pciAttachInputSchema>;
/** The flags an attach or modify sets. */
export type PciFlags = Pick<PciAttachInput, 'pcie' | 'xVga' | 'rombar'>;
