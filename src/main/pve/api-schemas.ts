import { z } from 'zod';

// The shapes of the PVE answers ProxDesk reads, as zod schemas, and the types taken from them.
// PVE returns several numbers as strings on some endpoints (an lxc vmid in /nodes/<n>/lxc,
// memory, cpulimit), so numeric fields are read leniently and turned into numbers here, once.

/** A number PVE may send as a string on some endpoints. */
export const looseNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const looseFlag = z
  .union([z.boolean(), z.number(), z.string()])
  .transform((v) => v === true || v === 1 || v === '1');

/** A realm from `/access/domains`. */
export const domainSchema = z.object({
  realm: z.string(),
  type: z.string(),
  comment: z.string().optional(),
  default: looseFlag.optional(),
});

/** The answer of `POST /access/ticket`. */
export const ticketSchema = z.object({
  ticket: z.string(),
  CSRFPreventionToken: z.string().optional(),
  username: z.string(),
  NeedTFA: looseFlag.optional(),
});

/** One row of `/cluster/resources`. */
export const resourceSchema = z.object({
  id: z.string(),
  type: z.string(),
  node: z.string().optional(),
  vmid: looseNumber.optional(),
  name: z.string().optional(),
  status: z.string().optional(),
  pool: z.string().optional(),
  lock: z.string().optional(),
  template: looseFlag.optional(),
  maxcpu: looseNumber.optional(),
  storage: z.string().optional(),
});

/** A row of `/cluster/resources`. */
export type ClusterResource = z.infer<typeof resourceSchema>;

/** A guest config as PVE returns it, with its digest. */
export const guestConfigSchema = z.looseObject({ digest: z.string() });

/** A guest config: every key as PVE wrote it, plus the digest. */
export type GuestConfig = z.infer<typeof guestConfigSchema>;

/** One volume of a storage content listing. */
export const storageContentSchema = z.object({
  volid: z.string(),
  size: looseNumber.optional(),
  format: z.string().optional(),
  content: z.string().optional(),
  vmid: looseNumber.optional(),
});

/** A storage volume as listed by PVE. */
export type StorageVolume = z.infer<typeof storageContentSchema>;

/** One row of `GET /nodes/<node>/storage`: a storage the user may audit or allocate on. */
export const nodeStorageSchema = z.object({
  storage: z.string(),
  content: z.string().optional(),
  type: z.string().optional(),
  active: looseFlag.optional(),
  enabled: looseFlag.optional(),
  shared: looseFlag.optional(),
});

/** A storage as a node lists it. */
export type NodeStorage = z.infer<typeof nodeStorageSchema>;

/** One row of a `content=backup` storage listing: a backup archive with its notes and flags. */
export const backupVolumeSchema = z.object({
  volid: z.string(),
  size: looseNumber.optional(),
  format: z.string().optional(),
  vmid: looseNumber.optional(),
  /** Creation time in epoch seconds. */
  ctime: looseNumber.optional(),
  /** The first line of the notes. */
  notes: z.string().optional(),
  protected: looseFlag.optional(),
});

/** A backup volume as listed by PVE. */
export type BackupVolume = z.infer<typeof backupVolumeSchema>;

/** What `POST /nodes/<node>/vzdump` is sent for one guest, besides its vmid. */
export interface BackupParams {
  storage: string;
  mode: 'snapshot' | 'suspend' | 'stop';
  compress: 'zstd';
  /** 0: never prune the guest's other backups by the storage's retention settings. */
  remove: 0;
  'notes-template'?: string;
}

/** One row of `GET /cluster/status`: the cluster itself, or a member node with its address. */
export const clusterStatusRowSchema = z.object({
  type: z.string(),
  name: z.string().optional(),
  ip: z.string().optional(),
  online: looseFlag.optional(),
  local: looseFlag.optional(),
});

/** A row of the cluster status. */
export type ClusterStatusRow = z.infer<typeof clusterStatusRowSchema>;

/** A task's state from `/nodes/<node>/tasks/<upid>/status`. */
export const taskStatusSchema = z.object({
  status: z.enum(['running', 'stopped']),
  exitstatus: z.string().optional(),
});

/** Task log lines. */
export const taskLogSchema = z.array(z.object({ n: looseNumber, t: z.string() }));

/** A task id, as the endpoints that start a task answer. */
export const upidSchema = z.string().startsWith('UPID:');

/** One row of `/nodes/<node>/tasks`; there `status` holds the exit text, not running/stopped. */
export const nodeTaskSchema = z.object({
  upid: z.string(),
  node: z.string(),
  type: z.string(),
  id: z.string().optional(),
  user: z.string(),
  starttime: looseNumber,
  endtime: looseNumber.optional(),
  status: z.string().optional(),
});

/** A row of a node's task list. */
export type NodeTask = z.infer<typeof nodeTaskSchema>;

/** One row of `GET /access/users?full=1`; `groups` is a comma-separated list there. */
export const userRowSchema = z.object({
  userid: z.string(),
  groups: z.string().optional(),
});

/** A user PVE lists, with the groups they belong to. */
export interface UserMembership {
  userid: string;
  groups: string[];
}
