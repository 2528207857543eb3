import { hasPrivileges, requirePrivileges } from '../acl.js';
import { parameterError, permissionError, serverError } from '../api-error.js';
import { listDisks, type GuestType } from '../disks.js';
import { requireGuest } from '../guests.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import { findVolume, instanceLock, storageUsedBytes } from '../state.js';
import type { InstanceState, SimState, StorageState, VolumeState } from '../state.js';

// Backups: `POST /nodes/{node}/vzdump` for one guest, and deleting a backup volume. vzdump locks
// the guest for `backup` while its task runs and, when the task ends, adds the archive to the
// storage as `<storage>:backup/vzdump-<type>-<vmid>-<YYYY_MM_DD-hh_mm_ss>.<vma|tar>[.zst]`. As in
// PVE, both requests are declared open to every user and check privileges themselves: vzdump
// needs VM.Backup on the guest and Datastore.AllocateSpace on the storage; deleting a backup needs
// Datastore.Allocate on the storage, or Datastore.AllocateSpace there and VM.Backup on its guest.

const booleanWords = ['0', '1', 'no', 'yes', 'false', 'true', 'off', 'on'];
const compressions = ['0', '1', 'gzip', 'lzo', 'zstd'] as const;
const modelledVzdumpOptions = [
  'vmid',
  'storage',
  'mode',
  'compress',
  'notes-template',
  'protected',
  'remove',
];

// What an archive takes of the guest's allocated disk space: made up, but fixed, so tests can
// predict it (PVE's real figure depends on the data and the compressor).
const archiveShare: Record<(typeof compressions)[number], number> = {
  '0': 0.5,
  '1': 0.3,
  gzip: 0.3,
  lzo: 0.35,
  zstd: 0.25,
};

