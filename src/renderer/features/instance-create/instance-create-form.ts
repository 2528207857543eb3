import { z } from 'zod';
import type { InstanceCreateInput } from '../../../shared/instance-create-schemas';
import type { QuotaChange } from '../../../shared/quota-schemas';
import type { ServerFieldMap } from '../../components/server-field-errors';
import { guestNameSchema, rootPasswordSchema } from '../../../shared/instance-create-schemas';
import { nodeNameSchema } from '../../../shared/ids';
import { resourceBounds } from '../../../shared/operation-schemas';

// The New instance form: what it holds, how each field is checked (with the contract's bounds,
// so the form never accepts what main refuses), and how its values become the channel's input.

const whole = (what: string, min: number, max: number): z.ZodType<number, number> =>
  z
    .number({ error: `Enter a whole number of ${what}.` })
    .int({ error: `Enter a whole number of ${what}.` })
    .min(min, { error: `Use at least ${min}.` })
    .max(max, { error: `Use at most ${max}.` });

/** The form's values; empty text means "not chosen". */
export const instanceCreateFormSchema = z
  .object({
    type: z.enum(['qemu', 'lxc']),
    node: nodeNameSchema,
    pool: z.string(),
    template: z.string(),
    name: guestNameSchema,
    /** Empty: the next free id of the range. */
    vmid: z
      .string()
      .regex(/^(\d{3,9})?$/, 'A guest id is a number from 100 to 999999999, or empty.'),
    cores: whole('cores', 1, resourceBounds.coresMax),
    memoryMiB: whole('MiB', resourceBounds.memoryMiBMin, resourceBounds.memoryMiBMax),
    swapMiB: whole('MiB', 0, resourceBounds.swapMiBMax),
    cpuType: z.string(),
    storage: z.string().min(1, 'Choose a storage.'),
    bus: z.enum(['scsi', 'virtio', 'sata', 'ide']),
    sizeGiB: whole('GiB', 1, 65_536),
    iso: z.string(),
    ostemplate: z.string(),
    password: z.union([z.literal(''), rootPasswordSchema]),
  })
  .refine((values) => values.type === 'qemu' || values.ostemplate !== '', {
    message: 'Choose a container template.',
    path: ['ostemplate'],
  })
  .refine((values) => values.vmid === '' || Number(values.vmid) >= 100, {
    message: 'Guest ids start at 100.',
    path: ['vmid'],
  });

/** What the New instance form holds. */
export type InstanceCreateFormValues = z.infer<typeof instanceCreateFormSchema>;

/** The form's starting values. */
export const initialCreateValues: InstanceCreateFormValues = {
  type: 'qemu',
  node: '',
  pool: '',
  template: '',
  name: '',
  vmid: '',
  cores: 1,
  memoryMiB: 1024,
  swapMiB: 512,
  cpuType: '',
  storage: '',
  bus: 'scsi',
  sizeGiB: 8,
  iso: '',
  ostemplate: '',
  password: '',
};

/** The `instance:create` input for the form's values; unchosen options are left out. */
export function toCreateInput(values: InstanceCreateFormValues): InstanceCreateInput {
  const common = {
    node: values.node,
    name: values.name,
    cores: values.cores,
    memoryMiB: values.memoryMiB,
    ...(values.vmid === '' ? {} : { vmid: Number(values.vmid) }),
    ...(values.pool === '' ? {} : { pool: values.pool }),
    ...(values.template === '' ? {} : { template: values.template }),
  };
  if (values.type === 'qemu') {
    return {
      ...common,
      type: 'qemu',
      disk: { storage: values.storage, bus: values.bus, sizeGiB: values.sizeGiB },
      ...(values.cpuType === '' ? {} : { cpuType: values.cpuType }),
      ...(values.iso === '' ? {} : { iso: values.iso }),
    };
  }
  return {
    ...common,
    type: 'lxc',
    swapMiB: values.swapMiB,
    ostemplate: values.ostemplate,
    rootfs: { storage: values.storage, sizeGiB: values.sizeGiB },
    ...(values.password === '' ? {} : { password: values.password }),
  };
}

/**
 * The `quota:preview` change the form's values describe, or null while they are not valid. The
 * root password is left out: pricing does not need it, and it would sit in the query cache.
 */
export function toPreviewChange(values: unknown): QuotaChange | null {
  const parsed = instanceCreateFormSchema.safeParse(values);
  if (!parsed.success) return null;
  return { kind: 'instance:create', ...toCreateInput({ ...parsed.data, password: '' }) };
}

/**
 * The input fields main names in a refusal (its own checks, and PVE's parameters renamed by
 * pve-field-names.ts), and the form fields that show them.
 */
export const createServerFields: ServerFieldMap<keyof InstanceCreateFormValues> = {
  type: 'type',
  node: 'node',
  vmid: 'vmid',
  pool: 'pool',
  name: 'name',
  template: 'template',
  cores: 'cores',
  memoryMiB: 'memoryMiB',
  swapMiB: 'swapMiB',
  cpuType: 'cpuType',
  'disk.storage': 'storage',
  'rootfs.storage': 'storage',
  'disk.bus': 'bus',
  'disk.sizeGiB': 'sizeGiB',
  'rootfs.sizeGiB': 'sizeGiB',
  iso: 'iso',
  ostemplate: 'ostemplate',
  password: 'password',
};

/** CPU models offered when the policy does not list any, from qemu's own list. */
const commonCpuModels = ['x86-64-v2-AES', 'x86-64-v3', 'x86-64-v4', 'host', 'kvm64', 'qemu64'];

function matches(pattern: string, value: string): boolean {
  const regex = /^\/(.+)\/(i?)$/s.exec(pattern);
  try {
    if (regex) return new RegExp(regex[1] ?? '', regex[2] ?? '').test(value);
  } catch {
    return false;
  }
  const source = [...pattern]
    .map((char) =>
      char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}/-]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

/**
 * The CPU models to offer: when the policy lists patterns, the plain names among them and the
 * common models that one of them allows; else the common models.
 */
export function cpuModelChoices(rules: readonly { match: string }[]): string[] {
  if (rules.length === 0) return [...commonCpuModels];
  const literal = rules
    .map((rule) => rule.match)
    .filter((pattern) => /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(pattern));
  const allowed = commonCpuModels.filter((model) =>
    rules.some((rule) => matches(rule.match, model)),
  );
  return [...new Set([...literal, ...allowed])];
}
