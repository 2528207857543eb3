import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../src/main/store/secrets';
import {
  auditToken,
  commitToken,
  dave,
  elevatedLabPolicyText,
  elevatedLabScenario,
} from '../fixtures/elevated-lab';
import type { RecordedRequest } from '../pve-sim';
import { startLab, type Lab } from './lab';

const resize = { node: 'pve1', type: 'qemu', vmid: 120, disk: 'scsi0', addGiB: 1 } as const;

/** A secret store that can say which names it holds. */
class ListedSecrets extends MemorySecretStore {
  readonly names = new Set<string>();

  override set(name: string, value: string): void {
    super.set(name, value);
    this.names.add(name);
  }

  override delete(name: string): void {
    super.delete(name);
    this.names.delete(name);
  }
}

const isTaskRead = (path: string): boolean => /^\/nodes\/[^/]+\/tasks\/UPID:/.test(path);

describe('elevated mode: read-only users, changes committed with the lab token', () => {
  let lab: Lab;
  let policyDir: string;
  const secrets = new ListedSecrets();
  /** The lab token secrets kept, whatever name the cluster's profile gives them. */
  const labSecrets = (): Array<string | null> =>
    [...secrets.names].filter((n) => n.startsWith('elevated-token ')).map((n) => secrets.get(n));

  /** The cluster's name: its profile is named after the address first signed in on. */
  const host = (): string => new URL(lab.sim.url).host;

  async function signInAs(username: string, password: string): Promise<void> {
    await lab.call('session:login', { url: lab.sim.url, realm: 'pve', username, password });
  }
  const signInDave = (): Promise<void> => signInAs(dave.username, dave.password);
  const signInAdmin = (): Promise<void> => signInAs('labadmin', 'labadmin-lab-pass');

  /** The requests the simulator answered while `work` ran. */
  async function during(work: () => Promise<unknown>): Promise<RecordedRequest[]> {
    const from = lab.sim.requests.length;
    await work();
    return lab.sim.requests.slice(from);
  }

  async function installCommitToken(): Promise<void> {
    await signInAdmin();
    await lab.call('elevated:install', commitToken);
    await lab.call('session:logout');
  }

  beforeAll(async () => {
    policyDir = mkdtempSync(join(tmpdir(), 'proxdesk-elevated-policy-'));
    const policyFile = join(policyDir, 'policy.json');
    writeFileSync(policyFile, elevatedLabPolicyText());
    lab = await startLab(
      { scenario: elevatedLabScenario(), loginFailureDelayMs: 20, taskDurationMs: 60 },
      { secrets, policyFile },
    );
    await lab.trust();
  });
  beforeEach(async () => {
    await lab.call('session:logout');
    if (lab.sim.state.instances.get(120)?.config.scsi0 === undefined) throw new Error('no VM 120');
    // Every test starts without a token installed.
    await signInAdmin();
    await lab.call('elevated:remove');
    await lab.call('session:logout');
  });
  afterAll(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
    rmSync(policyDir, { recursive: true, force: true });
  });

  it("refuses a read-only user's resize without a token with PVE's 403, clearly mapped", async () => {
    await signInDave();
    const before = lab.sim.state.instances.get(120)?.config.scsi0;

    const requests = await during(async () => {
      const error = await lab.fail('disk:resize', resize);
      expect(error).toEqual({
        code: 'PVE_PERMISSION',
        message:
          'You do not have permission VM.Config.Disk on /vms/120. Ask the lab admin to grant it.',
        details: { status: 403 },
      });
    });

    const writes = requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => [r.method, r.path, r.status, r.userid])).toEqual([
      ['PUT', '/nodes/pve1/qemu/120/resize', 403, dave.userid],
    ]);
    expect(lab.sim.state.instances.get(120)?.config.scsi0).toBe(before);
    expect(await lab.call('elevated:status')).toEqual({ cluster: host(), token: null });
  });

  it('commits the same resize with the token, while every read goes with the user ticket', async () => {
    await installCommitToken();
    await signInDave();

    let result: unknown;
    const requests = await during(async () => {
      result = await lab.call('disk:resize', resize);
    });

    expect(result).toMatchObject({
      disk: 'scsi0',
      storage: 'local-lvm',
      sizeBytes: 17 * 1024 ** 3,
    });
    expect(lab.sim.state.instances.get(120)?.config.scsi0).toBe('local-lvm:vm-120-disk-0,size=17G');
    const writes = requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => [r.method, r.path, r.status, r.userid])).toEqual([
      ['PUT', '/nodes/pve1/qemu/120/resize', 200, commitToken.tokenId],
    ]);
    const reads = requests.filter((r) => r.method === 'GET' && !isTaskRead(r.path));
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads.map((r) => r.userid))).toEqual(new Set([dave.userid]));
    // The ownership check read the guests with dave's own session, before the write.
    const guestListing = requests.findIndex((r) => r.path === '/cluster/resources');
    expect(requests[guestListing]?.userid).toBe(dave.userid);
    expect(guestListing).toBeLessThan(requests.indexOf(writes[0] as RecordedRequest));
    const taskReads = requests.filter((r) => isTaskRead(r.path));
    expect(taskReads.length).toBeGreaterThan(0);
    expect(new Set(taskReads.map((r) => [r.userid, r.status].join(' ')))).toEqual(
      new Set([`${commitToken.tokenId} 200`]),
    );
    const task = [...lab.sim.state.tasks.values()].find(
      (t) => t.type === 'resize' && t.id === '120',
    );
    expect(task?.user).toBe(commitToken.tokenId);
  });

  it('commits power actions, config writes and NIC changes with the token as well', async () => {
    await installCommitToken();
    await signInDave();
    const vm = { node: 'pve1', type: 'qemu', vmid: 120 } as const;

    const requests = await during(async () => {
      await lab.call('instance:power', { ...vm, action: 'start' });
      await lab.call('instance:resources', { ...vm, cores: 3 });
      await lab.call('net:modify', { ...vm, key: 'net0', rateMBps: 30 });
    });

    const writes = requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => [r.method, r.path, r.status, r.userid])).toEqual([
      ['POST', '/nodes/pve1/qemu/120/status/start', 200, commitToken.tokenId],
      ['PUT', '/nodes/pve1/qemu/120/config', 200, commitToken.tokenId],
      ['PUT', '/nodes/pve1/qemu/120/config', 200, commitToken.tokenId],
    ]);
    const reads = requests.filter((r) => r.method === 'GET' && !isTaskRead(r.path));
    expect(new Set(reads.map((r) => r.userid))).toEqual(new Set([dave.userid]));
    const guest = lab.sim.state.instances.get(120);
    expect([guest?.status, guest?.config.cores, guest?.config.net0]).toEqual([
      'running',
      3,
      'virtio=BC:24:11:2A:12:00,bridge=vmbr0,rate=30',
    ]);
  });

  it('sends no write at all for a change the quota refuses', async () => {
    await installCommitToken();
    await signInDave();

    let code = '';
    const requests = await during(async () => {
      code = (await lab.fail('disk:resize', { ...resize, addGiB: 100 })).code;
    });

    expect(code).toBe('QUOTA_EXCEEDED');
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(requests.some((r) => r.userid === commitToken.tokenId)).toBe(false);
  });

  it('will not change a guest outside the user pools, although the token could', async () => {
    await installCommitToken();
    await signInDave();
    const before = structuredClone(lab.sim.state.instances.get(300)?.config);

    const errors: string[] = [];
    const requests = await during(async () => {
      errors.push((await lab.fail('disk:resize', { ...resize, vmid: 300 })).code);
      errors.push(
        (
          await lab.fail('instance:power', {
            node: 'pve1',
            type: 'qemu',
            vmid: 300,
            action: 'stop',
          })
        ).code,
      );
      errors.push(
        (await lab.fail('instance:resources', { node: 'pve1', type: 'qemu', vmid: 300, cores: 1 }))
          .code,
      );
    });

    expect(errors).toEqual(['NOT_OWNED', 'NOT_OWNED', 'NOT_OWNED']);
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(requests.some((r) => r.userid === commitToken.tokenId)).toBe(false);
    expect(lab.sim.state.instances.get(300)?.config).toEqual(before);
  });

  it('lets only a lab admin install or remove a token', async () => {
    await signInDave();

    const requests = await during(async () => {
      const install = await lab.fail('elevated:install', commitToken);
      const remove = await lab.fail('elevated:remove');
      expect([install.code, remove.code]).toEqual(['NOT_ADMIN', 'NOT_ADMIN']);
    });

    expect(requests.some((r) => r.path === '/access/permissions')).toBe(false);
    expect(await lab.call('elevated:status')).toEqual({ cluster: host(), token: null });
    expect(labSecrets()).toEqual([]);
  });

  it('refuses at install a token without the privileges commits need, and a wrong secret', async () => {
    await signInAdmin();

    const weak = await lab.fail('elevated:install', auditToken);
    const wrong = await lab.fail('elevated:install', {
      tokenId: commitToken.tokenId,
      secret: '00000000-0000-4000-8000-000000000000',
    });

    expect(weak.code).toBe('PVE_PERMISSION');
    expect(weak.message).toContain(
      'it lacks VM.Allocate, VM.Config.CDROM, VM.Config.CPU, VM.Config.Disk, VM.Config.HWType, VM.Config.Memory, VM.Config.Network, VM.PowerMgmt on /vms; Datastore.AllocateSpace on /storage',
    );
    expect(wrong.code).toBe('PVE_AUTH');
    expect(wrong.details?.fields).toEqual({ secret: 'PVE refused this token' });
    // A refused token does not end the admin's own session.
    expect((await lab.call('session:status')).signedIn).toBe(true);
    expect(await lab.call('elevated:status')).toEqual({ cluster: host(), token: null });
    expect(labSecrets()).toEqual([]);
    const checks = lab.sim.requests.filter((r) => r.path === '/access/permissions');
    expect(new Set(checks.map((r) => r.params.path))).toEqual(
      new Set(
        ['/vms', '/storage', '/pool/alice', '/pool/bob', '/pool/carol', '/pool/dave'].concat([
          '/storage/local-lvm',
          '/storage/tank',
        ]),
      ),
    );
  });

  it('says which token is installed, never its secret, and keeps it for the next user', async () => {
    const startedAt = Date.now() - 1;
    await signInAdmin();
    const installed = await lab.call('elevated:install', commitToken);
    await lab.call('session:logout');
    await signInDave();
    await lab.call('disk:resize', resize);
    await lab.call('session:logout');

    const afterSignOut = await during(() => lab.fail('disk:resize', resize));
    await signInAs('alice', 'alice-lab-pass');
    const forAlice = await lab.call('elevated:status');

    const { installedAt, ...rest } = installed.token ?? { installedAt: '' };
    expect(rest).toEqual({ tokenId: commitToken.tokenId, installedBy: 'labadmin@pve' });
    expect(installed.cluster).toBe(host());
    expect(Date.parse(installedAt)).toBeGreaterThanOrEqual(startedAt);
    expect(Date.parse(installedAt)).toBeLessThanOrEqual(Date.now());
    expect(JSON.stringify(installed)).not.toContain(commitToken.secret);
    expect(afterSignOut).toEqual([]);
    expect(forAlice.token?.tokenId).toBe(commitToken.tokenId);
    expect(labSecrets()).toEqual([commitToken.secret]);
  });

  it('sends changes as the user again once the admin removes the token', async () => {
    await installCommitToken();
    await signInDave();
    await lab.call('disk:resize', resize);
    await lab.call('session:logout');
    await signInAdmin();
    const removed = await lab.call('elevated:remove');
    await lab.call('session:logout');
    await signInDave();

    const error = await lab.fail('disk:resize', resize);

    expect(removed).toEqual({ cluster: host(), token: null });
    expect(error.code).toBe('PVE_PERMISSION');
    expect(labSecrets()).toEqual([]);
  });
});
