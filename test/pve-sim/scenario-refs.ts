import type { Scenario, ScenarioIssue } from './scenario.js';
import { isBuiltinRole } from './roles.js';
import { isDiskSlot, isVolumeKey, readDisk, type GuestType } from './disks.js';
import { formatSize } from './sizes.js';

// Cross-reference checks a schema cannot express: every name a scenario uses must exist, and
// every volume a guest config points at must be on its storage, on the right node, at the size
// the config claims.

type Storage = Scenario['storages'][number];

function duplicates<T>(
  items: T[],
  key: (item: T) => string,
  path: string,
  what: string,
): ScenarioIssue[] {
  const seen = new Set<string>();
  const issues: ScenarioIssue[] = [];
  items.forEach((item, index) => {
    const id = key(item);
    if (seen.has(id))
      issues.push({ path: `${path}[${index}]`, message: `duplicate ${what} '${id}'` });
    seen.add(id);
  });
  return issues;
}

function checkStorages(scenario: Scenario, nodes: Set<string>): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  scenario.storages.forEach((storage, s) => {
    const at = `storages[${s}]`;
    storage.nodes.forEach((node, n) => {
      if (!nodes.has(node))
        issues.push({ path: `${at}.nodes[${n}]`, message: `unknown node '${node}'` });
    });
    const usedPerNode = new Map<string, number>();
    const seen = new Set<string>();
    storage.volumes.forEach((volume, v) => {
      const vat = `${at}.volumes[${v}]`;
      if (!volume.volid.startsWith(`${storage.id}:`)) {
        issues.push({
          path: `${vat}.volid`,
          message: `volume id must start with '${storage.id}:'`,
        });
      }
      if (!storage.content.includes(volume.content)) {
        issues.push({
          path: `${vat}.content`,
          message: `storage '${storage.id}' does not hold '${volume.content}'`,
        });
      }
      if (storage.shared && volume.node !== undefined) {
        issues.push({ path: `${vat}.node`, message: 'a volume on a shared storage has no node' });
      }
      if (!storage.shared && (volume.node === undefined || !storage.nodes.includes(volume.node))) {
        issues.push({
          path: `${vat}.node`,
          message: `must be one of the storage's nodes (${storage.nodes.join(', ')})`,
        });
      }
      const place = `${volume.node ?? ''}/${volume.volid}`;
      if (seen.has(place))
        issues.push({ path: `${vat}.volid`, message: `duplicate volume '${volume.volid}'` });
      seen.add(place);
      const node = volume.node ?? '';
      usedPerNode.set(node, (usedPerNode.get(node) ?? 0) + volume.sizeBytes);
    });
    for (const [node, usedBytes] of usedPerNode) {
      if (usedBytes > storage.capacityBytes) {
        const where = node === '' ? '' : ` on node '${node}'`;
        issues.push({
          path: `${at}.volumes`,
          message: `volumes${where} use ${usedBytes} bytes, more than capacityBytes`,
        });
      }
    }
  });
  return issues;
}

function checkAccess(scenario: Scenario, nodes: Set<string>): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const pools = new Set(scenario.pools.map((pool) => pool.poolid));
  const storages = new Set(scenario.storages.map((storage) => storage.id));
  // An ACL may name a user or one of a user's API tokens (`user@realm!tokenid`).
  const users = new Set(
    scenario.users.flatMap((user) => [
      user.userid,
      ...user.tokens.map((token) => `${user.userid}!${token.id}`),
    ]),
  );
  const groups = new Set(scenario.users.flatMap((user) => user.groups));
  scenario.pools.forEach((pool, p) => {
    pool.storages.forEach((id, i) => {
      if (!storages.has(id))
        issues.push({ path: `pools[${p}].storages[${i}]`, message: `unknown storage '${id}'` });
    });
  });
  scenario.users.forEach((user, u) => {
    user.pools.forEach((id, i) => {
      if (!pools.has(id))
        issues.push({ path: `users[${u}].pools[${i}]`, message: `unknown pool '${id}'` });
    });
  });
  scenario.acl.forEach((entry, a) => {
    const at = `acl[${a}]`;
    if (!isBuiltinRole(entry.roleid))
      issues.push({ path: `${at}.roleid`, message: `unknown role '${entry.roleid}'` });
    const known = entry.ugid.includes('@') ? users.has(entry.ugid) : groups.has(entry.ugid);
    if (!known)
      issues.push({ path: `${at}.ugid`, message: `unknown user or group '${entry.ugid}'` });
    const [, top, id, extra] = entry.path.split('/');
    const target = id ?? '';
    const bad =
      // `/vms` alone covers every guest, as in PVE.
      (top === 'vms' &&
        id !== undefined &&
        (!/^[1-9][0-9]{2,8}$/.test(target) || extra !== undefined)) ||
      (top === 'pool' && id !== undefined && !pools.has(target)) ||
      (top === 'storage' && id !== undefined && !storages.has(target)) ||
      (top === 'nodes' && id !== undefined && !nodes.has(target));
    if (bad)
      issues.push({
        path: `${at}.path`,
        message: `path '${entry.path}' names nothing in this scenario`,
      });
  });
  return issues;
}

