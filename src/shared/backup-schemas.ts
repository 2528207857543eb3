import { z } from 'zod';
import { instanceTypeSchema, nodeNameSchema, storageIdSchema, vmidSchema } from './ids';

// Schemas of the backup channels, and the one reader of a backup's volume id. contract.ts declares
// the channels with them.

/** The backup modes vzdump offers: a live snapshot, a short suspend, or a stop and start. */
export const backupModes = ['snapshot', 'suspend', 'stop'] as const;

/** One backup mode. */
export type BackupMode = (typeof backupModes)[number];

/** The longest notes text ProxDesk sends (PVE itself takes up to 1024 characters). */
export const backupNotesMaxLength = 200;

/** The variables PVE expands in a backup's notes template. */
export const backupNoteVariables = ['{{cluster}}', '{{guestname}}', '{{node}}', '{{vmid}}'];

// Letters, digits, spaces and plain punctuation. Left out on purpose: backslashes and newlines
// (PVE's template reads `\n` and `\\` as escapes and refuses a second line), braces other than
// the variables above, and anything else a reader could take for a separator (`&`, `=`, `%`).
const notesCharacters = /^[\p{L}\p{N} .,:;_\-()/#+@'!?]*$/u;

/** Why a notes text cannot be sent, or null when it can. */
export function backupNotesProblem(notes: string): string | null {
  if (notes.length > backupNotesMaxLength) {
    return `notes may be at most ${backupNotesMaxLength} characters`;
  }
  const plain = backupNoteVariables.reduce(
    (text, variable) => text.split(variable).join(''),
    notes,
  );
  if (!notesCharacters.test(plain)) {
    return `notes may hold letters, digits, spaces, the punctuation . , : ; _ - ( ) / # + @ ' ! ? and ${backupNoteVariables.join(' ')}`;
  }
  return null;
}

/** A backup's volume id, read: `local:backup/vzdump-qemu-100-2026_12_03-10_00_00.vma.zst`. */
export interface BackupVolid {
  storage: string;
  type: 'qemu' | 'lxc';
  vmid: number;
  /** When the archive was started, as its name says (the node's local time), in UTC ms. */
  stampMs: number;
  /** The archive format with its compression: `vma.zst`, `tar.gz`, `vma`, ... */
  format: string;
}

const backupVolidPattern =
  /^([a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]):backup\/vzdump-(qemu|lxc)-([1-9][0-9]{2,8})-(\d{4})_(\d{2})_(\d{2})-(\d{2})_(\d{2})_(\d{2})\.((vma|tar)(\.(zst|gz|lzo))?)$/;

/**
 * Reads a vzdump archive's volume id on a file storage; null for anything else (another kind of
 * volume, a path with `..`, an added option, a date that does not exist). The archive type must
 * fit the guest type: `vma` for a VM, `tar` for a container.
 */
export function parseBackupVolid(volid: string): BackupVolid | null {
  const m = backupVolidPattern.exec(volid);
  if (m === null) return null;
  const [, storage, type, vmidText, y, mo, d, h, mi, s, format, archive] = m;
  if (type === undefined || format === undefined || storage === undefined) return null;
  if (storage.length > 64) return null;
  if ((type === 'qemu') !== (archive === 'vma')) return null;
  const parts = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [year, month, day, hour, minute, second] = parts;
  const stampMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(stampMs);
  // Date.UTC rolls 2026_02_30 over into March; a name that does not round-trip is not a date.
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute ||
    back.getUTCSeconds() !== second
  ) {
    return null;
  }
  return { storage, type: type as 'qemu' | 'lxc', vmid: Number(vmidText), stampMs, format };
}

/** One guest, as the backup channels take it. */
const guestFields = {
  node: nodeNameSchema,
  type: instanceTypeSchema,
  vmid: vmidSchema,
};

/** `backup:list` input: the guest whose backups to list. */
export const backupListInputSchema = z.strictObject(guestFields);

/** `backup:create` input: the guest, the storage to write to, the mode and optional notes. */
export const backupCreateInputSchema = z.strictObject({
  ...guestFields,
  storage: storageIdSchema,
  mode: z.enum(backupModes),
  /** Typed by the user; PVE expands the variables in `backupNoteVariables`. Empty: no notes. */
  notes: z
    .string()
    .trim()
    .max(backupNotesMaxLength)
    .superRefine((notes, ctx) => {
      const problem = backupNotesProblem(notes);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
});

/** `backup:delete` input: the guest and one of its backups, by volume id. */
export const backupDeleteInputSchema = z.strictObject({
  ...guestFields,
  volid: z
    .string()
    .max(300)
    .refine((volid) => parseBackupVolid(volid) !== null, {
      message: 'not the volume id of a vzdump backup (storage:backup/vzdump-<type>-<vmid>-...)',
    }),
});

/** One backup of a guest. */
export const backupSchema = z.object({
  volid: z.string(),
  storage: z.string(),
  sizeBytes: z.number(),
  /** Creation time in milliseconds since the epoch (PVE's `ctime`, which is in seconds). */
  createdAtMs: z.number(),
  /** The first line of the backup's notes; null when it has none. */
  notes: z.string().nullable(),
  protected: z.boolean(),
  /** The archive format with its compression: `vma.zst`, `tar.zst`, ... */
  format: z.string(),
});

/** A storage on the guest's node that takes backups and that the user may write to. */
export const backupStorageSchema = z.object({
  storage: z.string(),
  shared: z.boolean(),
});

/**
 * The user's backup count against the policy's `backups.max`: `used` counts the backups of all
 * the user's guests plus those being made now, or is null with the `reason` it cannot be read.
 * `limit` is null when the policy sets no limit.
 */
export const backupCountSchema = z.union([
  z.strictObject({ used: z.number().int().min(0), limit: z.number().nullable(), reason: z.null() }),
  z.strictObject({ used: z.null(), limit: z.number().nullable(), reason: z.string().min(1) }),
]);

/** `backup:list` output: the guest's backups, newest first, where to make more, and the count. */
export const backupListOutputSchema = z.object({
  backups: z.array(backupSchema),
  storages: z.array(backupStorageSchema),
  count: backupCountSchema,
});

/** The outcome of a PVE task, as the backup channels return it. */
const taskFields = z.object({
  upid: z.string(),
  status: z.enum(['ok', 'warnings', 'failed']),
  exitStatus: z.string(),
});

/** `backup:create` output: the new backup as listed afterwards (null if it could not be read). */
export const backupCreateOutputSchema = z.object({
  backup: backupSchema.nullable(),
  task: taskFields,
});

/** `backup:delete` output: the volume deleted and its task. */
export const backupDeleteOutputSchema = z.object({
  volid: z.string(),
  task: taskFields,
});

/** Types the renderer uses. */
export type Backup = z.infer<typeof backupSchema>;
export type BackupList = z.infer<typeof backupListOutputSchema>;
export type BackupCount = z.infer<typeof backupCountSchema>;
export type BackupCreateInput = z.infer<typeof backupCreateInputSchema>;
export type BackupDeleteInput = z.infer<typeof backupDeleteInputSchema>;
