import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commitToken,
  dave,
  elevatedLabPolicyText,
  elevatedLabScenario,
} from '../fixtures/elevated-lab';
import { startLab, type Lab } from './lab';

// The lab token is installed for the cluster (its profile), not for one node address: a session
// that fails over to another node of the cluster keeps committing with it.
describe('elevated mode across a failover', () => {
  let lab: Lab;
  let policyDir: string;

  beforeAll(async () => {
    policyDir = mkdtempSync(join(tmpdir(), 'proxdesk-elevated-failover-'));
    const policyFile = join(policyDir, 'policy.json');
    writeFileSync(policyFile, elevatedLabPolicyText());
    lab = await startLab(
      { scenario: elevatedLabScenario(), nodeListeners: true, taskDurationMs: 60 },
      { policyFile },
    );
  });
  afterAll(async () => {
    await lab.close();
    rmSync(policyDir, { recursive: true, force: true });
  });

  it('commits with the token on node 2 after node 1 stops answering', async () => {
    const [pve1, pve2] = lab.sim.nodes;
    if (!pve1 || !pve2) throw new Error('the lab has fewer than two nodes');
    await lab.call('cluster:trust', { url: pve1.url, fingerprint: pve1.fingerprint });
    const admin = {
      url: pve1.url,
      realm: 'pve',
      username: 'labadmin',
      password: 'labadmin-lab-pass',
    };
    await lab.call('session:login', admin);
    const { profileId } = await lab.call('cluster:discover');
    await lab.call('cluster:add-node', {
      profileId,
      url: pve2.url,
      name: 'pve2',
      fingerprint: pve2.fingerprint,
    });
    await lab.call('elevated:install', commitToken);
    await lab.call('session:logout');
    await lab.call('session:login', { ...admin, username: dave.username, password: dave.password });
    await pve1.stop();

    const from = lab.sim.requests.length;
    const resized = await lab.call('disk:resize', {
      node: 'pve1',
      type: 'qemu',
      vmid: 120,
      disk: 'scsi0',
      addGiB: 1,
    });
    const status = await lab.call('session:status');
    const elevated = await lab.call('elevated:status');

    expect(status).toMatchObject({ signedIn: true, clusterUrl: pve2.url });
    expect(resized.sizeBytes).toBe(17 * 1024 ** 3);
    expect(elevated.token?.tokenId).toBe(commitToken.tokenId);
    const writes = lab.sim.requests.slice(from).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => [r.method, r.path, r.status, r.userid])).toEqual([
      ['PUT', '/nodes/pve1/qemu/120/resize', 200, commitToken.tokenId],
    ]);
    expect(pve2.received).toContainEqual({ method: 'PUT', path: '/nodes/pve1/qemu/120/resize' });
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});
