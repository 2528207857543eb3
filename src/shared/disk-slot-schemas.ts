import { z } from 'zod';
import { diskKeySchema, instanceTypeSchema, isDiskKey, nodeNameSchema, vmidSchema } from './ids';

// Schemas of the channels that detach, attach and delete volumes, and of the constraints the
// forms are fed with. Every value that ends up in a config key or a property string is checked
// here to be a single token: a mount path can never add an option (`/data,backup=1`).

const unusedKeyPattern = /^unused([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$/;

/** An `unusedN` config key (0-255): a detached volume still on its storage. */
export const unusedKeySchema = z.string().max(9).regex(unusedKeyPattern, 'not an unusedN key');

/** Whether a config key names an unused volume. */
export function isUnusedKey(key: string): boolean {
  return unusedKeyPattern.test(key);
}

/** The qemu buses an unused volume can be attached to. */
export const attachBuses = ['scsi', 'virtio', 'sata', 'ide'] as const;

/** A qemu bus for attaching. */
export type AttachBus = (typeof attachBuses)[number];

/**
 * A path inside a container: absolute, no `..` segment, and none of the characters that would
 * end or extend the `mpN` property string (`,` `=`) or that a path never needs (whitespace, NUL).
 */
export const mountPathSchema = z
  .string()
  .min(2)
  .max(255)
  .regex(/^\/[^,=\s\0]*$/, 'an absolute path without commas, equals signs or spaces')
  // Every part must name a directory: `//`, `/./` or a trailing `/` would alias another path,
  // `//` even the container's root, which is the rootfs.
  .refine(
    (path) =>
      path
        .slice(1)
        .split('/')
        .every((part) => part !== '' && part !== '.' && part !== '..'),
    'each part of the path must be a name: no empty parts, "." or ".."',
  );

const refFields = { node: nodeNameSchema, type: instanceTypeSchema, vmid: vmidSchema };

/** Input of `disk:detach`: a qemu disk or an lxc mount point (never the rootfs). */
export const diskDetachInputSchema = z
  .strictObject({ ...refFields, disk: diskKeySchema })
  .refine((input) => isDiskKey(input.type, input.disk), {
    message: 'not a disk slot of this guest type',
    path: ['disk'],
  })
  .refine((input) => input.disk !== 'rootfs', {
    message: 'the rootfs cannot be detached',
    path: ['disk'],
  });

/** Input of `disk:attach`: an unused volume, and a bus (qemu) or a mount path (lxc). */
export const diskAttachInputSchema = z
  .strictObject({
    ...refFields,
    volume: unusedKeySchema,
    bus: z.enum(attachBuses).optional(),
    mountPath: mountPathSchema.optional(),
  })
  .refine((input) => (input.type === 'qemu' ? input.bus !== undefined : true), {
    message: 'a VM disk needs a bus',
    path: ['bus'],
  })
  .refine((input) => (input.type === 'lxc' ? input.mountPath !== undefined : true), {
    message: 'a mount point needs a path',
    path: ['mountPath'],
  })
  .refine((input) => (input.type === 'qemu' ? input.mountPath === undefined : true), {
    message: 'a VM disk has no mount path',
    path: ['mountPath'],
  })
  .refine((input) => (input.type === 'lxc' ? input.bus === undefined : true), {
    message: 'a mount point has no bus',
    path: ['bus'],
  });

/** Input of `disk:delete`: an unused volume, or a CD drive (checked against the config). */
export const diskDeleteInputSchema = z
  .strictObject({ ...refFields, disk: z.string().max(12) })
  .refine((input) => isUnusedKey(input.disk) || isDiskKey(input.type, input.disk), {
    message: 'not a disk slot or unused volume of this guest type',
    path: ['disk'],
  });

/** What detach, attach and delete answer: the key changed and where the volume is now. */
export const diskSlotResultSchema = z.object({
  /** The key the request named. */
  key: z.string(),
  /** The key the volume now sits in (`unused0`, `scsi1`), or null when it is gone. */
  newKey: z.string().nullable(),
  volume: z.string(),
});

/** A `cpuModels` or `pci` entry: how many matching items in all, and on the nodes it limits. */
const listRuleConstraintSchema = z.object({
  match: z.string(),
  max: z.number(),
  /** Matching items the guests of one node may have; a node not named is limited by max alone. */
  perNode: z.record(z.string(), z.number()),
});

/** The policy's constraints for the signed-in user, to fill the forms' choices. */
export const quotaConstraintsSchema = z.object({
  userid: z.string(),
  /** Nodes the user may place guests on; null means any node. */
  nodes: z.array(z.string()).nullable(),
  /** Inclusive ranges of guest ids the user may create; null means any id. */
  vmidRanges: z.array(z.object({ min: z.number(), max: z.number() })).nullable(),
  pools: z.array(z.string()),
  /** The storages the policy names; a storage not listed has no limit and allows every bus. */
  storages: z.array(
    z.object({ storage: z.string(), maxBytes: z.number().nullable(), buses: z.array(z.string()) }),
  ),
  templates: z.array(
    z.object({
      name: z.string(),
      type: instanceTypeSchema,
      description: z.string().nullable(),
      cost: z.object({
        cores: z.number(),
        memoryBytes: z.number(),
        swapBytes: z.number(),
        networkBytesPerSecond: z.number(),
        storageBytes: z.record(z.string(), z.number()),
      }),
    }),
  ),
  cpuModels: z.array(listRuleConstraintSchema),
  /** The model `cpuModels` counts a VM as when its config names none (PVE's default). */
  defaultCpuModel: z.string().optional(),
  pciDevices: z.array(listRuleConstraintSchema),
  /** Allow lists of installation media by volume-id pattern; null (or absent) means any listed. */
  isoImages: z
    .array(z.object({ match: z.string(), label: z.string().nullable() }))
    .nullable()
    .optional(),
  containerTemplates: z
    .array(z.object({ match: z.string(), label: z.string().nullable() }))
    .nullable()
    .optional(),
});

/** Input types. */
export type DiskAttachInput = z.infer<typeof diskAttachInputSchema>;
/** What the slot channels answer. */
export type DiskSlotResult = z.infer<typeof diskSlotResultSchema>;
/** The user's constraints for forms. */
export type QuotaConstraints = z.infer<typeof quotaConstraintsSchema>;
