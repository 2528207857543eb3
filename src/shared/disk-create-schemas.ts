import { z } from 'zod';
import { attachBuses, mountPathSchema } from './disk-slot-schemas';
import { nodeNameSchema, storageIdSchema, vmidSchema } from './ids';

// The input of `disk:create`: a new VM disk, a CD drive with an ISO, or a new mount point. Every
// value that reaches a property string is a single token, so none can add an option.

const sizeGiBSchema = z.number().int().min(1).max(65_536);

/** An ISO volume id, `<storage>:iso/<file>.iso`, with a plain file name. */
export const isoVolumeSchema = z
  .string()
  .max(255)
  .regex(
    /^[a-z][a-z0-9\-_.]*[a-z0-9]:iso\/[A-Za-z0-9][A-Za-z0-9._+-]*\.iso$/i,
    'not an ISO volume',
  );

const qemuDisk = z.strictObject({
  node: nodeNameSchema,
  type: z.literal('qemu'),
  vmid: vmidSchema,
  storage: storageIdSchema,
  bus: z.enum(attachBuses),
  sizeGiB: sizeGiBSchema,
});

const qemuCdrom = z
  .strictObject({
    node: nodeNameSchema,
    type: z.literal('qemu'),
    vmid: vmidSchema,
    storage: storageIdSchema,
    iso: isoVolumeSchema,
  })
  .refine((input) => input.iso.startsWith(`${input.storage}:`), {
    message: 'the ISO is not on that storage',
    path: ['iso'],
  });

const lxcMountPoint = z.strictObject({
  node: nodeNameSchema,
  type: z.literal('lxc'),
  vmid: vmidSchema,
  storage: storageIdSchema,
  sizeGiB: sizeGiBSchema,
  mountPath: mountPathSchema,
});

/** Input of `disk:create`. */
export const diskCreateInputSchema = z.union([qemuDisk, qemuCdrom, lxcMountPoint]);

/** What `disk:create` is asked to do. */
export type DiskCreateInput = z.infer<typeof diskCreateInputSchema>;
