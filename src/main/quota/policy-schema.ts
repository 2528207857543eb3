import { z } from 'zod';
import { nodeNameSchema, storageIdSchema, vmidSchema } from '../../shared/ids';
import { MiB } from '../../shared/units';
import { compileMatcher } from './match';
import { parseQuantity, type QuantityUnit } from './units';

// The quota policy document, version 1, as a zod schema. Parsing turns every quantity into its
// base unit (counts, bytes, bytes per second), so the parsed policy holds plain numbers. Objects
// are strict: a misspelt field is reported, not silently ignored. docs/policy.md describes each
// field for the lab admin.

function quantity(unit: QuantityUnit): z.ZodType<number, unknown> {
  const checked = z.unknown().transform((value, ctx) => {
    if (typeof value !== 'string' && typeof value !== 'number') {
      ctx.addIssue({ code: 'custom', message: `expected a ${unitWord[unit]}` });
      return z.NEVER;
    }
    try {
      return parseQuantity(value, unit);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid' });
      return z.NEVER;
    }
  });
  // The check above reads any value; the JSON Schema says what a quantity looks like instead.
  return checked.meta(unitJsonSchema[unit]);
}

const unitJsonSchema: Record<QuantityUnit, Record<string, unknown>> = {
  count: {
    description: 'A whole number, 0 or more, as a number or a string.',
    anyOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', pattern: '^\\d+$' },
    ],
  },
  bytes: {
    description: 'A size with a binary unit (B, KiB, MiB, GiB, TiB), such as "200GiB"; or 0.',
    anyOf: [
      { type: 'string', pattern: '^\\d+(\\.\\d+)? ?(B|KiB|MiB|GiB|TiB)$' },
      { const: 0 },
      { const: '0' },
    ],
  },
  bytesPerSecond: {
    description: 'A rate in PVE\'s MB/s (applied as MiB/s), such as "200MB/s"; or 0.',
    anyOf: [
      { type: 'string', pattern: '^\\d+(\\.\\d+)? ?(MB/s|MiB/s)$' },
      { const: 0 },
      { const: '0' },
    ],
  },
};

const unitWord: Record<QuantityUnit, string> = {
  count: 'whole number',
  bytes: 'size such as "200GiB"',
  bytesPerSecond: 'rate such as "200MB/s"',
};

const count = quantity('count');
const bytes = quantity('bytes');
const rate = quantity('bytesPerSecond');
const positiveCount = count.refine((value) => value >= 1, 'must be at least 1');

// Names that would reach an object's prototype when used as a record key.
const reservedKeys = new Set(['__proto__', 'constructor', 'prototype']);
function notReserved(schema: z.ZodString): z.ZodString {
  return schema.refine((key) => !reservedKeys.has(key), 'this name is reserved');
}

/** A PVE user id with its realm, `alice@pve`. */
export const useridSchema = z
  .string()
  .max(128)
  .regex(/^[^\s:/@!]{1,64}@[A-Za-z][A-Za-z0-9.\-_]{1,31}$/, 'not a user id such as alice@pve');
const groupIdSchema = notReserved(
  z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9.\-_]+$/, 'not a PVE group name'),
);
const poolIdSchema = notReserved(
  z
    .string()
    .max(128)
    .regex(/^[A-Za-z0-9.\-_]+(\/[A-Za-z0-9.\-_]+){0,2}$/, 'not a PVE pool name'),
);
const nodeKeySchema = notReserved(nodeNameSchema);
const storageKeySchema = notReserved(storageIdSchema);

/** The disk slots a storage entry may allow. */
export const storageBuses = [
  'ide',
  'sata',
  'scsi',
  'virtio',
  'efidisk',
  'tpmstate',
  'rootfs',
  'mp',
] as const;

function numericLimit<T extends z.ZodType<number, unknown>>(amount: T) {
  return z.strictObject({
    max: amount.nullable().optional(),
    perNode: z.record(nodeKeySchema, amount).optional(),
  });
}

const networkLimitSchema = numericLimit(rate).extend({ unlimitedRateCost: rate.optional() });

const storageLimitSchema = z.strictObject({
  max: bytes.nullable().optional(),
  perNode: z.record(nodeKeySchema, bytes).optional(),
  buses: z.array(z.enum(storageBuses)).min(1).optional(),
});

const patternSchema = z.string().superRefine((pattern, ctx) => {
  try {
    compileMatcher(pattern);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid' });
  }
});

const listRuleSchema = z.strictObject({
  match: patternSchema,
  max: count,
  /** Matching items the guests on one node may have; `max` still limits all nodes together. */
  perNode: z.record(nodeKeySchema, count).optional(),
  /** Shown to people instead of the pattern. */
  label: z.string().trim().min(1).max(80).optional(),
});

