import { z } from 'zod';
import { diskKeySchema, instanceTypeSchema, isDiskKey, nodeNameSchema, vmidSchema } from './ids';
import { resourceChangeFields } from './operation-schemas';

// The inputs of `disk:resize` and `instance:resources`. They live here rather than inline in the
// contract because `quota:preview` prices these operations from exactly the same input.

const guestFields = { node: nodeNameSchema, type: instanceTypeSchema, vmid: vmidSchema };

/** Input of `disk:resize`: a disk of the guest and how many GiB it grows by. */
export const diskResizeInputSchema = z
  .strictObject({
    ...guestFields,
    disk: diskKeySchema,
    addGiB: z.number().int().min(1).max(65_536),
  })
  .refine((input) => isDiskKey(input.type, input.disk), {
    message: 'not a disk slot of this guest type',
    path: ['disk'],
  });

/** Input of `instance:resources`: the values to set, at least one of them. */
export const resourceChangeInputSchema = z
  .strictObject({ ...guestFields, ...resourceChangeFields })
  .refine(
    (input) =>
      [input.cores, input.sockets, input.memoryMiB, input.swapMiB, input.cpuType].some(
        (value) => value !== undefined,
      ),
    { message: 'name at least one of cores, sockets, memoryMiB, swapMiB, cpuType' },
  );

/** What `disk:resize` is asked to do. */
export type DiskResizeInput = z.infer<typeof diskResizeInputSchema>;
/** What `instance:resources` is asked to do. */
export type ResourceChangeInput = z.infer<typeof resourceChangeInputSchema>;
