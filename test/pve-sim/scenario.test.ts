import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ScenarioError,
  bundledScenarioPath,
  loadScenario,
  parseScenario,
  startSim,
} from './index.js';

type Obj = Record<string, unknown>;

/** The bundled scenario as raw JSON, for tests that break it on purpose. */
interface RawScenario {
  nodes: Obj[];
  users: Obj[];
  acl: Obj[];
  storages: (Obj & { capacityBytes: number; volumes: Obj[] })[];
  instances: (Obj & { config: Obj })[];
}

function bundledJson(): RawScenario {
  return JSON.parse(readFileSync(bundledScenarioPath, 'utf8')) as RawScenario;
}

function at<T>(items: T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

function issuesOf(value: unknown): { path: string; message: string }[] {
  try {
    parseScenario(value);
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues;
    throw error;
  }
  return [];
}

describe('scenario files', () => {
  it('loads the bundled lab: two nodes, three storages, six guests, alice first', () => {
    const scenario = loadScenario(bundledScenarioPath);

    expect(scenario.nodes.map((node) => node.name)).toEqual(['pve1', 'pve2']);
    expect(scenario.storages.map((storage) => storage.id)).toEqual(['local-lvm', 'tank', 'local']);
    expect(scenario.instances.map((guest) => guest.vmid)).toEqual([100, 101, 200, 110, 210, 300]);
    expect(scenario.users.map((user) => user.userid)).toEqual([
      'alice@pve',
      'bob@pve',
      'carol@pve',
      'labadmin@pve',
    ]);
  });

  it('reports every malformed field with its path', () => {
    const value = bundledJson();
    at(value.nodes, 0).status = 'asleep';
    at(value.users, 1).userid = 'bob';
    at(value.instances, 2).config.memory = [512];
    at(value.instances, 0).colour = 'blue';

    const paths = issuesOf(value).map((issue) => issue.path);

    expect(paths).toEqual([
      'nodes[0].status',
      'users[1].userid',
      'instances[0]',
      'instances[2].config.memory',
    ]);
  });

  it('reports every broken cross reference with its path', () => {
    const value = bundledJson();
    const localLvm = at(value.storages, 0);
    localLvm.volumes = localLvm.volumes.filter(
      (volume) => volume.volid !== 'local-lvm:vm-200-disk-0',
    );
    at(value.instances, 0).config.scsi0 = 'local-lvm:vm-100-disk-0,size=30G';
    at(value.instances, 1).config.scsi2 = 'local-lvm:vm-100-disk-0,size=32G';
    at(value.acl, 0).roleid = 'PVEWizard';
    at(value.acl, 1).path = '/storage/nfs-backup';
    at(value.instances, 5).node = 'pve3';

    const issues = issuesOf(value);

    expect(issues).toEqual([
      { path: 'acl[0].roleid', message: "unknown role 'PVEWizard'" },
      { path: 'acl[1].path', message: "path '/storage/nfs-backup' names nothing in this scenario" },
      { path: 'instances[0].config.scsi0', message: 'size=30G but the volume is 32G' },
      {
        path: 'instances[1].config.scsi2',
        message:
          "volume 'local-lvm:vm-100-disk-0' does not exist on storage 'local-lvm' on node 'pve2'",
      },
      {
        path: 'instances[2].config.rootfs',
        message:
          "volume 'local-lvm:vm-200-disk-0' does not exist on storage 'local-lvm' on node 'pve1'",
      },
      { path: 'instances[5].node', message: "unknown node 'pve3'" },
      {
        path: 'instances[5].config.scsi0',
        message: "storage 'tank' is not available on node 'pve3'",
      },
    ]);
  });

  it('refuses volumes that overfill their storage or sit on the wrong node', () => {
    const value = bundledJson();
    at(value.storages, 2).capacityBytes = 1024 ** 3;
    at(at(value.storages, 0).volumes, 0).node = 'pve7';

    const issues = issuesOf(value);

    expect(issues).toContainEqual({
      path: 'storages[0].volumes[0].node',
      message: "must be one of the storage's nodes (pve1, pve2)",
    });
    expect(issues).toContainEqual({
      path: 'storages[2].volumes',
      message: `volumes on node 'pve1' use ${631 * 1024 ** 2 + 2646 * 1024 ** 2 + 126391460 + 147855211} bytes, more than capacityBytes`,
    });
  });

  it('names the file and the problem when the file is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pve-sim-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "nodes": [');

    const load = (): unknown => loadScenario(file);

    try {
      expect(load).toThrow(ScenarioError);
      expect(load).toThrow(`Scenario ${file} is invalid:`);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('refuses to start with a negative port or latency', async () => {
    const scenario = loadScenario(bundledScenarioPath);

    await expect(startSim({ scenario, port: -1 })).rejects.toThrow(RangeError);
    await expect(startSim({ scenario, latencyMs: Number.NaN })).rejects.toThrow(
      'latencyMs must be a number >= 0',
    );
  });
});
