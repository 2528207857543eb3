import { describe, expect, it } from 'vitest';
import { GiB } from '../../shared/units';
import {
  isBusAllowed,
  isMediaAllowed,
  isNodeAllowed,
  isVmidAllowed,
  resolveUserLimits,
  type UserLimits,
} from './limits';
import { parsePolicy, type Policy } from './policy';

function policyOf(json: Record<string, unknown>): Policy {
  const result = parsePolicy({ version: 1, ...json });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.policy;
}

function resolved(policy: Policy, userid: string, groups?: string[]): UserLimits {
  const limits = resolveUserLimits(policy, userid, groups);
  if (limits === null) throw new Error(`no limits for ${userid}`);
  return limits;
}

const layered = policyOf({
  users: {
    'alice@pve': {
      pools: ['alice', 'shared'],
      cores: { max: 16 },
      storage: { tank: { max: '10GiB' } },
    },
    'carol@pve': { memory: { max: null } },
  },
  pools: {
    alice: { cores: { max: 4 }, memory: { max: '8GiB' }, storage: { tank: { max: '1GiB' } } },
    shared: {
      memory: { max: '12GiB', perNode: { pve1: '4GiB' } },
      storage: { 'local-lvm': { max: '50GiB', buses: ['scsi'] } },
      nodes: ['pve2'],
    },
  },
  groups: {
    students: {
      pools: ['students'],
      cores: { max: 2 },
      memory: { max: '2GiB' },
      swap: { max: '1GiB' },
      nodes: ['pve1'],
      vmids: { min: 500, max: 599 },
    },
    staff: {
      cores: { max: 32 },
      swap: { max: '4GiB' },
      nodes: ['pve3'],
      vmids: { min: 900, max: 999 },
    },
  },
});

describe('resolveUserLimits', () => {
  it("takes a field from the user's own entry first", () => {
    const limits = resolved(layered, 'alice@pve', ['students']);

    expect(limits.cores.max).toBe(16);
    expect(limits.storage.tank).toEqual({
      maxBytes: 10 * GiB,
      perNode: {},
      buses: ['ide', 'sata', 'scsi', 'virtio', 'efidisk', 'tpmstate', 'rootfs', 'mp'],
    });
  });

  it("takes a field the user entry leaves out from the user's pools, the most generous first", () => {
    const limits = resolved(layered, 'alice@pve', ['students']);

    // Pools alice (8 GiB) and shared (12 GiB) both set memory: the larger max wins, whole.
    expect(limits.memoryBytes).toEqual({ max: 12 * GiB, perNode: { pve1: 4 * GiB } });
    expect(limits.storage['local-lvm']).toEqual({
      maxBytes: 50 * GiB,
      perNode: {},
      buses: ['scsi'],
    });
    expect(limits.nodes).toEqual(['pve2']);
  });

  it('takes what neither the user nor the pools set from the groups', () => {
    const limits = resolved(layered, 'alice@pve', ['students']);

    expect(limits.swapBytes.max).toBe(GiB);
    expect(limits.vmidRanges).toEqual([{ min: 500, max: 599 }]);
  });

  it("uses the user's own pools, not the groups' pools", () => {
    expect(resolved(layered, 'alice@pve', ['students']).pools).toEqual(['alice', 'shared']);
  });

  it('joins lists and picks the larger limit among several groups', () => {
    const limits = resolved(layered, 'dave@pve', ['students', 'staff']);

    expect(limits.cores.max).toBe(32);
    expect(limits.swapBytes.max).toBe(4 * GiB);
    expect(limits.nodes).toEqual(['pve1', 'pve3']);
    expect(limits.vmidRanges).toEqual([
      { min: 900, max: 999 },
      { min: 500, max: 599 },
    ]);
    expect(limits.pools).toEqual(['students']);
  });

  it('treats an explicit null max as no limit, overriding a lower level', () => {
    const limits = resolved(layered, 'carol@pve', ['students']);

    expect(limits.memoryBytes.max).toBeNull();
    expect(limits.cores.max).toBe(2);
  });

  it('gives no limits, any node and any vmid when nothing is set', () => {
    const limits = resolved(policyOf({ users: { 'erin@pve': {} } }), 'erin@pve');

    expect(limits.cores).toEqual({ max: null, perNode: {} });
    expect(limits.networkBytesPerSecond).toEqual({
      max: null,
      perNode: {},
      unlimitedRateCost: null,
    });
    expect(limits.nodes).toBeNull();
    expect(limits.vmidRanges).toBeNull();
    expect(limits.pools).toEqual([]);
    expect(limits.backups).toEqual({ max: null });
    expect(limits.isoImages).toBeNull();
    expect(limits.containerTemplates).toBeNull();
  });

  it('returns null for a user named neither directly nor through a group', () => {
    expect(resolveUserLimits(layered, 'mallory@pve')).toBeNull();
    expect(resolveUserLimits(layered, 'mallory@pve', ['nobody', 'toString'])).toBeNull();
  });

  it('converts templates to base units and keeps the first of a name', () => {
    const policy = policyOf({
      users: {
        'alice@pve': {
          templates: [
            {
              name: 'small',
              type: 'lxc',
              config: { cores: 1 },
              cost: { cores: 1, memory: '512MiB' },
            },
          ],
        },
      },
    });

    expect(resolved(policy, 'alice@pve').templates).toEqual([
      {
        name: 'small',
        type: 'lxc',
        description: null,
        config: { cores: 1 },
        cost: {
          cores: 1,
          memoryBytes: 512 * 1024 * 1024,
          swapBytes: 0,
          networkBytesPerSecond: 0,
          storageBytes: {},
        },
      },
    ]);
  });
});

