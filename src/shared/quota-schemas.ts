import { z } from 'zod';
import { backupCountSchema, backupCreateInputSchema } from './backup-schemas';
import { diskCreateInputSchema } from './disk-create-schemas';
import { diskMoveInputSchema } from './disk-move-schemas';
import { diskAttachInputSchema } from './disk-slot-schemas';
import { diskResizeInputSchema, resourceChangeInputSchema } from './guest-change-schemas';
import { instanceCreateInputSchema } from './instance-create-schemas';
import { netCreateInputSchema, netModifyInputSchema } from './network-schemas';
import { pciAttachInputSchema, pciModifyInputSchema } from './pci-schemas';

// Schemas of the quota channels beyond the user's own usage: pricing a change before it is sent,
// the admin view of every user the policy names, and importing a policy. contract.ts declares the
// channels with them; this file only holds their shapes.

const quantityUnitSchema = z.enum(['count', 'bytes', 'bytesPerSecond']);

/**
 * The operations `quota:preview` prices, each with the very input schema its own channel takes,
 * so a preview is asked exactly what the operation will be asked. Decreases (detach, delete,
 * remove) always pass and have no preview. A new operation adds its channel's input here.
 */
const changeInputs = {
  'disk:resize': diskResizeInputSchema,
  'disk:create': diskCreateInputSchema,
  'disk:attach': diskAttachInputSchema,
  'disk:move': diskMoveInputSchema,
  'instance:resources': resourceChangeInputSchema,
  'net:create': netCreateInputSchema,
  'net:modify': netModifyInputSchema,
  'pci:attach': pciAttachInputSchema,
  'pci:modify': pciModifyInputSchema,
  'instance:create': instanceCreateInputSchema,
  'backup:create': backupCreateInputSchema,
} as const;

type ChangeInputs = typeof changeInputs;

/** The operations a preview can price. */
export type QuotaChangeKind = keyof ChangeInputs;

/** The kinds, in a stable order. */
export const quotaChangeKinds = Object.keys(changeInputs) as QuotaChangeKind[];

/** A change to price: the operation's `kind` and the input that operation takes. */
export type QuotaChange = {
  [K in QuotaChangeKind]: { kind: K } & z.output<ChangeInputs[K]>;
}[QuotaChangeKind];

/** A change to price as a caller writes it, before parsing. */
export type QuotaChangeRequest = {
  [K in QuotaChangeKind]: { kind: K } & z.input<ChangeInputs[K]>;
}[QuotaChangeKind];

const kindSchema = z.enum(quotaChangeKinds as [QuotaChangeKind, ...QuotaChangeKind[]]);

/**
 * A change to price, checked by the input schema of the operation its `kind` names. Some of those
 * inputs are unions without a common literal key, which zod's discriminated unions cannot nest,
 * so the kind is dispatched here; every issue keeps the path of the field it is about. The input
 * is split with a rest spread, which keeps every own key as sent (an own `__proto__` too), so the
 * operation's strict schema refuses exactly what the operation itself would.
 */
export const quotaChangeSchema = z.unknown().transform((value, context) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    context.addIssue({
      code: 'custom',
      message: 'Invalid input: expected an object',
      input: value,
    });
    return z.NEVER;
  }
  const { kind: sentKind, ...input } = value as Record<string, unknown>;
  const kind = kindSchema.safeParse(sentKind);
  if (!kind.success) {
    for (const { message } of kind.error.issues) {
      context.addIssue({ code: 'custom', message, path: ['kind'], input: sentKind });
    }
    return z.NEVER;
  }
  const parsed = changeInputs[kind.data].safeParse(input);
  if (!parsed.success) {
    for (const { message, path } of parsed.error.issues) {
      context.addIssue({ code: 'custom', message, path, input });
    }
    return z.NEVER;
  }
  return { ...parsed.data, kind: kind.data } as QuotaChange;
}) as unknown as z.ZodType<QuotaChange, QuotaChangeRequest>;

/** How one resource fares under a change, in the resource's base unit. */
export const decisionItemSchema = z.object({
  resource: z.string(),
  label: z.string(),
  unit: quantityUnitSchema,
  /** Null when the policy sets no limit on this resource. */
  limit: z.number().nullable(),
  used: z.number(),
  requested: z.number(),
  after: z.number(),
  /** What would be left of the limit; negative when over it; null when there is no limit. */
  remaining: z.number().nullable(),
  fits: z.boolean(),
  /**
   * Set when guests this limit counts could not be read (their node is down): `used` is only a
   * lower bound, and an increase is refused because it might not fit.
   */
  usageIncomplete: z.literal(true).optional(),
  /** Why it fits or not, in words. */
  reason: z.string(),
});

/** What a change would cost and leave, item by item, before the user confirms it. */
export const quotaPreviewSchema = z.object({
  approved: z.boolean(),
  items: z.array(decisionItemSchema),
});

const usageRowSchema = z.object({
  resource: z.string(),
  label: z.string(),
  unit: quantityUnitSchema,
  used: z.number(),
  limit: z.number().nullable(),
  available: z.number().nullable(),
});

/**
 * A guest of the user's pools left out of the usage because PVE could not reach its node: what it
 * uses is unknown, so increases the quota would have to count it against are refused meanwhile.
 */
export const unreadGuestSchema = z.object({
  node: z.string(),
  type: z.enum(['qemu', 'lxc']),
  vmid: z.number(),
  reason: z.string(),
});

/** One user the policy names, as the signed-in admin can see them. */
export const adminUserSchema = z.object({
  userid: z.string(),
  comment: z.string().nullable(),
  pools: z.array(z.string()),
  /** `hidden`: some of the user's pools are not visible to you, so no usage is shown. */
  visibility: z.enum(['visible', 'hidden']),
  hiddenPools: z.array(z.string()),
  resources: z.array(usageRowSchema),
  /**
   * Set when the policy limits the user's backups: counted as `backup:count` counts them, or not
   * known with the reason (for one, that your account may not be shown them).
   */
  backups: backupCountSchema.optional(),
  /** The resources whose use is above the limit (`backups` when the backup count is). */
  overQuota: z.array(z.string()),
  problems: z.array(z.object({ vmid: z.number(), key: z.string(), reason: z.string() })),
  unread: z.array(unreadGuestSchema),
});

/** Every user the policy names, with usage against limits, as the signed-in account sees them. */
export const quotaAdminSchema = z.object({
  users: z.array(adminUserSchema),
});

/** A policy document to import, as the text of its JSON. */
export const policyImportInputSchema = z.strictObject({
  text: z
    .string()
    .min(1)
    .max(1024 * 1024),
});

/** What an import put in force. */
export const policyImportResultSchema = z.object({
  users: z.array(z.string()),
  groups: z.array(z.string()),
  pools: z.array(z.string()),
  /** The file it was written to; null when the core was given a policy without a file. */
  savedTo: z.string().nullable(),
});

/** One priced resource. */
export type DecisionItemData = z.infer<typeof decisionItemSchema>;
/** A priced change. */
export type QuotaPreview = z.infer<typeof quotaPreviewSchema>;
/** One user of the admin view. */
export type AdminUser = z.infer<typeof adminUserSchema>;
/** The admin view. */
export type QuotaAdmin = z.infer<typeof quotaAdminSchema>;
/** The outcome of a policy import. */
export type PolicyImportResult = z.infer<typeof policyImportResultSchema>;
