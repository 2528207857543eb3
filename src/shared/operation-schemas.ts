import { z } from 'zod';
import { nodeNameSchema } from './ids';

// Schemas of the guest operations beyond disks: power actions, CPU and memory changes, and the
// task list. contract.ts declares the channels with them; this file only holds their shapes.

/** The power actions ProxDesk offers, named as PVE's `status/<action>` endpoints are. */
export const powerActions = ['start', 'shutdown', 'reboot', 'stop'] as const;

/** One power action. */
export type PowerAction = (typeof powerActions)[number];

/**
 * Upper bounds of the resource editor. PVE's schema sets no maximum for qemu cores, sockets or
 * memory (lxc cores stop at 8192); these bounds keep a typo from asking for an absurd machine
 * while staying far above anything a lab guest needs.
 */
export const resourceBounds = {
  coresMax: 512,
  socketsMax: 16,
  memoryMiBMin: 16,
  memoryMiBMax: 4 * 1024 * 1024,
  swapMiBMax: 4 * 1024 * 1024,
} as const;

/**
 * A CPU model as qemu's `cpu` option names it (`host`, `x86-64-v2-AES`, `custom-<name>`): a
 * single token, so it can never add another option to the property string.
 */
export const cpuTypeSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/, 'not a CPU model name');

/** The resource values a change asks for; each is optional, at least one must be given. */
export const resourceChangeFields = {
  cores: z.number().int().min(1).max(resourceBounds.coresMax).optional(),
  sockets: z.number().int().min(1).max(resourceBounds.socketsMax).optional(),
  memoryMiB: z
    .number()
    .int()
    .min(resourceBounds.memoryMiBMin)
    .max(resourceBounds.memoryMiBMax)
    .optional(),
  swapMiB: z.number().int().min(0).max(resourceBounds.swapMiBMax).optional(),
  cpuType: cpuTypeSchema.optional(),
};

/** A guest's CPU and memory settings as read back from its config after a change. */
export const guestResourcesSchema = z.object({
  cores: z.number().nullable(),
  sockets: z.number().nullable(),
  memoryMiB: z.number().nullable(),
  swapMiB: z.number().nullable(),
  cpuType: z.string().nullable(),
});

/**
 * A PVE task id: `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:`, hex numbers of 8
 * (pstart 8 or 9) digits. Checked strictly, since its node and the whole id go into a URL path.
 */
export const upidSchema = z
  .string()
  .max(256)
  .regex(
    /^UPID:[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:[a-z0-9_-]+:[A-Za-z0-9._-]*:[A-Za-z0-9._@!-]+:$/i,
    'not a PVE task id',
  );

/** One task in the task list. */
export const taskSummarySchema = z.object({
  upid: z.string(),
  node: nodeNameSchema,
  type: z.string(),
  /** The guest the task is about, when it is about one. */
  vmid: z.number().nullable(),
  user: z.string(),
  /** Epoch seconds. */
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  /** `running`, or how the task ended: `ok`, `warnings` or `failed`. */
  state: z.enum(['running', 'ok', 'warnings', 'failed']),
  /** PVE's exit text (`OK`, `WARNINGS: 2`, the error) once the task has stopped. */
  exitStatus: z.string().nullable(),
});

/** One task's log. */
export const taskLogResultSchema = z.object({
  upid: z.string(),
  node: z.string(),
  running: z.boolean(),
  exitStatus: z.string().nullable(),
  lines: z.array(z.object({ n: z.number(), text: z.string() })),
  /** Whether the log was longer than ProxDesk reads and was cut. */
  truncated: z.boolean(),
});

/** A task in the task list. */
export type TaskSummary = z.infer<typeof taskSummarySchema>;
/** A task's log. */
export type TaskLogResult = z.infer<typeof taskLogResultSchema>;
/** A guest's CPU and memory settings. */
export type GuestResources = z.infer<typeof guestResourcesSchema>;
