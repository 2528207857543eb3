import { describe, expect, it } from 'vitest';
import { ClusterProfiles } from './cluster-profiles';
import { MemoryStore } from './key-value-store';
import { TrustStore } from './trust-store';

const a = Array.from({ length: 32 }, () => 'AA').join(':');
const b = Array.from({ length: 32 }, () => 'BB').join(':');
const c = Array.from({ length: 32 }, () => 'CC').join(':');
const pve1 = 'https://pve1.lab.example:8006';
const pve2 = 'https://pve2.lab.example:8006';
const other = 'https://other.example:8006';
const at = Date.parse('2026-03-01T10:00:00.000Z');

function setup(settings = new MemoryStore()) {
  let next = 0;
  const trust = new TrustStore(settings, () => at);
  const profiles = new ClusterProfiles(
    settings,
    trust,
    () => at,
    () => `p${++next}`,
  );
  return { settings, trust, profiles };
}

describe('ClusterProfiles migration', () => {
  it('turns each address trusted before profiles existed into its own profile, keeping pins', () => {
    const settings = new MemoryStore();
    settings.set('trust.pins', {
      [pve1]: { fingerprint: a, pinnedAt: '2025-01-01T00:00:00.000Z' },
    });
    settings.set('trust.cas', {
      [other]: { certPem: 'PEM', fingerprint: c, trustedAt: '2025-01-02T00:00:00.000Z' },
    });
    const { profiles, trust } = setup(settings);

    const listed = profiles.list();

    expect(listed).toEqual([
      {
        id: 'p1',
        name: 'pve1.lab.example:8006',
        nodes: [{ url: pve1, name: null }],
        createdAt: '2026-03-01T10:00:00.000Z',
      },
      {
        id: 'p2',
        name: 'other.example:8006',
        nodes: [{ url: other, name: null }],
        createdAt: '2026-03-01T10:00:00.000Z',
      },
    ]);
    expect(settings.get('cluster.profiles')).toEqual(listed);
    expect(trust.get(pve1)).toEqual({ fingerprint: a, pinnedAt: '2025-01-01T00:00:00.000Z' });
    expect(profiles.trustOf(other)).toEqual({ kind: 'ca', fingerprint: c });
    expect(setup(settings).profiles.list()).toEqual(listed);
  });

  it('starts with no profiles when nothing was trusted, and stores nothing', () => {
    const { profiles, settings } = setup();

    expect(profiles.list()).toEqual([]);
    expect(settings.get('cluster.profiles')).toBeUndefined();
  });

  it('treats damaged profiles as an error and leaves the pins alone', () => {
    const { profiles, settings, trust } = setup();
    trust.pin(pve1, a);
    settings.set('cluster.profiles', [{ id: 1 }]);

    expect(() => profiles.list()).toThrow(/unreadable/);
    expect(trust.get(pve1)?.fingerprint).toBe(a);
  });
});

