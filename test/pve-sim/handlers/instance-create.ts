import { effectivePrivileges, requirePrivileges } from '../acl.js';
import { parameterError, permissionError, serverError } from '../api-error.js';
import { createOptionRules } from '../create-options.js';
import { diskSlotNames, readDisk, type ConfigValue, type GuestType } from '../disks.js';
import { requireReachableNode } from '../guests.js';
import { ParamReader } from '../params.js';
import { printPropertyString } from '../property-string.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import { formatSize } from '../sizes.js';
import { findVolume, type InstanceState, type SimState, type VolumeState } from '../state.js';
import { allocateVolume } from './disk-create.js';

// Creating guests: `GET /cluster/nextid` and `POST /nodes/{node}/{qemu,lxc}`, an asynchronous
// task that allocates the new volumes (`STORAGE:SIZE` in GiB), writes the config and adds the
// guest to its pool. Checked as PVE checks them: the parameters; that the vmid is unused, the
// node reachable, the pool, storages and media existing; then the privileges: VM.Allocate on
// /vms/<vmid> or on the pool, the VM.Config.* privilege of each option, Datastore.AllocateSpace
// on every storage a volume is allocated on, read access to an ISO or template, and Sys.Modify on
// / for a privileged container.

const allocation = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(\d+)$/i;
const guestWord: Record<GuestType, string> = { qemu: 'VM', lxc: 'CT' };

function alreadyExists(state: SimState, vmid: number): string | null {
  const guest = state.instances.get(vmid);
  return guest ? `${guestWord[guest.type]} ${vmid} already exists on node '${guest.node}'` : null;
}

function nextId(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  const vmid = p.integer('vmid', 100, 999_999_999);
  p.done();
  const { state } = ctx.runtime;
  if (vmid !== undefined) {
    if (state.instances.has(vmid)) throw parameterError({ vmid: `VM ${vmid} already exists` });
    // PVE sends the id back as a string.
    return { data: String(vmid) };
  }
  let id = 100;
  while (state.instances.has(id)) id += 1;
  return { data: String(id) };
}

/** A disk option of the request: a new volume to allocate, or an existing ISO as a CD drive. */
interface RequestedDisk {
  key: string;
  storage: string;
  sizeGiB: number | null;
  iso: VolumeState | null;
  options: Map<string, string>;
}

function readDiskOption(type: GuestType, key: string, value: unknown): RequestedDisk | string {
  const disk = typeof value === 'string' ? readDisk(type, key, value) : null;
  if (!disk) return 'invalid format - unable to parse the volume string';
  const allocated = allocation.exec(disk.source);
  if (allocated) {
    return {
      key,
      storage: allocated[1] ?? '',
      sizeGiB: Number(allocated[2]),
      iso: null,
      options: disk.options,
    };
  }
  if (type === 'qemu' && disk.cdrom && disk.storage !== null) {
    return { key, storage: disk.storage, sizeGiB: null, iso: null, options: disk.options };
  }
  return 'the simulator models only new volumes (STORAGE:SIZE) and ISO CD drives here';
}

/** Every privilege the caller would hold on the new guest: on /vms/<vmid> and on its pool. */
function heldOnNewGuest(state: SimState, userid: string, vmid: number, pool: string | null) {
  const held = effectivePrivileges(state, userid, `/vms/${vmid}`);
  if (pool !== null)
    for (const p of effectivePrivileges(state, userid, `/pool/${pool}`)) held.add(p);
  return held;
}

function requireMediaAccess(state: SimState, userid: string, volume: VolumeState): void {
  requirePrivileges(
    state,
    userid,
    `/storage/${volume.storage}`,
    ['Datastore.AllocateSpace', 'Datastore.Audit'],
    'any',
  );
}

