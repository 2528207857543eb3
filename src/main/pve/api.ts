import { z } from 'zod';
import { pvePath, type Credentials, type PveCaller } from './connection';
import {
  nodePciDeviceSchema,
  pciMappingSchema,
  type NodePciDevice,
  type PciMapping,
} from './pci-listing-schemas';
import {
  backupVolumeSchema,
  clusterStatusRowSchema,
  domainSchema,
  guestConfigSchema,
  looseNumber,
  nodeStorageSchema,
  nodeTaskSchema,
  resourceSchema,
  storageContentSchema,
  taskLogSchema,
  taskStatusSchema,
  upidSchema,
  userRowSchema,
  type BackupParams,
  type BackupVolume,
  type ClusterResource,
  type ClusterStatusRow,
  type GuestConfig,
  type NodeStorage,
  type NodeTask,
  type StorageVolume,
  type UserMembership,
} from './api-schemas';
import { privilegeTreeSchema, type PrivilegeTree } from './own-permissions';

// Typed wrappers for the PVE endpoints ProxDesk calls, each reading its answer with the schema
// of that answer (api-schemas.ts).

/** The typed PVE API over one connection and one set of credentials. */
export class PveApi {
  constructor(
    /** One node's connection, or a session's cluster connection that fails over between nodes. */
    readonly connection: PveCaller,
    private readonly credentials: () => Credentials | null,
  ) {}

  /** The realms offered for sign-in; needs no credentials. */
  domains(): Promise<z.infer<typeof domainSchema>[]> {
    return this.connection.call({ method: 'GET', path: '/access/domains' }, z.array(domainSchema));
  }

  /** Every guest the user may see, cluster-wide. */
  guests(): Promise<ClusterResource[]> {
    const call = { method: 'GET', path: '/cluster/resources', params: { type: 'vm' } } as const;
    return this.connection.call(call, z.array(resourceSchema), this.credentials());
  }

  /** Every row of `/cluster/resources` the user may see: guests, storages, nodes and pools. */
  resources(): Promise<ClusterResource[]> {
    const call = { method: 'GET', path: '/cluster/resources' } as const;
    return this.connection.call(call, z.array(resourceSchema), this.credentials());
  }

  /**
   * The users the caller may see with their groups. PVE lists those whose groups the caller
   * holds User.Modify or Sys.Audit on, and always the caller, so anyone can read their own groups.
   */
  async users(): Promise<UserMembership[]> {
    const call = { method: 'GET', path: '/access/users', params: { full: true } } as const;
    const rows = await this.connection.call(call, z.array(userRowSchema), this.credentials());
    return rows.map((row) => ({
      userid: row.userid,
      groups: (row.groups ?? '')
        .split(/[,;\s]+/)
        .filter((group) => group !== '')
        .sort(),
    }));
  }

  /** The caller's own effective privileges per ACL path; anyone may read their own. */
  ownPermissions(): Promise<PrivilegeTree> {
    const call = { method: 'GET', path: '/access/permissions' } as const;
    return this.connection.call(call, privilegeTreeSchema, this.credentials());
  }

  /** The PCI devices of a node; PVE needs Sys.Audit or Sys.Modify on `/` for this. */
  nodePciDevices(node: string): Promise<NodePciDevice[]> {
    const path = pvePath`/nodes/${node}/hardware/pci`;
    const call = { method: 'GET', path } as const;
    return this.connection.call(call, z.array(nodePciDeviceSchema), this.credentials());
  }

  /** The cluster and its member nodes with their addresses; PVE needs Sys.Audit on `/`. */
  clusterStatus(): Promise<ClusterStatusRow[]> {
    const call = { method: 'GET', path: '/cluster/status' } as const;
    return this.connection.call(call, z.array(clusterStatusRowSchema), this.credentials());
  }

  /** The PCI resource mappings the user may audit, use or modify. */
  pciMappings(): Promise<PciMapping[]> {
    const call = { method: 'GET', path: '/cluster/mapping/pci' } as const;
    return this.connection.call(call, z.array(pciMappingSchema), this.credentials());
  }