function findVolume(
  storage: Storage,
  volid: string,
  node: string,
): Storage['volumes'][number] | undefined {
  return storage.volumes.find((v) => v.volid === volid && (storage.shared || v.node === node));
}

function checkInstances(scenario: Scenario, nodes: Set<string>): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const pools = new Set(scenario.pools.map((pool) => pool.poolid));
  const claimed = new Map<string, number>();
  scenario.instances.forEach((instance, i) => {
    const at = `instances[${i}]`;
    const type: GuestType = instance.type;
    if (!nodes.has(instance.node))
      issues.push({ path: `${at}.node`, message: `unknown node '${instance.node}'` });
    if (instance.pool !== undefined && !pools.has(instance.pool)) {
      issues.push({ path: `${at}.pool`, message: `unknown pool '${instance.pool}'` });
    }
    const nameKey = type === 'qemu' ? 'name' : 'hostname';
    const configName = instance.config[nameKey];
    if (configName !== undefined && configName !== instance.name) {
      issues.push({
        path: `${at}.config.${nameKey}`,
        message: `differs from the instance name '${instance.name}'`,
      });
    }
    for (const [key, value] of Object.entries(instance.config)) {
      if (!isVolumeKey(type, key)) continue;
      const path = `${at}.config.${key}`;
      const disk = typeof value === 'string' ? readDisk(type, key, value) : null;
      if (!disk) {
        issues.push({ path, message: 'not a valid disk property string' });
        continue;
      }
      if (disk.storage === null || disk.volid === null) continue;
      const storage = scenario.storages.find((s) => s.id === disk.storage);
      if (!storage) {
        issues.push({ path, message: `unknown storage '${disk.storage}'` });
        continue;
      }
      if (!storage.nodes.includes(instance.node)) {
        issues.push({
          path,
          message: `storage '${storage.id}' is not available on node '${instance.node}'`,
        });
        continue;
      }
      const volume = findVolume(storage, disk.volid, instance.node);
      const where = storage.shared ? '' : ` on node '${instance.node}'`;
      if (!volume) {
        issues.push({
          path,
          message: `volume '${disk.volid}' does not exist on storage '${storage.id}'${where}`,
        });
        continue;
      }
      if (disk.sizeBytes !== null && disk.sizeBytes !== volume.sizeBytes) {
        const actual = formatSize(volume.sizeBytes);
        issues.push({
          path,
          message: `size=${formatSize(disk.sizeBytes)} but the volume is ${actual}`,
        });
      }
      if (isDiskSlot(type, key) && !disk.cdrom && disk.sizeBytes === null) {
        issues.push({ path, message: 'an attached disk needs a size= option' });
      }
      if (volume.vmid !== undefined && volume.vmid !== instance.vmid && !disk.cdrom) {
        issues.push({ path, message: `volume '${disk.volid}' belongs to guest ${volume.vmid}` });
      }
      const place = `${volume.node ?? ''}/${volume.volid}`;
      const owner = claimed.get(place);
      if (owner !== undefined && !disk.cdrom) {
        issues.push({ path, message: `volume '${disk.volid}' is already used by guest ${owner}` });
      }
      if (!disk.cdrom) claimed.set(place, instance.vmid);
    }
    if (type === 'lxc' && instance.config.rootfs === undefined) {
      issues.push({ path: `${at}.config`, message: 'a container needs a rootfs' });
    }
  });
  return issues;
}

/** Every cross-reference problem in a shape-valid scenario; empty when it is consistent. */
export function checkScenarioReferences(scenario: Scenario): ScenarioIssue[] {
  const nodes = new Set(scenario.nodes.map((node) => node.name));
  return [
    ...duplicates(scenario.nodes, (n) => n.name, 'nodes', 'node'),
    ...duplicates(scenario.storages, (s) => s.id, 'storages', 'storage'),
    ...duplicates(scenario.pools, (p) => p.poolid, 'pools', 'pool'),
    ...duplicates(scenario.users, (u) => u.userid, 'users', 'user'),
    ...duplicates(scenario.instances, (g) => String(g.vmid), 'instances', 'vmid'),
    ...checkStorages(scenario, nodes),
    ...checkAccess(scenario, nodes),
    ...checkInstances(scenario, nodes),
  ];
}
