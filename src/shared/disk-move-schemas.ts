import { z } from 'zod';
import {
  diskKeySchema,
  instanceTypeSchema,
  isDiskKey,
  nodeNameSchema,
  storageIdSchema,
  vmidSchema,
} from './ids';

/** Input of `disk:move`: a disk or mount point of the guest, and the storage it goes to. */
export const diskMoveInputSchema = z
  .strictObject({
    node: nodeNameSchema,
    type: instanceTypeSchema,
    vmid: vmidSchema,
    disk: diskKeySchema,
    targetStorage: storageIdSchema,
    deleteSource: z.boolean(),
  })
  .refine((input) => isDiskKey(input.type, input.disk), {
    message: 'not a disk slot of this guest type',
    path: ['disk'],
  });

/** What `disk:move` is asked to do. */
export type DiskMoveInput = z.infer<typeof diskMoveInputSchema>;
