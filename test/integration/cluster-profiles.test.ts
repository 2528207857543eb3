import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/main/store/key-value-store';
import { alice, nodes, signInWithBothNodes, twoNodeLab } from './cluster-lab';
import { startLab, type Lab } from './lab';

describe('cluster profiles with several nodes', () => {
  let lab: Lab | undefined;

  afterEach(async () => {
    await lab?.close();
    lab = undefined;
  });

  it('adds a node found in the cluster status only after its fingerprint is confirmed', async () => {
    lab = await twoNodeLab();
    const [pve1, pve2] = nodes(lab);
    await lab.call('cluster:trust', { url: pve1.url, fingerprint: pve1.fingerprint });
    await lab.call('session:login', { url: pve1.url, ...alice });

    const found = await lab.call('cluster:discover');
    const unconfirmed = await lab.fail('cluster:add-node', {
      profileId: found.profileId,
      url: pve2.url,
      name: 'pve2',
    });
    const wrong = await lab.fail('cluster:add-node', {
      profileId: found.profileId,
      url: pve2.url,
      fingerprint: pve1.fingerprint,
    });
    const before = await lab.call('cluster:profiles');
    const added = await lab.call('cluster:add-node', {
      profileId: found.profileId,
      url: pve2.url,
      name: 'pve2',
      fingerprint: pve2.fingerprint,
    });

    expect(found.nodes).toEqual([
      {
        name: 'pve1',
        ip: '127.0.0.1',
        url: pve1.url,
        online: true,
        inProfile: true,
        problem: null,
      },
      {
        name: 'pve2',
        ip: '127.0.0.2',
        url: pve2.url,
        online: true,
        inProfile: false,
        problem: null,
      },
    ]);
    expect(unconfirmed.code).toBe('INVALID_INPUT');
    expect(unconfirmed.details).toMatchObject({ presentedFingerprint: pve2.fingerprint });
    expect(wrong.code).toBe('CERT_MISMATCH');
    expect(wrong.details).toEqual({ presentedFingerprint: pve2.fingerprint });
    expect(before.profiles[0]?.nodes).toEqual([
      { url: pve1.url, name: 'pve1', trust: 'pin', fingerprint: pve1.fingerprint },
    ]);
    expect(added.profile.name).toBe('lab');
    expect(added.profile.nodes).toEqual([
      { url: pve1.url, name: 'pve1', trust: 'pin', fingerprint: pve1.fingerprint },
      { url: pve2.url, name: 'pve2', trust: 'pin', fingerprint: pve2.fingerprint },
    ]);
    expect(lab.sim.schemaViolations).toEqual([]);
  });

  it('refuses hostile or malformed node addresses as invalid input, and adds nothing', async () => {
    lab = await twoNodeLab();
    const profileId = await signInWithBothNodes(lab);

    const codes = [];
    for (const url of [
      'http://127.0.0.2:8006',
      'https://127.0.0.2:8006/api2/json',
      'https://root:secret@127.0.0.2:8006',
      'https://127.0.0.2:8006/?x=1',
      'javascript:alert(1)',
      42,
    ]) {
      codes.push((await lab.fail('cluster:add-node', { profileId, url })).code);
    }
    const badId = await lab.fail('cluster:add-node', {
      profileId: '../x',
      url: nodes(lab)[1].url,
    });
    const listed = await lab.call('cluster:profiles');

    expect(codes).toEqual(Array(6).fill('INVALID_INPUT'));
    expect(badId.code).toBe('INVALID_INPUT');
    expect(listed.profiles[0]?.nodes).toHaveLength(2);
  });

  it('says why a user without Sys.Audit on / cannot list the nodes', async () => {
    lab = await startLab({ nodeListeners: true });
    const [pve1] = nodes(lab);
    await lab.call('cluster:trust', { url: pve1.url, fingerprint: pve1.fingerprint });
    await lab.call('session:login', { url: pve1.url, ...alice });

    const error = await lab.fail('cluster:discover');

    expect(error.code).toBe('PVE_PERMISSION');
    expect(error.message).toMatch(/Sys\.Audit on \//);
  });

  it('reads trust stored before profiles existed as one profile per address', async () => {
    const settings = new MemoryStore();
    lab = await twoNodeLab(settings);
    const [pve1] = nodes(lab);
    settings.set('trust.pins', {
      [pve1.url]: { fingerprint: pve1.fingerprint, pinnedAt: '2026-01-01T00:00:00.000Z' },
    });

    const listed = await lab.call('cluster:profiles');
    await lab.call('session:login', { url: pve1.url, ...alice });
    const inUse = await lab.call('cluster:profiles');

    expect(listed.profiles).toEqual([
      {
        id: listed.profiles[0]?.id,
        name: new URL(pve1.url).host,
        trust: 'pins',
        nodes: [{ url: pve1.url, name: null, trust: 'pin', fingerprint: pve1.fingerprint }],
      },
    ]);
    expect(listed.profiles[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(inUse.inUse).toEqual({ profileId: listed.profiles[0]?.id, url: pve1.url });
    expect(inUse.profiles).toHaveLength(1);
  });
});
