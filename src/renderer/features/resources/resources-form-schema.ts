import { z } from 'zod';
import type { InstanceDetail } from '../../../shared/contract';
import {
  cpuTypeSchema,
  resourceBounds,
  resourceChangeFields,
} from '../../../shared/operation-schemas';
import { MiB } from '../../../shared/units';

// The resource editor's form, bounded exactly as the contract is, so the form never accepts what
// main would refuse; the contract's own field schemas are applied last as the final word.

const whole = (what: string): string => `Enter a whole number of ${what}.`;

function count(
  what: string,
  min: number,
  max: number,
  contract: z.ZodNumber,
): z.ZodType<number, number> {
  return z
    .number({ error: whole(what) })
    .int({ error: whole(what) })
    .min(min, { error: `Use at least ${min}.` })
    .max(max, { error: `Use at most ${max}.` })
    .pipe(contract);
}

const cores = count('cores', 1, resourceBounds.coresMax, resourceChangeFields.cores.unwrap());
const sockets = count(
  'sockets',
  1,
  resourceBounds.socketsMax,
  resourceChangeFields.sockets.unwrap(),
);
const memoryMiB = count(
  'MiB',
  resourceBounds.memoryMiBMin,
  resourceBounds.memoryMiBMax,
  resourceChangeFields.memoryMiB.unwrap(),
);
const swapMiB = count('MiB', 0, resourceBounds.swapMiBMax, resourceChangeFields.swapMiB.unwrap());

/** The resource form; a VM's form has no swap field and a container's no sockets field. */
export const resourcesFormSchema = z.object({
  cores,
  sockets: sockets.optional(),
  memoryMiB,
  swapMiB: swapMiB.optional(),
  // Empty while a VM runs PVE's default model and the user has not picked another.
  cpuType: z.union([z.literal(''), cpuTypeSchema]).optional(),
});

/** What the resource form holds; sockets and CPU model only for VMs, swap only for containers. */
export type ResourcesFormValues = z.infer<typeof resourcesFormSchema>;

/** The form's starting values: the guest's settings, or PVE's defaults where it sets none. */
export function initialResourceValues(detail: InstanceDetail): ResourcesFormValues {
  const mib = (bytes: number | null, fallback: number): number =>
    bytes === null ? fallback : Math.round(bytes / MiB);
  const values: ResourcesFormValues = {
    cores: detail.cores ?? 1,
    memoryMiB: mib(detail.memoryBytes, 512),
  };
  if (detail.type === 'qemu') {
    values.sockets = detail.sockets ?? 1;
    values.cpuType = detail.cpuType ?? '';
  } else {
    values.swapMiB = mib(detail.swapBytes, 512);
  }
  return values;
}

/** Only the values the user changed, so an unset value is never written by accident. */
export function changedResourceValues(
  initial: ResourcesFormValues,
  current: ResourcesFormValues,
): Partial<ResourcesFormValues> {
  const changed: Partial<ResourcesFormValues> = {};
  for (const key of ['cores', 'sockets', 'memoryMiB', 'swapMiB'] as const) {
    const value = current[key];
    if (value !== undefined && value !== initial[key]) changed[key] = value;
  }
  // There is no way back to "no model" from the form: PVE's default is then picked by name.
  const model = current.cpuType;
  if (model !== undefined && model !== '' && model !== initial.cpuType) changed.cpuType = model;
  return changed;
}