/** An allow-list entry: installation media whose volume id matches the pattern. */
const mediaRuleSchema = z.strictObject({
  match: patternSchema,
  /** Shown to people instead of the pattern. */
  label: z.string().trim().min(1).max(80).optional(),
});

const vmidRangeSchema = z
  .strictObject({ min: vmidSchema, max: vmidSchema })
  .refine((range) => range.min <= range.max, { message: 'must not be below min', path: ['max'] });

const configValueSchema = z.union([
  z
    .string()
    .max(1000)
    .refine((value) => !/[\n\r\0]/.test(value), 'must be one line'),
  z.number().refine(Number.isFinite, 'must be a finite number'),
  z.boolean(),
]);

const templateSchema = z.strictObject({
  name: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'a template name is letters, digits, space, . _ -'),
  type: z.enum(['qemu', 'lxc']),
  description: z.string().max(1000).optional(),
  config: z
    .record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'not a PVE config key'), configValueSchema)
    .default({}),
  cost: z
    .strictObject({
      cores: count.optional(),
      memory: bytes.optional(),
      swap: bytes.optional(),
      network: rate.optional(),
      storage: z.record(storageKeySchema, bytes).optional(),
    })
    .default({}),
});

const templatesSchema = z.array(templateSchema).superRefine((templates, ctx) => {
  const seen = new Set<string>();
  templates.forEach((template, index) => {
    if (seen.has(template.name)) {
      ctx.addIssue({
        code: 'custom',
        message: 'a template of this name exists already',
        path: [index, 'name'],
      });
    }
    seen.add(template.name);
  });
});

const limitFields = {
  comment: z.string().max(2000).optional(),
  cores: numericLimit(count).optional(),
  memory: numericLimit(bytes).optional(),
  swap: numericLimit(bytes).optional(),
  network: networkLimitSchema.optional(),
  storage: z.record(storageKeySchema, storageLimitSchema).optional(),
  cpuModels: z.array(listRuleSchema).optional(),
  pci: z.array(listRuleSchema).optional(),
  isoImages: z.array(mediaRuleSchema).optional(),
  containerTemplates: z.array(mediaRuleSchema).optional(),
  nodes: z.array(nodeNameSchema).optional(),
  vmids: vmidRangeSchema.optional(),
  templates: templatesSchema.optional(),
  backups: z.strictObject({ max: count.nullable().optional() }).optional(),
};

/** Limits given to one user, or to the members of a group. */
const memberEntrySchema = z.strictObject({
  ...limitFields,
  pools: z.array(poolIdSchema).optional(),
  /** May open ProxDesk's admin view and import a policy; grants nothing in PVE. */
  admin: z.boolean().optional(),
});
/** Limits given to every user whose pools include this pool. */
const poolEntrySchema = z.strictObject(limitFields);

const defaultUnset = {
  qemuCores: 1,
  qemuSockets: 1,
  qemuMemory: 512 * MiB,
  lxcCores: 'host' as const,
  lxcMemory: 512 * MiB,
  lxcSwap: 512 * MiB,
  qemuCpuModel: 'kvm64',
};

// What a config value counts as when the guest's config leaves it unset (PVE's defaults).
const unsetSchema = z.strictObject({
  qemuCores: positiveCount.default(defaultUnset.qemuCores),
  qemuSockets: positiveCount.default(defaultUnset.qemuSockets),
  qemuMemory: bytes.default(defaultUnset.qemuMemory),
  lxcCores: z.union([z.literal('host'), positiveCount]).default(defaultUnset.lxcCores),
  lxcMemory: bytes.default(defaultUnset.lxcMemory),
  lxcSwap: bytes.default(defaultUnset.lxcSwap),
  // qemu-server's default CPU type when a VM's config has no `cpu`.
  qemuCpuModel: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a CPU model name')
    .default(defaultUnset.qemuCpuModel),
});

/** The quota policy document. */
export const policySchema = z.strictObject({
  version: z.literal(1, { error: 'this ProxDesk reads policy version 1' }),
  description: z.string().max(2000).optional(),
  unset: unsetSchema.default(defaultUnset),
  users: z.record(useridSchema, memberEntrySchema).default({}),
  groups: z.record(groupIdSchema, memberEntrySchema).default({}),
  pools: z.record(poolIdSchema, poolEntrySchema).default({}),
});

/** A parsed quota policy; every quantity is in its base unit. */
export type Policy = z.output<typeof policySchema>;
/** The limits of one user, group or pool entry, as parsed. */
export type PolicyEntry = z.output<typeof poolEntrySchema> & { pools?: string[]; admin?: boolean };
/** A disk slot a storage entry may allow. */
export type StorageBus = (typeof storageBuses)[number];