/** Allocates the new volumes into `config`; a failure removes those already allocated. */
function writeDisks(
  state: SimState,
  type: GuestType,
  node: string,
  vmid: number,
  disks: readonly RequestedDisk[],
  config: Record<string, ConfigValue>,
): void {
  const allocated: VolumeState[] = [];
  const defaultKey = type === 'qemu' ? 'file' : 'volume';
  try {
    for (const disk of disks) {
      const options = new Map(disk.options);
      if (disk.sizeGiB !== null) {
        const content = type === 'qemu' ? 'images' : 'rootdir';
        const volume = allocateVolume(
          state,
          disk.storage,
          vmid,
          node,
          disk.sizeGiB * 2 ** 30,
          content,
        );
        allocated.push(volume);
        options.set(defaultKey, volume.volid);
        options.set('size', formatSize(volume.sizeBytes));
      } else if (disk.iso) {
        options.set('size', formatSize(disk.iso.sizeBytes));
      }
      config[disk.key] = printPropertyString(options, defaultKey);
    }
  } catch (error) {
    for (const volume of allocated) {
      const storage = state.storages.get(volume.storage);
      if (storage) storage.volumes = storage.volumes.filter((v) => v !== volume);
    }
    throw error;
  }
}

function createGuest(type: GuestType) {
  return (ctx: RequestContext): RouteResult => {
    const {
      vmid: vmidRaw,
      pool: poolRaw,
      ostemplate: templateRaw,
      password,
      unprivileged,
      ...rest
    } = ctx.params;
    const p = new ParamReader({
      vmid: vmidRaw,
      pool: poolRaw,
      ostemplate: templateRaw,
      password,
      unprivileged,
    });
    const vmid = p.integer('vmid', 100, 999_999_999);
    if (vmidRaw === undefined) p.requiredText('vmid');
    const pool = p.text('pool', { pattern: /^[A-Za-z0-9.\-_]+(\/[A-Za-z0-9.\-_]+){0,2}$/ }) ?? null;
    const ostemplate = type === 'lxc' ? p.requiredText('ostemplate', { maxLength: 255 }) : null;
    if (type === 'lxc') p.text('password', { maxLength: 4096 });
    const privileged = type === 'lxc' && p.integer('unprivileged', 0, 1) === 0;
    const errors: Record<string, string> = {};
    const values = new Map<string, ConfigValue>();
    const disks: RequestedDisk[] = [];
    const rules = createOptionRules(type);
    const slots = new Set(diskSlotNames(type));
    for (const [key, value] of Object.entries(rest)) {
      if (slots.has(key)) {
        const disk = readDiskOption(type, key, value);
        if (typeof disk === 'string') errors[key] = disk;
        else disks.push(disk);
        continue;
      }
      const rule = rules[key];
      const read = rule
        ? rule.read(value)
        : { error: 'the simulator does not model this option on create' };
      if (typeof read === 'object') errors[key] = read.error;
      else values.set(key, read);
    }
    if (type === 'lxc' && !disks.some((d) => d.key === 'rootfs')) {
      errors.rootfs ??= 'the simulator needs a rootfs on a storage (STORAGE:SIZE)';
    }
    if (type === 'lxc' && typeof password === 'string' && password.length < 5) {
      errors.password = 'value must be at least 5 characters long';
    }
    try {
      p.done();
    } catch (error) {
      Object.assign(errors, (error as { errors?: Record<string, string> }).errors ?? {});
    }
    if (Object.keys(errors).length > 0) throw parameterError(errors);

    const { state, tasks } = ctx.runtime;
    const userid = ctx.userid ?? '';
    const node = ctx.pathParams.node ?? '';
    const id = vmid ?? 0;
    requireReachableNode(state, node);
    const exists = alreadyExists(state, id);
    if (exists) throw serverError(`unable to create ${guestWord[type]} ${id} - ${exists}`);
    if (pool !== null && !state.pools.has(pool)) throw serverError(`pool '${pool}' does not exist`);

    const held = heldOnNewGuest(state, userid, id, pool);
    if (!held.has('VM.Allocate')) {
      throw permissionError(pool === null ? `/vms/${id}` : `/pool/${pool}`, ['VM.Allocate']);
    }
    for (const key of values.keys()) {
      const privilege = rules[key]?.privilege ?? 'VM.Config.Options';
      if (!held.has(privilege)) throw permissionError(`/vms/${id}`, [privilege]);
    }
    for (const disk of disks) {
      const storage = state.storages.get(disk.storage);
      if (!storage || !storage.nodes.includes(node)) {
        throw serverError(`storage '${disk.storage}' does not exist on node '${node}'`);
      }
      if (disk.sizeGiB === null) {
        const volid = disk.options.get('file') ?? '';
        const iso = findVolume(state, disk.storage, volid, node);
        if (!iso || iso.content !== 'iso') throw serverError(`volume '${volid}' does not exist`);
        if (!held.has('VM.Config.CDROM')) throw permissionError(`/vms/${id}`, ['VM.Config.CDROM']);
        requireMediaAccess(state, userid, iso);
        disk.iso = iso;
        continue;
      }
      const needed = type === 'qemu' ? 'images' : 'rootdir';
      if (!storage.content.includes(needed)) {
        throw serverError(`storage '${disk.storage}' does not support ${needed} content`);
      }
      if (!held.has('VM.Config.Disk')) throw permissionError(`/vms/${id}`, ['VM.Config.Disk']);
      requirePrivileges(state, userid, `/storage/${disk.storage}`, ['Datastore.AllocateSpace']);
    }
    let template: VolumeState | undefined;
    if (ostemplate !== null) {
      const storageId = ostemplate.slice(0, Math.max(0, ostemplate.indexOf(':')));
      template = findVolume(state, storageId, ostemplate, node);
      if (!template || template.content !== 'vztmpl') {
        throw serverError(`volume '${ostemplate}' does not exist`);
      }
      requireMediaAccess(state, userid, template);
    }
    if (privileged) requirePrivileges(state, userid, '/', ['Sys.Modify']);

    // PVE claims the id before the task starts: a config holding only `lock: create`, which the
    // task fills in at its end, or removes when it fails. The guest joins its pool at the end.
    const label = `${guestWord[type]} ${id}`;
    const placeholder: InstanceState = {
      vmid: id,
      type,
      node,
      name: label,
      status: 'stopped',
      pool: null,
      config: { lock: 'create' },
      startedAtSeconds: null,
    };
    state.instances.set(id, placeholder);
    const removePlaceholder = (): void => {
      if (state.instances.get(id) === placeholder) state.instances.delete(id);
    };
    const task = tasks.start({
      node,
      type: type === 'qemu' ? 'qmcreate' : 'vzcreate',
      id: String(id),
      user: userid,
      progress: [
        ...disks
          .filter((d) => d.sizeGiB !== null)
          .map((d) => `allocating ${d.sizeGiB}G on '${d.storage}'`),
        ...(template ? [`extracting archive '${template.volid}'`] : []),
        `creating ${label}`,
      ],
      finish: () => {
        // The config was removed or replaced while the task ran: nothing to fill in.
        if (state.instances.get(id) !== placeholder) {
          throw new Error(`unable to create ${label} - its config was removed meanwhile`);
        }
        const config: Record<string, ConfigValue> = Object.fromEntries(values);
        writeDisks(state, type, node, id, disks, config);
        if (type === 'lxc') {
          config.arch = 'amd64';
          config.unprivileged = privileged ? 0 : 1;
        }
        const nameKey = type === 'qemu' ? 'name' : 'hostname';
        placeholder.name = config[nameKey] === undefined ? label : String(config[nameKey]);
        placeholder.pool = pool;
        placeholder.config = config;
        return [];
      },
      undo: removePlaceholder,
    });
    return { data: task.upid };
  };
}

/** Routes for the next free id and for creating VMs and containers (`user: all` in PVE). */
export const instanceCreateRoutes: Route[] = [
  { method: 'GET', template: '/cluster/nextid', auth: 'ticket', handle: nextId },
  ...(['qemu', 'lxc'] as const).map((type): Route => ({
    method: 'POST',
    template: `/nodes/{node}/${type}`,
    auth: 'ticket',
    handle: createGuest(type),
  })),
];