describe('placement checks', () => {
  const limits = resolved(layered, 'alice@pve', ['students']);
  const open = resolved(policyOf({ users: { 'erin@pve': {} } }), 'erin@pve');

  it('allows only the listed nodes', () => {
    expect(isNodeAllowed(limits, 'pve2')).toBe(true);
    expect(isNodeAllowed(limits, 'pve1')).toBe(false);
    expect(isNodeAllowed(open, 'anything')).toBe(true);
  });

  it('allows vmids inside a range, inclusive', () => {
    expect(isVmidAllowed(limits, 500)).toBe(true);
    expect(isVmidAllowed(limits, 599)).toBe(true);
    expect(isVmidAllowed(limits, 600)).toBe(false);
    expect(isVmidAllowed(limits, 550.5)).toBe(false);
    expect(isVmidAllowed(open, 123)).toBe(true);
  });

  it('allows a bus on a storage only when the storage entry lists it', () => {
    expect(isBusAllowed(limits, 'local-lvm', 'scsi')).toBe(true);
    expect(isBusAllowed(limits, 'local-lvm', 'ide')).toBe(false);
    expect(isBusAllowed(limits, 'unlisted', 'ide')).toBe(true);
    expect(isBusAllowed(limits, 'constructor', 'ide')).toBe(true);
  });
});