function readFlag(p: ParamReader, name: string): boolean {
  const value = p.text(name, { values: booleanWords });
  return value !== undefined && ['1', 'yes', 'true', 'on'].includes(value);
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** `2026_12_03-10_00_00` for a time in epoch seconds, in UTC (PVE uses the node's local time). */
function archiveStamp(seconds: number): string {
  const d = new Date(seconds * 1000);
  const date = `${d.getUTCFullYear()}_${pad2(d.getUTCMonth() + 1)}_${pad2(d.getUTCDate())}`;
  return `${date}-${pad2(d.getUTCHours())}_${pad2(d.getUTCMinutes())}_${pad2(d.getUTCSeconds())}`;
}

function archiveExtension(type: GuestType, compress: (typeof compressions)[number]): string {
  const base = type === 'qemu' ? 'vma' : 'tar';
  switch (compress) {
    case '0':
      return base;
    case '1':
    case 'lzo':
      return `${base}.lzo`;
    case 'gzip':
      return `${base}.gz`;
    case 'zstd':
      return `${base}.zst`;
  }
}

/** Expands PVE's notes-template variables and its `\n` and `\\` escapes. */
function expandNotes(template: string, state: SimState, guest: InstanceState): string {
  const values: Record<string, string> = {
    cluster: state.clusterName,
    guestname: guest.name,
    node: guest.node,
    vmid: String(guest.vmid),
  };
  return template
    .replace(/\{\{([a-z]+)\}\}/g, (whole, name: string) => values[name] ?? whole)
    .replace(/\\(\\|n)/g, (_whole, escaped: string) => (escaped === 'n' ? '\n' : '\\'));
}

/** The bytes the guest's disks occupy, from their volumes. */
function allocatedBytes(state: SimState, guest: InstanceState): number {
  let total = 0;
  for (const disk of listDisks(guest.type, guest.config)) {
    if (disk.cdrom || disk.storage === null || disk.volid === null) continue;
    if (/^unused\d+$/.test(disk.key)) continue;
    total += findVolume(state, disk.storage, disk.volid, guest.node)?.sizeBytes ?? 0;
  }
  return total;
}

/** The archive's volume id, a second later while that name is taken on the storage. */
function freeArchiveName(
  storage: StorageState,
  node: string,
  prefix: string,
  extension: string,
  seconds: number,
): { volid: string; seconds: number } {
  for (let at = seconds; ; at += 1) {
    const volid = `${prefix}-${archiveStamp(at)}.${extension}`;
    const taken = storage.volumes.some(
      (v) => v.volid === volid && (storage.shared || v.node === node),
    );
    if (!taken) return { volid, seconds: at };
  }
}

/** Where a directory storage keeps its archives: PVE's defaults for `local` and for mounts. */
function dumpDirectory(storageId: string): string {
  return storageId === 'local' ? '/var/lib/vz/dump' : `/mnt/pve/${storageId}/dump`;
}

function vzdump(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  const vmidText = p.requiredText('vmid', { pattern: /^[1-9][0-9]{2,8}$/ });
  const storageId = p.requiredText('storage', { pattern: /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i });
  const mode = p.text('mode', { values: ['snapshot', 'suspend', 'stop'] }) ?? 'snapshot';
  const compress = (p.text('compress', { values: compressions }) ??
    '0') as (typeof compressions)[number];
  const notesTemplate = p.text('notes-template', { maxLength: 1024, pattern: /^[^\n\r]*$/ });
  const isProtected = readFlag(p, 'protected');
  readFlag(p, 'remove');
  p.done();
  const unmodelled = Object.keys(ctx.params).filter(
    (name) => !modelledVzdumpOptions.includes(name),
  );
  if (unmodelled.length > 0) {
    throw parameterError(
      Object.fromEntries(unmodelled.map((name) => [name, 'not modelled by the simulator'])),
    );
  }

  const { state, tasks, nowMs } = ctx.runtime;
  const node = ctx.pathParams.node ?? '';
  const userid = ctx.userid ?? '';
  const vmid = Number(vmidText);
  const found = state.instances.get(vmid);
  if (!found || found.node !== node) {
    throw serverError(`guest ${vmid} is not on node '${node}'`);
  }
  const guest = requireGuest(state, node, found.type, vmid);
  requirePrivileges(state, userid, `/vms/${vmid}`, ['VM.Backup']);
  requirePrivileges(state, userid, `/storage/${storageId}`, ['Datastore.AllocateSpace']);
  const storage = state.storages.get(storageId);
  if (!storage) throw serverError(`storage '${storageId}' does not exist`);
  if (!storage.nodes.includes(node)) {
    throw serverError(`storage '${storageId}' is not available on node '${node}'`);
  }
  if (!storage.content.includes('backup')) {
    throw serverError(`storage '${storageId}' does not support backups`);
  }

  const label = guest.type === 'qemu' ? 'VM' : 'CT';
  // Taken at once, as vzdump locks the guest before it copies anything; a lock held by another
  // operation fails the task instead.
  const lockedBefore = instanceLock(guest);
  if (lockedBefore === null) guest.config.lock = 'backup';
  const releaseLock = (): void => {
    if (lockedBefore === null && guest.config.lock === 'backup') delete guest.config.lock;
  };
  const prefix = `${storageId}:backup/vzdump-${guest.type}-${vmid}`;
  const extension = archiveExtension(guest.type, compress);
  // As vzdump does, the archive is named when its backup starts, and the log gives its path.
  const name = freeArchiveName(storage, node, prefix, extension, Math.floor(nowMs() / 1000));
  const archivePath = `${dumpDirectory(storageId)}/${name.volid.slice(`${storageId}:backup/`.length)}`;

  const task = tasks.start({
    node,
    type: 'vzdump',
    id: String(vmid),
    user: userid,
    progress: [
      `INFO: starting new backup job: vzdump ${vmid} --storage ${storageId} --mode ${mode} --compress ${compress}`,
      `INFO: Starting Backup of ${label} ${vmid} (${guest.type})`,
      ...(lockedBefore === null ? [`INFO: creating vzdump archive '${archivePath}'`] : []),
    ],
    finish: () => {
      if (lockedBefore !== null) {
        throw new Error(`Backup of ${label} ${vmid} failed - ${label} is locked (${lockedBefore})`);
      }
      const sizeBytes = Math.max(
        4096,
        Math.round(allocatedBytes(state, guest) * archiveShare[compress]),
      );
      const freeBytes = storage.capacityBytes - storageUsedBytes(storage, node);
      if (sizeBytes > freeBytes) {
        releaseLock();
        throw new Error(
          `Backup of ${label} ${vmid} failed - not enough free space on storage '${storageId}'`,
        );
      }
      const volume: VolumeState = {
        volid: name.volid,
        storage: storageId,
        node: storage.shared ? null : node,
        sizeBytes,
        format: extension,
        content: 'backup',
        vmid,
        ctime: name.seconds,
        ...(notesTemplate !== undefined && notesTemplate !== ''
          ? { notes: expandNotes(notesTemplate, state, guest) }
          : {}),
        ...(isProtected ? { protected: true } : {}),
      };
      storage.volumes.push(volume);
      releaseLock();
      return [];
    },
    undo: releaseLock,
  });
  return { data: task.upid };
}

/** `backup/x` on storage `local` names `local:backup/x`, as PVE reads a volume without storage. */
function fullVolid(storage: string, volume: string): string {
  return volume.includes(':') ? volume : `${storage}:${volume}`;
}

function deleteVolume(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  p.integer('delay', 1, 30);
  p.done();

  const { state, tasks } = ctx.runtime;
  const node = ctx.pathParams.node ?? '';
  const storageId = ctx.pathParams.storage ?? '';
  const userid = ctx.userid ?? '';
  const volid = fullVolid(storageId, ctx.pathParams.volume ?? '');
  if (!volid.startsWith(`${storageId}:`)) {
    throw serverError(`volume '${volid}' is not on storage '${storageId}'`);
  }
  const storage = state.storages.get(storageId);
  if (!storage) throw serverError(`storage '${storageId}' does not exist`);
  const volume = findVolume(state, storageId, volid, node);

  const storagePath = `/storage/${storageId}`;
  const allocates = hasPrivileges(state, userid, storagePath, ['Datastore.Allocate']);
  const backsUp =
    volume?.content === 'backup' &&
    volume.vmid !== null &&
    hasPrivileges(state, userid, storagePath, ['Datastore.AllocateSpace']) &&
    hasPrivileges(state, userid, `/vms/${volume.vmid}`, ['VM.Backup']);
  if (!allocates && !backsUp) throw permissionError(storagePath, ['Datastore.Allocate']);
  if (!volume) throw serverError(`volume '${volid}' does not exist`);

  const task = tasks.start({
    node,
    type: 'imgdel',
    id: '',
    user: userid,
    progress: [`removing volume '${volid}'`],
    finish: () => {
      // PVE checks the protection flag in the task, when it frees the volume.
      if (volume.protected === true) throw new Error(`cannot remove protected volume '${volid}'`);
      storage.volumes = storage.volumes.filter((candidate) => candidate !== volume);
      return [];
    },
  });
  return { data: task.upid };
}

/** The backup-only fields of a content listing row: notes (first line) and the protected flag. */
export function backupAnnotations(volume: VolumeState): { notes?: string; protected?: 1 } {
  if (volume.content !== 'backup') return {};
  const notes = volume.notes?.split('\n')[0];
  return {
    ...(notes !== undefined && notes !== '' ? { notes } : {}),
    ...(volume.protected === true ? { protected: 1 } : {}),
  };
}

/** Routes for backing up a guest and deleting a storage volume. */
export const backupRoutes: Route[] = [
  { method: 'POST', template: '/nodes/{node}/vzdump', auth: 'ticket', handle: vzdump },
  {
    method: 'DELETE',
    template: '/nodes/{node}/storage/{storage}/content/{volume}',
    auth: 'ticket',
    handle: deleteVolume,
  },
];
