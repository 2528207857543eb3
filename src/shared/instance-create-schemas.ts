import { z } from 'zod';
import { attachBuses } from './disk-slot-schemas';
import { isoVolumeSchema } from './disk-create-schemas';
import { nodeNameSchema, storageIdSchema, vmidSchema } from './ids';
import { cpuTypeSchema, resourceBounds } from './operation-schemas';

// The inputs and outputs of `storage:media` and `instance:create`. Every value that reaches a
// URL, a parameter or a property string is checked here to be a single, well-formed token.

/** The installation media kinds: ISO images (`iso`) and container templates (`vztmpl`). */
export const mediaContents = ['iso', 'vztmpl'] as const;

/** A kind of installation media. */
export type MediaContent = (typeof mediaContents)[number];

/** A container template volume id, `<storage>:vztmpl/<file>.tar.<gz|xz|zst>`. */
export const containerTemplateVolumeSchema = z
  .string()
  .max(255)
  .regex(
    /^[a-z][a-z0-9\-_.]*[a-z0-9]:vztmpl\/[A-Za-z0-9][A-Za-z0-9._+-]*\.(tar\.(gz|xz|zst|bz2)|tgz|tar)$/i,
    'not a container template volume',
  );

/** Input of `storage:media`. */
export const storageMediaInputSchema = z.strictObject({
  node: nodeNameSchema,
  content: z.enum(mediaContents),
});

/** One ISO image or container template the user may use. */
export const mediaVolumeSchema = z.object({
  volid: z.string(),
  storage: z.string(),
  /** Null when the storage listing gives no size. */
  sizeBytes: z.number().nullable(),
  /** The file name, without the storage and the content folder. */
  name: z.string(),
  /** The policy entry's label when the allow list names one for it. */
  label: z.string().nullable(),
});

/**
 * A guest name as PVE's `dns-name` format allows it (qemu `name`, lxc `hostname`): labels of
 * letters, digits and inner hyphens, separated by dots.
 */
export const guestNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(
    /^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    'letters, digits and hyphens, optionally in dot-separated parts; no hyphen at either end',
  );

/** A PVE pool id (format `pve-poolid`). */
export const poolNameSchema = z
  .string()
  .max(128)
  .regex(/^[A-Za-z0-9.\-_]+(\/[A-Za-z0-9.\-_]+){0,2}$/, 'not a PVE pool name');

/** The name of a policy template, as the policy spells it. */
export const templateNameSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'not a template name');

/** A root password for a new container: PVE wants 5 characters at least; one line, printable. */
export const rootPasswordSchema = z
  .string()
  .min(5, 'at least 5 characters')
  .max(128, 'at most 128 characters')
  .refine(
    (value) => [...value].every((char) => char >= ' ' && char !== '\u007f'),
    'no control characters',
  );

const sizeGiBSchema = z.number().int().min(1).max(65_536);
const coresSchema = z.number().int().min(1).max(resourceBounds.coresMax);
const memorySchema = z
  .number()
  .int()
  .min(resourceBounds.memoryMiBMin)
  .max(resourceBounds.memoryMiBMax);

const commonFields = {
  node: nodeNameSchema,
  /** Absent: the first id of the user's range that PVE confirms is free. */
  vmid: vmidSchema.optional(),
  /** Needed only when the policy gives the user several pools. */
  pool: poolNameSchema.optional(),
  name: guestNameSchema,
  cores: coresSchema,
  memoryMiB: memorySchema,
  template: templateNameSchema.optional(),
};

const qemuCreateSchema = z.strictObject({
  ...commonFields,
  type: z.literal('qemu'),
  cpuType: cpuTypeSchema.optional(),
  /** The first disk, in slot 0 of its bus. */
  disk: z.strictObject({
    storage: storageIdSchema,
    bus: z.enum(attachBuses),
    sizeGiB: sizeGiBSchema,
  }),
  /** An ISO inserted as a CD drive on ide2. */
  iso: isoVolumeSchema.optional(),
});

const lxcCreateSchema = z.strictObject({
  ...commonFields,
  type: z.literal('lxc'),
  swapMiB: z.number().int().min(0).max(resourceBounds.swapMiBMax),
  ostemplate: containerTemplateVolumeSchema,
  rootfs: z.strictObject({ storage: storageIdSchema, sizeGiB: sizeGiBSchema }),
  password: rootPasswordSchema.optional(),
});

/** Input of `instance:create`: a VM or a container. */
export const instanceCreateInputSchema = z.discriminatedUnion('type', [
  qemuCreateSchema,
  lxcCreateSchema,
]);

/** Output of `instance:create`. */
export const instanceCreateOutputSchema = z.object({
  vmid: z.number(),
  node: z.string(),
  type: z.enum(['qemu', 'lxc']),
  task: z.object({
    upid: z.string(),
    status: z.enum(['ok', 'warnings', 'failed']),
    exitStatus: z.string(),
  }),
});

/** What `instance:create` is asked to do. */
export type InstanceCreateInput = z.infer<typeof instanceCreateInputSchema>;
/** A VM to create. */
export type QemuCreateInput = Extract<InstanceCreateInput, { type: 'qemu' }>;
/** A container to create. */
export type LxcCreateInput = Extract<InstanceCreateInput, { type: 'lxc' }>;
/** One ISO or container template offered to the user. */
export type MediaVolume = z.infer<typeof mediaVolumeSchema>;
