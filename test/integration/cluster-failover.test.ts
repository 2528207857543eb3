import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/main/store/key-value-store';
import type { SimNode } from '../pve-sim';
import { alice, nodes, sessionEvents, signInWithBothNodes, twoNodeLab } from './cluster-lab';
import type { Lab } from './lab';

describe('failover between the nodes of a cluster profile', () => {
  let lab: Lab | undefined;

  afterEach(async () => {
    await lab?.close();
    lab = undefined;
  });

  it('keeps reading on node 2, its pin checked, when node 1 stops answering, and says so', async () => {
    lab = await twoNodeLab();
    const [pve1, pve2] = nodes(lab);
    await signInWithBothNodes(lab);
    const events = sessionEvents(lab);
    await pve1.stop();

    const instances = await lab.call('instance:list');
    const status = await lab.call('session:status');
    const quota = await lab.call('quota:usage');

    expect(instances.map((instance) => instance.vmid)).toEqual([100, 101, 200]);
    expect(quota.userid).toBe('alice@pve');
    expect(status).toMatchObject({ signedIn: true, clusterUrl: pve2.url, userid: 'alice@pve' });
    const failover = {
      from: { url: pve1.url, name: 'pve1' },
      to: { url: pve2.url, name: 'pve2' },
      reason: 'refused the connection',
      verifiedBy: 'pin',
    };
    expect(status).toMatchObject({ failover });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ signedIn: true, clusterUrl: pve2.url, failover });
    expect(pve2.received).toContainEqual({ method: 'GET', path: '/cluster/resources' });
    expect(lab.sim.schemaViolations).toEqual([]);
  });

  it('never uses node 2 when its certificate changed: both fingerprints, no request sent', async () => {
    lab = await twoNodeLab();
    const [pve1, pve2] = nodes(lab);
    await signInWithBothNodes(lab);
    const pinned = pve2.fingerprint;
    const presented = pve2.replaceCertificate();
    const sentBefore = pve2.received.length;
    await pve1.stop();

    const error = await lab.fail('instance:list');
    const status = await lab.call('session:status');

    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(error.details).toMatchObject({
      pinnedFingerprint: pinned,
      presentedFingerprint: presented,
    });
    expect(error.details?.nodes).toEqual([
      { url: pve1.url, name: 'pve1', reason: 'refused the connection' },
      {
        url: pve2.url,
        name: 'pve2',
        reason: 'presented a different certificate from the one pinned for it, so it was not used',
        pinnedFingerprint: pinned,
        presentedFingerprint: presented,
      },
    ]);
    expect(error.message).toContain('pve2 presented a different certificate');
    expect(pve2.received).toHaveLength(sentBefore);
    expect(status).toEqual({ ...status, signedIn: true, clusterUrl: pve1.url });
    expect(status).not.toHaveProperty('failover');
  });

  it('names every node tried when none answers, and carries on once one is back', async () => {
    lab = await twoNodeLab();
    const [pve1, pve2] = nodes(lab);
    await signInWithBothNodes(lab);
    await pve1.stop();
    await pve2.stop();

    const error = await lab.fail('instance:list');
    await pve1.start();
    const instances = await lab.call('instance:list');

    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(error.message).toBe(
      'No node of this cluster could be used: pve1 refused the connection; pve2 refused the connection.',
    );
    expect(instances).toHaveLength(3);
  });

  it('does not use a profile node whose certificate was never confirmed', async () => {
    const settings = new MemoryStore();
    lab = await twoNodeLab(settings);
    const [pve1, pve2] = nodes(lab);
    await lab.call('cluster:trust', { url: pve1.url, fingerprint: pve1.fingerprint });
    const profiles = settings.get('cluster.profiles') as Array<{ nodes: unknown[] }>;
    // A profile edited by hand, listing a node whose certificate nobody confirmed.
    profiles[0]?.nodes.push({ url: pve2.url, name: 'pve2' });
    settings.set('cluster.profiles', profiles);
    await lab.call('session:login', { url: pve1.url, ...alice });
    await pve1.stop();

    const error = await lab.fail('instance:list');

    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(error.details?.nodes?.[1]).toEqual({
      url: pve2.url,
      name: 'pve2',
      reason: 'has no confirmed certificate yet, so it was not used',
    });
    expect(pve2.received).toEqual([]);
  });

  it('never fails over to a trusted node of another profile: nothing is sent to it', async () => {
    lab = await twoNodeLab();
    const [pve1, pve2] = nodes(lab);
    await lab.call('cluster:trust', { url: pve1.url, fingerprint: pve1.fingerprint });
    // pve2 is trusted on the connect page, so it is a profile of its own, not a node of pve1's.
    await lab.call('cluster:trust', { url: pve2.url, fingerprint: pve2.fingerprint });
    await lab.call('session:login', { url: pve1.url, ...alice });
    await pve1.stop();

    const error = await lab.fail('instance:list');
    const listed = await lab.call('cluster:profiles');

    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(error.details?.nodes).toEqual([
      { url: pve1.url, name: null, reason: 'refused the connection' },
    ]);
    expect(listed.profiles).toHaveLength(2);
    expect(pve2.received).toEqual([]);
  });

  it('sends nothing to a pinned node never shown to be a member, until adding it proves it', async () => {
    const settings = new MemoryStore();
    lab = await twoNodeLab(settings);
    const [pve1, pve2] = nodes(lab);
    await lab.call('cluster:trust', { url: pve1.url, fingerprint: pve1.fingerprint });
    // A profile as an earlier version stored it: pve2 pinned and listed, with no proof.
    const profiles = settings.get('cluster.profiles') as Array<{ nodes: unknown[] }>;
    profiles[0]?.nodes.push({ url: pve2.url, name: 'pve2' });
    settings.set('cluster.profiles', profiles);
    settings.set('trust.pins', {
      ...(settings.get('trust.pins') as object),
      [pve2.url]: { fingerprint: pve2.fingerprint, pinnedAt: '2026-01-01T00:00:00.000Z' },
    });
    await lab.call('session:login', { url: pve1.url, ...alice });
    await pve1.stop();

    const refused = await lab.fail('instance:list');
    const sentToPve2 = pve2.received.length;
    await pve1.start();
    const found = await lab.call('cluster:discover');
    await lab.call('cluster:add-node', {
      profileId: found.profileId,
      url: pve2.url,
      fingerprint: pve2.fingerprint,
    });
    await pve1.stop();
    const instances = await lab.call('instance:list');

    expect(refused.code).toBe('CLUSTER_UNREACHABLE');
    expect(refused.details?.nodes?.[1]).toEqual({
      url: pve2.url,
      name: 'pve2',
      reason: 'was never shown to be a node of this cluster, so it was not used',
    });
    expect(sentToPve2).toBe(0);
    expect(found.nodes.map((node) => [node.name, node.inProfile])).toEqual([
      ['pve1', true],
      ['pve2', false],
    ]);
    expect(instances).toHaveLength(3);
    expect(pve2.received).toContainEqual({ method: 'GET', path: '/cluster/resources' });
  });

  it('never sends a write again when its connection died after it was sent', async () => {
    lab = await twoNodeLab();
    const [pve1, pve2] = nodes(lab);
    await signInWithBothNodes(lab);
    pve1.dropRequests = (request) => request.method === 'POST';

    const error = await lab.fail('instance:power', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      action: 'start',
    });
    const starts = (node: SimNode): number =>
      node.received.filter((request) => request.path.endsWith('/status/start')).length;

    expect(error.code).toBe('PVE_UNREACHABLE');
    expect(starts(pve1)).toBe(1);
    expect(starts(pve2)).toBe(0);
    expect(lab.sim.state.instances.get(101)?.status).toBe('stopped');
  });

  it('holds a resize whose connection died after it was sent as an unknown outcome', async () => {
    lab = await twoNodeLab();
    const [pve1, pve2] = nodes(lab);
    await signInWithBothNodes(lab);
    pve1.dropRequests = (request) => request.method === 'PUT';
    const resizes = (node: SimNode): number =>
      node.received.filter((request) => request.path.endsWith('/resize')).length;

    const error = await lab.fail('disk:resize', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      disk: 'scsi0',
      addGiB: 1,
    });

    expect(error.code).toBe('OUTCOME_UNKNOWN');
    expect([resizes(pve1), resizes(pve2)]).toEqual([1, 0]);
    expect(lab.sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=32G');
  });

  it('moves a read to node 2 when node 1 resets it before answering', async () => {
    lab = await twoNodeLab();
    const [pve1, pve2] = nodes(lab);
    await signInWithBothNodes(lab);
    pve1.dropRequests = true;

    const instances = await lab.call('instance:list');
    const status = await lab.call('session:status');

    expect(instances).toHaveLength(3);
    expect(status).toMatchObject({
      clusterUrl: pve2.url,
      failover: { reason: 'closed the connection' },
    });
  });

  it("adds a node through the profile's root CA and fails over to it, checked by the CA", async () => {
    lab = await twoNodeLab(new MemoryStore(), true);
    const [pve1, pve2] = nodes(lab);
    await lab.call('cluster:trust-ca', { url: pve1.url, caPem: lab.sim.caPem ?? '' });
    await lab.call('session:login', { url: pve1.url, ...alice });
    const profileId = (await lab.call('cluster:profiles')).inUse?.profileId ?? '';

    const added = await lab.call('cluster:add-node', { profileId, url: pve2.url, name: 'pve2' });
    await pve1.stop();
    await lab.call('instance:list');
    const status = await lab.call('session:status');

    expect(added.profile).toMatchObject({
      trust: 'ca',
      nodes: [
        { url: pve1.url, trust: 'ca' },
        { url: pve2.url, trust: 'ca' },
      ],
    });
    expect(status).toMatchObject({ clusterUrl: pve2.url, failover: { verifiedBy: 'ca' } });
  });
});