describe('ClusterProfiles nodes', () => {
  it('keeps a pin per node and reports each node with its own', () => {
    const { profiles, trust } = setup();
    trust.pin(pve1, a);
    const profile = profiles.ensureForAddress(pve1);

    profiles.addPinnedNode(profile.id, { url: pve2, name: 'pve2' }, b);

    expect(profiles.get(profile.id).nodes).toEqual([
      { url: pve1, name: null },
      { url: pve2, name: 'pve2', memberBy: 'cluster-status' },
    ]);
    expect(profiles.trustOf(pve1)).toEqual({ kind: 'pin', fingerprint: a });
    expect(profiles.trustOf(pve2)).toEqual({ kind: 'pin', fingerprint: b });
    expect(profiles.ensureForAddress(pve2).id).toBe(profile.id);
  });

  it('refuses a node whose address already holds a different pin, and adds nothing', () => {
    const { profiles, trust } = setup();
    const profile = profiles.ensureForAddress(pve1);
    trust.pin(pve2, b);

    expect(() => profiles.addPinnedNode(profile.id, { url: pve2, name: 'pve2' }, c)).toThrow(
      /does not replace a pin silently/,
    );
    expect(trust.get(pve2)?.fingerprint).toBe(b);
    expect(profiles.get(profile.id).nodes).toEqual([{ url: pve1, name: null }]);
  });

  it('refuses a node that belongs to another profile', () => {
    const { profiles } = setup();
    const first = profiles.ensureForAddress(pve1);
    profiles.ensureForAddress(other);

    expect(() => profiles.addPinnedNode(first.id, { url: other, name: null }, a)).toThrow(
      'other.example:8006 is already a node of the cluster profile "other.example:8006", as https://other.example:8006. Nothing was added.',
    );
    expect(profiles.trustOf(other)).toEqual({ kind: 'none' });
  });

  it('refuses the same node added again under another spelling, and stores nothing', () => {
    const { profiles, trust, settings } = setup();
    const local = 'https://127.0.0.1:8006';
    trust.pin(local, a);
    const profile = profiles.ensureForAddress(local);
    const pinsBefore = settings.get('trust.pins');

    const messages = [
      'https://localhost:8006',
      'https://LOCALHOST:8006',
      'https://[::ffff:127.0.0.1]:8006',
      'https://[::ffff:7f00:1]:8006',
      local,
    ].map((url) => {
      try {
        profiles.addPinnedNode(profile.id, { url, name: null }, b);
        return 'added';
      } catch (error) {
        return (error as Error).message;
      }
    });

    expect(messages).toEqual([
      'localhost:8006 is already a node of this profile, as https://127.0.0.1:8006. Nothing was added.',
      'localhost:8006 is already a node of this profile, as https://127.0.0.1:8006. Nothing was added.',
      '[::ffff:7f00:1]:8006 is already a node of this profile, as https://127.0.0.1:8006. Nothing was added.',
      '[::ffff:7f00:1]:8006 is already a node of this profile, as https://127.0.0.1:8006. Nothing was added.',
      '127.0.0.1:8006 is already a node of this profile, as https://127.0.0.1:8006. Nothing was added.',
    ]);
    expect(profiles.get(profile.id).nodes).toEqual([{ url: local, name: null }]);
    expect(settings.get('trust.pins')).toEqual(pinsBefore);
  });

  it('finds the profile of an address written with an upper-case host or the default port', () => {
    const { profiles } = setup();
    const profile = profiles.ensureForAddress('https://pve1.lab.example');

    expect(profiles.findByUrl('https://PVE1.lab.example:443')?.id).toBe(profile.id);
    expect(profiles.findByUrl('https://pve1.lab.example:8006')).toBeNull();
  });

  it('counts as members the first node, nodes added with a proof and CA-checked nodes only', () => {
    const settings = new MemoryStore();
    settings.set('cluster.profiles', [
      {
        id: 'p1',
        name: 'lab',
        nodes: [
          { url: pve1, name: 'pve1' },
          { url: pve2, name: 'pve2' },
          { url: other, name: 'pve3' },
        ],
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
    const { profiles, trust } = setup(settings);
    trust.pin(pve2, b);
    trust.trustCa(other, 'PEM', c);

    const before = [pve1, pve2, other].map((url) => profiles.isProvenMember('p1', url));
    profiles.addPinnedNode('p1', { url: pve2, name: 'pve2' }, b);

    expect(before).toEqual([true, false, true]);
    expect(profiles.isProvenMember('p1', pve2)).toBe(true);
    expect(profiles.isProvenMember('p2', pve1)).toBe(false);
    expect(profiles.get('p1').nodes).toEqual([
      { url: pve1, name: 'pve1' },
      { url: pve2, name: 'pve2', memberBy: 'cluster-status' },
      { url: other, name: 'pve3' },
    ]);
    expect(() => profiles.addPinnedNode('p1', { url: pve2, name: 'pve2' }, b)).toThrow(
      'pve2.lab.example:8006 is already a node of this profile, as https://pve2.lab.example:8006. Nothing was added.',
    );
  });

  it("trusts a new node through the profile's root CA", () => {
    const { profiles, trust } = setup();
    trust.trustCa(pve1, 'PEM', c);
    const profile = profiles.ensureForAddress(pve1);
    const ca = profiles.profileCa(profile.id);

    profiles.addCaNode(profile.id, { url: pve2, name: 'pve2' }, ca ?? trust.ca(pve1)!);

    expect(ca?.fingerprint).toBe(c);
    expect(profiles.trustOf(pve2)).toEqual({ kind: 'ca', fingerprint: c });
  });

  it('names nodes and renames profiles without touching trust', () => {
    const { profiles, trust } = setup();
    trust.pin(pve1, a);
    const profile = profiles.ensureForAddress(pve1);

    profiles.nameNodes(profile.id, [
      { url: pve1, name: 'pve1' },
      { url: other, name: 'x' },
    ]);
    const renamed = profiles.rename(profile.id, 'Teaching lab');

    expect(renamed).toMatchObject({ name: 'Teaching lab', nodes: [{ url: pve1, name: 'pve1' }] });
    expect(trust.get(pve1)?.fingerprint).toBe(a);
    expect(() => profiles.rename('nope', 'x')).toThrow(/no such cluster profile/);
  });
});