describe('installation media allow lists', () => {
  const policy = policyOf({
    users: {
      'alice@pve': { pools: ['lab'], isoImages: [{ match: 'local:iso/debian-*' }] },
      'dan@pve': { isoImages: [] },
    },
    pools: { lab: { isoImages: [{ match: 'local:iso/*' }] } },
    groups: {
      a: { containerTemplates: [{ match: 'local:vztmpl/debian-*', label: 'Debian' }] },
      b: {
        containerTemplates: [
          { match: 'local:vztmpl/debian-*' },
          { match: '/^nfs:vztmpl\\/alpine-3\\.\\d+-/i', label: 'Alpine 3' },
        ],
      },
    },
  });

  it("takes the user's own list before the pool's", () => {
    expect(resolved(policy, 'alice@pve').isoImages).toEqual([{ match: 'local:iso/debian-*' }]);
  });

  it('joins the lists of several groups, one entry per pattern with its label kept', () => {
    expect(resolved(policy, 'alice@pve', ['b', 'a']).containerTemplates).toEqual([
      { match: 'local:vztmpl/debian-*', label: 'Debian' },
      { match: '/^nfs:vztmpl\\/alpine-3\\.\\d+-/i', label: 'Alpine 3' },
    ]);
  });

  it('matches volume ids with globs and regular expressions over the whole id', () => {
    const limits = resolved(policy, 'alice@pve', ['a', 'b']);

    expect(isMediaAllowed(limits.isoImages, 'local:iso/debian-12.iso')).toBe(true);
    expect(isMediaAllowed(limits.isoImages, 'local:iso/ubuntu-24.iso')).toBe(false);
    expect(isMediaAllowed(limits.isoImages, 'other:iso/debian-12.iso')).toBe(false);
    expect(isMediaAllowed(limits.containerTemplates, 'NFS:vztmpl/Alpine-3.20-x.tar.xz')).toBe(true);
    expect(isMediaAllowed(limits.containerTemplates, 'nfs:vztmpl/alpine-4.0-x.tar.xz')).toBe(false);
  });

  it('allows any media when the list is left out and none when it is empty', () => {
    expect(isMediaAllowed(resolved(policy, 'alice@pve').containerTemplates, 'x:vztmpl/y')).toBe(
      true,
    );
    expect(isMediaAllowed(resolved(policy, 'dan@pve').isoImages, 'local:iso/debian-12.iso')).toBe(
      false,
    );
  });

  it('refuses a policy with a bad pattern or an unknown field in an entry', () => {
    const result = parsePolicy({
      version: 1,
      users: { 'a@pve': { isoImages: [{ match: '/[/' }, { match: 'x', max: 1 }] } },
    });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.path)).toEqual([
      'users.a@pve.isoImages.0.match',
      'users.a@pve.isoImages.1.max',
    ]);
  });
});

describe('per-node limits of list entries', () => {
  const policy = policyOf({
    users: {
      'alice@pve': {
        pools: ['gpu'],
        pci: [{ match: 'mapping:gpu-*', max: 2, perNode: { pve1: 1 } }],
      },
      'bob@pve': { pools: ['gpu'] },
    },
    pools: {
      gpu: { pci: [{ match: 'mapping:gpu-*', max: 4, perNode: { pve3: 4 } }] },
    },
    groups: {
      a: {
        cpuModels: [
          { match: 'host', max: 1, perNode: { pve1: 1 }, label: 'Host CPU' },
          { match: 'x86-64-v2*', max: 4, perNode: { pve2: 2 } },
        ],
      },
      b: {
        cpuModels: [
          { match: 'host', max: 3, perNode: { pve2: 2 } },
          { match: 'x86-64-v2*', max: 4, perNode: { pve1: 1 } },
          { match: 'kvm64', max: 1 },
        ],
      },
    },
  });

  it("takes the user's own entries whole, per-node limits included, over the pool's", () => {
    expect(resolved(policy, 'alice@pve').pciDevices).toEqual([
      { match: 'mapping:gpu-*', max: 2, perNode: { pve1: 1 } },
    ]);
    expect(resolved(policy, 'bob@pve').pciDevices).toEqual([
      { match: 'mapping:gpu-*', max: 4, perNode: { pve3: 4 } },
    ]);
  });

  it('keeps, per pattern within a level, the entry with the largest max whole', () => {
    // host: group b's max 3 beats a's 1, and brings its own per-node limits, not a's.
    // x86-64-v2*: equal max, so the first group by name (a) wins.
    expect(resolved(policy, 'carol@pve', ['b', 'a']).cpuModels).toEqual([
      { match: 'host', max: 3, perNode: { pve2: 2 }, label: 'Host CPU' },
      { match: 'x86-64-v2*', max: 4, perNode: { pve2: 2 } },
      { match: 'kvm64', max: 1 },
    ]);
  });

  it('leaves perNode out of an entry that limits no node', () => {
    const limits = resolved(
      policyOf({ users: { 'erin@pve': { pci: [{ match: '*', max: 1, perNode: {} }] } } }),
      'erin@pve',
    );

    expect(limits.pciDevices).toEqual([{ match: '*', max: 1 }]);
  });
});