  /** A guest's current config. */
  config(node: string, type: 'qemu' | 'lxc', vmid: number): Promise<GuestConfig> {
    const path = pvePath`/nodes/${node}/${type}/${vmid}/config`;
    return this.connection.call({ method: 'GET', path }, guestConfigSchema, this.credentials());
  }

  /**
   * The volumes on one storage as seen from one node, of one guest or one content type if given.
   * PVE activates the storage first, so a disabled, offline or absent storage is a 500.
   */
  storageContent(
    node: string,
    storage: string,
    vmid?: number,
    content?: string,
  ): Promise<StorageVolume[]> {
    const path = pvePath`/nodes/${node}/storage/${storage}/content`;
    const call = { method: 'GET', path, params: { vmid, content } } as const;
    return this.connection.call(call, z.array(storageContentSchema), this.credentials());
  }

  /** The storages of a node that hold a content type and that the user may audit or use. */
  nodeStorages(node: string, content: string): Promise<NodeStorage[]> {
    const path = pvePath`/nodes/${node}/storage`;
    const call = { method: 'GET', path, params: { content } } as const;
    return this.connection.call(call, z.array(nodeStorageSchema), this.credentials());
  }

  /** The backup volumes on one storage as seen from one node, of one guest when `vmid` is given. */
  backupVolumes(node: string, storage: string, vmid?: number): Promise<BackupVolume[]> {
    const path = pvePath`/nodes/${node}/storage/${storage}/content`;
    const call = { method: 'GET', path, params: { content: 'backup', vmid } } as const;
    return this.connection.call(call, z.array(backupVolumeSchema), this.credentials());
  }

  /**
   * Starts backing up one guest (`POST /nodes/<node>/vzdump`); returns the UPID. The type is not
   * sent (vzdump finds the guest by its id); elevated mode checks the commit against it.
   */
  backupGuest(
    node: string,
    _type: 'qemu' | 'lxc',
    vmid: number,
    params: BackupParams,
  ): Promise<string> {
    const path = pvePath`/nodes/${node}/vzdump`;
    const call = { method: 'POST', path, params: { vmid: String(vmid), ...params } } as const;
    return this.connection.call(call, upidSchema, this.credentials());
  }

  /**
   * Starts deleting a backup volume (`DELETE .../content/<volid>`); returns the UPID. The guest is
   * not sent; elevated mode checks the commit against it.
   */
  deleteBackup(
    node: string,
    _guest: { type: 'qemu' | 'lxc'; vmid: number },
    storage: string,
    volid: string,
  ): Promise<string> {
    const path = pvePath`/nodes/${node}/storage/${storage}/content/${volid}`;
    return this.connection.call({ method: 'DELETE', path }, upidSchema, this.credentials());
  }

  /**
   * `GET /cluster/nextid`: the cluster's next free id, or with `vmid` that id if it is free. PVE
   * answers a taken id with a 400 on `vmid`, and sends the id as a string.
   */
  nextId(vmid?: number): Promise<number> {
    const call = { method: 'GET', path: '/cluster/nextid', params: { vmid } } as const;
    return this.connection.call(call, looseNumber, this.credentials());
  }

  /** Starts creating a VM or container (`POST /nodes/<node>/<type>`); returns the UPID. */
  createGuest(
    node: string,
    type: 'qemu' | 'lxc',
    params: Record<string, string | number> & { vmid: number },
  ): Promise<string> {
    const path = pvePath`/nodes/${node}/${type}`;
    return this.connection.call({ method: 'POST', path, params }, upidSchema, this.credentials());
  }

  /** Starts a disk resize; returns the task's UPID. */
  resize(
    node: string,
    type: 'qemu' | 'lxc',
    vmid: number,
    params: { disk: string; size: string; digest: string },
  ): Promise<string> {
    const path = pvePath`/nodes/${node}/${type}/${vmid}/resize`;
    return this.connection.call({ method: 'PUT', path, params }, upidSchema, this.credentials());
  }

