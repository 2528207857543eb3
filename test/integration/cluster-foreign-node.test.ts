import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/main/store/key-value-store';
import { alice, nodes, twoNodeLab } from './cluster-lab';
import { startForeignServer, type ForeignServer } from './foreign-server';
import type { Lab } from './lab';

describe('adding only proven members of the cluster to a profile', () => {
  let lab: Lab | undefined;
  let foreign: ForeignServer[] = [];

  afterEach(async () => {
    await Promise.all(foreign.map((server) => server.close()));
    foreign = [];
    await lab?.close();
    lab = undefined;
  });

  it('refuses a foreign server whose probed fingerprint is confirmed, and never sends it a request', async () => {
    const settings = new MemoryStore();
    lab = await twoNodeLab(settings);
    const [pve1, pve2] = nodes(lab);
    await lab.call('cluster:trust', { url: pve1.url, fingerprint: pve1.fingerprint });
    await lab.call('session:login', { url: pve1.url, ...alice });
    const { profileId } = await lab.call('cluster:discover');
    // One on an address the cluster does not list, on the nodes' port; one on pve1's own IP on
    // another port, which could be any other server on that machine.
    foreign = [
      await startForeignServer('127.0.0.3', Number(new URL(pve1.url).port)),
      await startForeignServer('127.0.0.1'),
    ];

    const refusals = [];
    for (const server of foreign) {
      const probed = await lab.call('cluster:probe', { url: server.url });
      for (const name of ['pve2', undefined]) {
        const input = { profileId, url: server.url, fingerprint: probed.fingerprint };
        refusals.push(await lab.fail('cluster:add-node', name ? { ...input, name } : input));
      }
    }
    const listed = await lab.call('cluster:profiles');
    const pinned = Object.keys(settings.get('trust.pins') as object);
    await lab.call('cluster:add-node', {
      profileId,
      url: pve2.url,
      name: 'pve2',
      fingerprint: pve2.fingerprint,
    });
    await pve1.stop();
    const instances = await lab.call('instance:list');
    const status = await lab.call('session:status');

    expect(refusals.map((error) => error.code)).toEqual(Array(4).fill('INVALID_INPUT'));
    expect(refusals[0]?.message).toMatch(
      /^127\.0\.0\.3:\d+ is not shown to be a node of this cluster: the cluster status lists no node at 127\.0\.0\.3\. Nothing was added\./,
    );
    expect(refusals[2]?.message).toContain(
      "the cluster lists 127.0.0.1 as pve1, but PVE serves every node's API on the port of the node in use",
    );
    expect(listed.profiles).toHaveLength(1);
    expect(listed.profiles[0]?.nodes.map((node) => node.url)).toEqual([pve1.url]);
    expect(pinned).toEqual([pve1.url]);
    expect(instances.map((instance) => instance.vmid)).toEqual([100, 101, 200]);
    expect(status).toMatchObject({ clusterUrl: pve2.url });
    // The probe's handshake is the only contact: add-node refused before connecting.
    expect(foreign.map((server) => [server.handshakes, server.requests])).toEqual([
      [1, []],
      [1, []],
    ]);
    expect(lab.sim.schemaViolations).toEqual([]);
  });

  it('refuses a name that is not the one the cluster gives the node, and adds nothing', async () => {
    lab = await twoNodeLab();
    const [pve1, pve2] = nodes(lab);
    await lab.call('cluster:trust', { url: pve1.url, fingerprint: pve1.fingerprint });
    await lab.call('session:login', { url: pve1.url, ...alice });
    const { profileId } = await lab.call('cluster:discover');
    const before = pve2.received.length;

    const error = await lab.fail('cluster:add-node', {
      profileId,
      url: pve2.url,
      name: 'pve7',
      fingerprint: pve2.fingerprint,
    });
    const listed = await lab.call('cluster:profiles');

    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      message: `The cluster lists ${new URL(pve2.url).host} as the node pve2, not pve7. Nothing was added.`,
      details: { fields: { name: 'the node at this address is pve2' } },
    });
    expect(listed.profiles[0]?.nodes).toHaveLength(1);
    expect(pve2.received).toHaveLength(before);
  });

  it('refuses the node in use written another way as already in the profile', async () => {
    lab = await twoNodeLab();
    const [pve1] = nodes(lab);
    await lab.call('cluster:trust', { url: pve1.url, fingerprint: pve1.fingerprint });
    await lab.call('session:login', { url: pve1.url, ...alice });
    const { profileId } = await lab.call('cluster:discover');
    const port = new URL(pve1.url).port;

    const errors = [];
    for (const url of [`https://[::ffff:127.0.0.1]:${port}`, `https://LOCALHOST:${port}`]) {
      errors.push(
        await lab.fail('cluster:add-node', { profileId, url, fingerprint: pve1.fingerprint }),
      );
    }
    const listed = await lab.call('cluster:profiles');

    expect(errors.map((error) => [error.code, error.message])).toEqual([
      [
        'CONFLICT',
        `127.0.0.1:${port} is already a node of this profile, as ${pve1.url}. Nothing was added.`,
      ],
      [
        'CONFLICT',
        `localhost:${port} is already a node of this profile, as ${pve1.url}. Nothing was added.`,
      ],
    ]);
    expect(listed.profiles[0]?.nodes).toHaveLength(1);
  });

  it('adds no node to a profile without a session signed in on it, pinned or by root CA', async () => {
    lab = await twoNodeLab(new MemoryStore(), true);
    const [pve1, pve2] = nodes(lab);
    await lab.call('cluster:trust-ca', { url: pve1.url, caPem: lab.sim.caPem ?? '' });
    const profileId = (await lab.call('cluster:profiles')).profiles[0]?.id ?? '';
    foreign = [await startForeignServer('127.0.0.1')];

    const signedOut = await lab.fail('cluster:add-node', { profileId, url: pve2.url });
    await lab.call('session:login', { url: pve1.url, ...alice });
    const notIssued = await lab.fail('cluster:add-node', { profileId, url: foreign[0]?.url });
    const listed = await lab.call('cluster:profiles');

    expect(signedOut).toMatchObject({
      code: 'NOT_SIGNED_IN',
      message: `Sign in on a node of ${new URL(pve1.url).host} before adding nodes to it. Nothing was added.`,
    });
    expect(notIssued.code).toBe('TLS_ERROR');
    expect(listed.profiles[0]?.nodes.map((node) => node.url)).toEqual([pve1.url]);
    expect(foreign[0]?.requests).toEqual([]);
  });
});
