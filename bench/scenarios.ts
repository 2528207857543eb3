import { readFileSync } from 'node:fs';
import type { PveApi } from '../src/main/pve/api';
import type {
  ClusterResource,
  GuestConfig,
  StorageVolume,
  UserMembership,
} from '../src/main/pve/api-schemas';
import type { Policy } from '../src/main/quota/policy';
import { parsePolicy } from '../src/main/quota/policy';
import { bundledScenarioPath, parseScenario, type Scenario } from '../test/pve-sim';

// Inputs of the benchmarks: a scenario with many guests for one user, its policy, and an
// in-memory stand-in for the PVE API that serves thousands of configs without a network.

const GiB = 1024 ** 3;

/** The one user of the generated scenarios. */
export const benchUser = { userid: 'bench@pve', password: 'bench-lab-pass', pool: 'bench' };

/** A policy that names the bench user with limits far above what the guests use. */
export function benchPolicy(): Policy {
  const parsed = parsePolicy({
    version: 1,
    users: {
      [benchUser.userid]: {
        pools: [benchUser.pool],
        cores: { max: 1_000_000, perNode: { pve1: 1_000_000 } },
        memory: { max: '100TiB' },
        network: { max: '1000000MB/s' },
        storage: { 'local-lvm': { max: '1000TiB', perNode: { pve1: '1000TiB' } } },
        cpuModels: [{ match: 'x86-64-v2*', max: 1_000_000 }],
      },
    },
  });
  if (!parsed.ok) throw new Error(`the bench policy is invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.policy;
}

/** A config as PVE returns it for generated guest `vmid`. */
export function benchConfig(vmid: number): Record<string, string | number> {
  return {
    name: `bench-${vmid}`,
    cores: 2,
    sockets: 1,
    memory: '2048',
    cpu: 'x86-64-v2-AES',
    scsihw: 'virtio-scsi-single',
    scsi0: `local-lvm:vm-${vmid}-disk-0,iothread=1,size=8G`,
    net0: `virtio=BC:24:11:${hex(vmid >> 8)}:${hex(vmid)}:01,bridge=vmbr0,rate=10`,
    ostype: 'l26',
  };
}

function hex(value: number): string {
  return (value & 0xff).toString(16).padStart(2, '0').toUpperCase();
}

/** The bundled lab plus `count` VMs of the bench user on pve1 (vmids from 1000). */
export function scenarioWithGuests(count: number): Scenario {
  // Built on the scenario's JSON, so the simulator's own validation checks what is added.
  const json = JSON.parse(readFileSync(bundledScenarioPath, 'utf8')) as {
    pools: object[];
    users: object[];
    acl: object[];
    storages: Array<{ id: string; capacityBytes: number; volumes: object[] }>;
    instances: object[];
  };
  json.pools.push({ poolid: benchUser.pool, comment: 'Bench guests' });
  json.users.push({
    userid: benchUser.userid,
    password: benchUser.password,
    pools: [benchUser.pool],
    comment: 'Bench user',
  });
  json.acl.push(
    {
      path: `/pool/${benchUser.pool}`,
      ugid: benchUser.userid,
      roleid: 'PVEVMAdmin',
      propagate: true,
    },
    {
      path: '/storage/local-lvm',
      ugid: benchUser.userid,
      roleid: 'PVEDatastoreUser',
      propagate: true,
    },
  );
  const storage = json.storages.find((candidate) => candidate.id === 'local-lvm');
  if (!storage) throw new Error('the bundled scenario has no local-lvm');
  storage.capacityBytes = 1024 * 1024 * GiB;
  for (let index = 0; index < count; index += 1) {
    const vmid = 1000 + index;
    storage.volumes.push({
      volid: `local-lvm:vm-${vmid}-disk-0`,
      node: 'pve1',
      sizeBytes: 8 * GiB,
      format: 'raw',
      content: 'images',
      vmid,
    });
    json.instances.push({
      node: 'pve1',
      type: 'qemu',
      vmid,
      name: `bench-${vmid}`,
      status: 'stopped',
      pool: benchUser.pool,
      config: benchConfig(vmid),
    });
  }
  return parseScenario(json, 'bench scenario');
}

/** A PVE API answering from memory for `count` guests of the bench user, and nothing else. */
export function inMemoryApi(count: number): PveApi {
  const rows: ClusterResource[] = [];
  const configs = new Map<number, GuestConfig>();
  for (let index = 0; index < count; index += 1) {
    const vmid = 1000 + index;
    rows.push({ id: `qemu/${vmid}`, type: 'qemu', node: 'pve1', vmid, pool: benchUser.pool });
    configs.set(vmid, { ...benchConfig(vmid), digest: `digest-${vmid}` });
  }
  const api = {
    guests: (): Promise<ClusterResource[]> => Promise.resolve(rows),
    config: (_node: string, _type: string, vmid: number): Promise<GuestConfig> => {
      const config = configs.get(vmid);
      return config ? Promise.resolve(config) : Promise.reject(new Error(`no guest ${vmid}`));
    },
    storageContent: (): Promise<StorageVolume[]> => Promise.resolve([]),
    users: (): Promise<UserMembership[]> =>
      Promise.resolve([{ userid: benchUser.userid, groups: [] }]),
  };
  // Only the reads usage needs are served (guests, configs, storage content, the user's groups);
  // anything else would be a bench bug.
  return api as unknown as PveApi;
}