  /** Writes qemu config values as a task (`POST .../config`), as allocations need; the UPID. */
  updateQemuConfigAsync(
    node: string,
    vmid: number,
    params: Record<string, string> & { digest: string },
  ): Promise<string> {
    const path = pvePath`/nodes/${node}/qemu/${vmid}/config`;
    return this.connection.call({ method: 'POST', path, params }, upidSchema, this.credentials());
  }

  /** Starts moving a disk (qemu `move_disk`) or volume (lxc `move_volume`); returns the UPID. */
  moveVolume(
    node: string,
    type: 'qemu' | 'lxc',
    vmid: number,
    params: { key: string; storage: string; delete: boolean; digest: string },
  ): Promise<string> {
    const path =
      type === 'qemu'
        ? pvePath`/nodes/${node}/qemu/${vmid}/move_disk`
        : pvePath`/nodes/${node}/lxc/${vmid}/move_volume`;
    const body = {
      [type === 'qemu' ? 'disk' : 'volume']: params.key,
      storage: params.storage,
      delete: params.delete ? 1 : 0,
      digest: params.digest,
    };
    const call = { method: 'POST', path, params: body } as const;
    return this.connection.call(call, upidSchema, this.credentials());
  }

  /** Starts a power action (`status/start`, `shutdown`, `reboot`, `stop`); returns the UPID. */
  powerAction(
    node: string,
    type: 'qemu' | 'lxc',
    vmid: number,
    action: 'start' | 'shutdown' | 'reboot' | 'stop',
  ): Promise<string> {
    const path = pvePath`/nodes/${node}/${type}/${vmid}/status/${action}`;
    return this.connection.call({ method: 'POST', path }, upidSchema, this.credentials());
  }

  /**
   * Starts destroying a guest with every volume it owns (`DELETE /nodes/<node>/<type>/<vmid>`),
   * also purging it from jobs and HA and removing unreferenced volumes of its vmid; returns the UPID.
   */
  destroyGuest(node: string, type: 'qemu' | 'lxc', vmid: number): Promise<string> {
    const path = pvePath`/nodes/${node}/${type}/${vmid}`;
    const call = {
      method: 'DELETE',
      path,
      params: { purge: true, 'destroy-unreferenced-disks': true },
    } as const;
    return this.connection.call(call, upidSchema, this.credentials());
  }

  /** Writes config values synchronously (`PUT .../config`); PVE answers null. */
  async updateConfig(
    node: string,
    type: 'qemu' | 'lxc',
    vmid: number,
    params: Record<string, string | number> & { digest: string },
  ): Promise<void> {
    const path = pvePath`/nodes/${node}/${type}/${vmid}/config`;
    await this.connection.call({ method: 'PUT', path, params }, z.null(), this.credentials());
  }

  /** A node's task list, newest first. */
  nodeTasks(
    node: string,
    params: { source: 'archive' | 'active' | 'all'; limit: number; vmid?: number },
  ): Promise<NodeTask[]> {
    const path = pvePath`/nodes/${node}/tasks`;
    const call = { method: 'GET', path, params } as const;
    return this.connection.call(call, z.array(nodeTaskSchema), this.credentials());
  }

  /** A task's state. */
  taskStatus(
    node: string,
    upid: string,
    signal?: AbortSignal,
  ): Promise<z.infer<typeof taskStatusSchema>> {
    const path = pvePath`/nodes/${node}/tasks/${upid}/status`;
    const call = { method: 'GET', path, ...(signal ? { signal } : {}) } as const;
    return this.connection.call(call, taskStatusSchema, this.credentials());
  }

  /** Task log lines from line `start` on. */
  taskLog(
    node: string,
    upid: string,
    start: number,
    signal?: AbortSignal,
  ): Promise<z.infer<typeof taskLogSchema>> {
    const path = pvePath`/nodes/${node}/tasks/${upid}/log`;
    const params = { start, limit: 500 };
    const call = { method: 'GET', path, params, ...(signal ? { signal } : {}) } as const;
    return this.connection.call(call, taskLogSchema, this.credentials());
  }
}
