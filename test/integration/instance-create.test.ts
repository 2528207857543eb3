import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/log/logger';
import { loadPolicyFile, type Policy } from '../../src/main/quota/policy';
import { GiB, MiB } from '../../src/shared/units';
import type { RecordedRequest, StorageState } from '../pve-sim';
import { demoPolicyPath, startLab, type Lab } from './lab';
import { newCt as ct, newVm as vm } from './new-guests';

// The bundled lab, for alice (vmids 100-299, pool alice, nodes pve1 and pve2): 7 of 16 cores,
// 12.5 of 32 GiB memory, 125.5 of 200 MB/s network, 64 of 200 GiB on local-lvm. Her guests are
// 100, 101 and 200; bob's 110 and 210 are in her range but hidden from her. The `local` storage
// holds the Debian and Ubuntu ISOs and container templates on both nodes.

const debianIso = 'local:iso/debian-12.7.0-amd64-netinst.iso';
const ubuntuIso = 'local:iso/ubuntu-24.04.1-live-server-amd64.iso';
const debianTemplate = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

function demoPolicyWith(change: (alice: Policy['users'][string]) => void): Policy {
  const policy = loadPolicyFile(demoPolicyPath);
  const alice = policy.users['alice@pve'];
  if (!alice) throw new Error('the demo policy has no alice');
  change(alice);
  return policy;
}

async function used(lab: Lab, resource: string): Promise<number | undefined> {
  const usage = await lab.call('quota:usage');
  return usage.resources.find((r) => r.resource === resource)?.used;
}

function creates(lab: Lab): (typeof lab.sim.requests)[number][] {
  return lab.sim.requests.filter(
    (r) => r.method === 'POST' && /^\/nodes\/[^/]+\/(qemu|lxc)$/.test(r.path),
  );
}

/**
 * The node storage listings and the reads of `local` (the one storage with media) sent, in order.
 * Reads of the disk storages are the usage snapshot's, not the media check's.
 */
function mediaReads(lab: Lab): Array<Pick<RecordedRequest, 'method' | 'path' | 'params'>> {
  return lab.sim.requests
    .filter((r) => /^\/nodes\/[^/]+\/storage(\/local\/.*)?$/.test(r.path))
    .map(({ method, path, params }) => ({ method, path, params }));
}

function storage(lab: Lab, id: string): StorageState {
  const found = lab.sim.state.storages.get(id);
  if (!found) throw new Error(`the scenario has no storage ${id}`);
  return found;
}

describe('creating instances', () => {
  let lab: Lab;
  let logLines: string[];

  async function open(policy?: Policy, userIndex = 0): Promise<void> {
    logLines = [];
    const logger = createLogger({ destination: { write: (line: string) => logLines.push(line) } });
    lab = await startLab({}, { logger, ...(policy ? { policy } : {}) });
    await lab.signIn(userIndex);
  }

  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it('creates a VM with an ISO in her pool on the first free id, and her usage grows', async () => {
    await open();
    const coresBefore = await used(lab, 'cores');
    const lvmBefore = await used(lab, 'storage:local-lvm');
    const changes: string[] = [];
    lab.core.on('cluster:changed', (event) => changes.push(event.reason));

    const result = await lab.call('instance:create', { ...vm, iso: debianIso });

    expect(result).toMatchObject({ vmid: 102, node: 'pve1', type: 'qemu', task: { status: 'ok' } });
    const guest = lab.sim.state.instances.get(102);
    expect(guest).toMatchObject({ type: 'qemu', node: 'pve1', pool: 'alice', name: 'alice-new' });
    expect(guest?.config).toEqual({
      name: 'alice-new',
      cores: 2,
      sockets: 1,
      memory: '2048',
      scsi0: 'local-lvm:vm-102-disk-0,size=16G',
      ide2: `${debianIso},media=cdrom,size=631M`,
    });
    expect(creates(lab)).toHaveLength(1);
    expect(creates(lab)[0]?.params).toMatchObject({ vmid: '102', pool: 'alice' });
    expect(changes).toEqual(['created qemu 102 in pool alice']);
    expect(await used(lab, 'cores')).toBe((coresBefore ?? 0) + 2);
    expect(await used(lab, 'storage:local-lvm')).toBe((lvmBefore ?? 0) + 16 * GiB);
    const list = await lab.call('instance:list');
    expect(list.map((row) => row.vmid)).toContain(102);
  });

  it('creates a container with a root password that is never logged or stored', async () => {
    await open();
    const swapBefore = await used(lab, 'swap');

    const result = await lab.call('instance:create', {
      ...ct,
      vmid: 250,
      password: 'hunter2-secret',
    });

    expect(result).toMatchObject({ vmid: 250, node: 'pve2', type: 'lxc' });
    const guest = lab.sim.state.instances.get(250);
    expect(guest).toMatchObject({ type: 'lxc', node: 'pve2', pool: 'alice', name: 'alice-ct2' });
    expect(guest?.config).toEqual({
      hostname: 'alice-ct2',
      cores: 1,
      memory: 512,
      swap: 256,
      rootfs: 'local-lvm:vm-250-disk-0,size=4G',
      arch: 'amd64',
      unprivileged: 1,
    });
    expect(creates(lab)[0]?.params).toMatchObject({
      ostemplate: debianTemplate,
      password: '[redacted]',
      unprivileged: '1',
    });
    expect(logLines.join('\n')).not.toContain('hunter2');
    expect(await used(lab, 'swap')).toBe((swapBefore ?? 0) + 256 * MiB);
  });

  it("adds a template's config and prices its NIC and its cost on top", async () => {
    await open();
    const networkBefore = await used(lab, 'network');

    const result = await lab.call('instance:create', { ...vm, template: 'Linux VM' });

    const config = lab.sim.state.instances.get(result.vmid)?.config;
    expect(config).toMatchObject({ ostype: 'l26', agent: '1', sockets: 1, cores: 2 });
    expect(String(config?.net0)).toMatch(/^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0,rate=25$/);
    expect(await used(lab, 'network')).toBe((networkBefore ?? 0) + 25 * MiB);
  });

  it('creates a container from a template, with its NIC and options in the config', async () => {
    await open(demoPolicyWith((alice) => (alice.network = { max: null })));

    const result = await lab.call('instance:create', { ...ct, template: 'Web server' });

    const config = lab.sim.state.instances.get(result.vmid)?.config;
    expect(config).toMatchObject({ hostname: 'alice-ct2', onboot: 1, cores: 1, memory: 512 });
    expect(String(config?.net0)).toMatch(
      /^name=eth0,bridge=vmbr0,hwaddr=BC:24:11:[0-9A-F:]{8},ip=dhcp,type=veth$/,
    );
  });

  it('refuses a template whose unlimited NIC does not fit, item by item, sending nothing', async () => {
    await open();
    // A VM from the other template takes 25 MB/s, leaving 49.5 of the 200 MB/s.
    await lab.call('instance:create', { ...vm, template: 'Linux VM' });
    const createsBefore = creates(lab).length;
    const nextIdsBefore = lab.sim.requests.filter((r) => r.path === '/cluster/nextid').length;

    const error = await lab.fail('instance:create', { ...ct, template: 'Web server' });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'network',
        label: 'Network rate',
        unit: 'bytesPerSecond',
        limit: 200 * MiB,
        used: 150.5 * MiB,
        requested: 50 * MiB,
        shortfall: 0.5 * MiB,
      },
    ]);
    expect(creates(lab)).toHaveLength(createsBefore);
    expect(lab.sim.requests.filter((r) => r.path === '/cluster/nextid')).toHaveLength(
      nextIdsBefore,
    );
  });

  it('refuses a create over the core quota with the shortfall, sending no POST', async () => {
    await open();

    const error = await lab.fail('instance:create', { ...vm, cores: 10 });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toMatch(/Cores: asks for 10, 9 left of 16 \(1 short\)/);
    expect(error.details?.shortfalls?.map((s) => [s.resource, s.shortfall])).toEqual([
      ['cores', 1],
    ]);
    expect(creates(lab)).toEqual([]);
  });

  it('refuses a vmid outside her range, one in use, and one used by a guest she cannot see', async () => {
    await open();

    const outside = await lab.fail('instance:create', { ...vm, vmid: 300 });
    const visible = await lab.fail('instance:create', { ...vm, vmid: 101 });
    const hidden = await lab.fail('instance:create', { ...vm, vmid: 110 });

    expect([outside.code, outside.details?.fields]).toEqual([
      'QUOTA_EXCEEDED',
      { vmid: 'outside 100-299' },
    ]);
    expect([visible.code, visible.details?.fields]).toEqual([
      'CONFLICT',
      { vmid: 'already in use' },
    ]);
    expect([hidden.code, hidden.details?.fields]).toEqual(['CONFLICT', { vmid: 'already in use' }]);
    expect(creates(lab)).toEqual([]);
    expect(
      lab.sim.requests.filter((r) => r.path === '/cluster/nextid').map((r) => r.params),
    ).toEqual([{ vmid: '110' }]);
  });

  it('skips ids taken by guests she cannot see when it picks one', async () => {
    await open();
    const bobs = lab.sim.state.instances.get(110);
    if (!bobs) throw new Error('the lab has no guest 110');
    lab.sim.state.instances.set(102, { ...bobs, vmid: 102, config: { ...bobs.config } });
    lab.sim.state.instances.set(103, { ...bobs, vmid: 103, config: { ...bobs.config } });

    const result = await lab.call('instance:create', vm);

    expect(result.vmid).toBe(104);
    expect(
      lab.sim.requests.filter((r) => r.path === '/cluster/nextid').map((r) => r.params),
    ).toEqual([{ vmid: '102' }, { vmid: '103' }, { vmid: '104' }]);
  });

  it('gives two creates sent at once two different ids', async () => {
    await open();

    const [a, b] = await Promise.all([
      lab.call('instance:create', { ...vm, name: 'first' }),
      lab.call('instance:create', { ...vm, name: 'second' }),
    ]);

    expect([a.vmid, b.vmid].sort()).toEqual([102, 103]);
    expect(lab.sim.state.instances.get(102)?.pool).toBe('alice');
    expect(lab.sim.state.instances.get(103)?.pool).toBe('alice');
  });

  it('lets only one of two creates sent at once take the last cores', async () => {
    await open();

    const results = await Promise.all([
      lab.core.invoke('instance:create', { ...vm, cores: 5 }),
      lab.core.invoke('instance:create', { ...vm, cores: 5 }),
    ]);

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.flatMap((r) => (r.ok ? [] : [r.error.code]))).toEqual(['QUOTA_EXCEEDED']);
    expect(creates(lab)).toHaveLength(1);
  });

  it('refuses a node the policy does not allow', async () => {
    await open(demoPolicyWith((alice) => (alice.nodes = ['pve1'])));

    const error = await lab.fail('instance:create', { ...ct, node: 'pve2' });

    expect([error.code, error.details?.fields]).toEqual([
      'QUOTA_EXCEEDED',
      { node: 'not one of your nodes' },
    ]);
    expect(creates(lab)).toEqual([]);
  });

  it('refuses a CPU type the cpuModels list does not allow', async () => {
    await open(demoPolicyWith((alice) => (alice.cpuModels = [{ match: 'x86-64-v2*', max: 4 }])));

    const error = await lab.fail('instance:create', { ...vm, cpuType: 'host' });
    const allowed = await lab.call('instance:create', { ...vm, cpuType: 'x86-64-v2-AES' });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls?.map((s) => [s.resource, s.limit, s.requested])).toEqual([
      ['cpuModel:unlisted:host', 0, 1],
    ]);
    expect(creates(lab)).toHaveLength(1);
    expect(lab.sim.state.instances.get(allowed.vmid)?.config.cpu).toBe('x86-64-v2-AES');
  });

  it('refuses an ISO and a container template the allow lists do not name', async () => {
    await open(undefined, 1);

    const iso = await lab.fail('instance:create', {
      ...vm,
      name: 'bob-vm',
      memoryMiB: 1024,
      iso: ubuntuIso,
    });
    const template = await lab.fail('instance:create', {
      ...ct,
      name: 'bob-ct',
      ostemplate: 'local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
    });

    expect([iso.code, iso.details?.fields]).toEqual([
      'QUOTA_EXCEEDED',
      { iso: 'not allowed by the quota policy' },
    ]);
    expect([template.code, template.details?.fields]).toEqual([
      'QUOTA_EXCEEDED',
      { ostemplate: 'not allowed by the quota policy' },
    ]);
    expect(creates(lab)).toEqual([]);
  });

  it('refuses an allowed ISO that the node does not list', async () => {
    await open();

    const error = await lab.fail('instance:create', { ...vm, iso: 'local:iso/not-there.iso' });

    expect([error.code, error.details?.fields]).toEqual([
      'NOT_FOUND',
      { iso: 'not listed on pve1' },
    ]);
    expect(creates(lab)).toEqual([]);
  });

  it.each([
    ['an ISO', { ...vm, iso: debianIso }, 'iso'],
    ['a container template', { ...ct, ostemplate: debianTemplate }, 'vztmpl'],
  ])('checks %s with one listing of its storage, of that content only', async (_, input, kind) => {
    await open();

    await lab.call('instance:create', input);

    const path = `/nodes/${input.node}/storage/local/content`;
    expect(mediaReads(lab)).toEqual([{ method: 'GET', path, params: { content: kind } }]);
  });

  it.each([
    ['disabled', (lab: Lab) => Object.assign(storage(lab, 'local'), { disabled: true })],
    ['not online', (lab: Lab) => Object.assign(storage(lab, 'local'), { online: false })],
    [
      'not readable to her',
      (lab: Lab) => {
        lab.sim.state.acl = lab.sim.state.acl.filter((entry) => entry.path !== '/storage/local');
      },
    ],
  ])('refuses an ISO on a storage that is %s as not listed', async (_, arrange) => {
    await open();
    arrange(lab);

    const error = await lab.fail('instance:create', { ...vm, iso: debianIso });

    expect([error.code, error.details?.fields]).toEqual([
      'NOT_FOUND',
      { iso: 'not listed on pve1' },
    ]);
    expect(creates(lab)).toEqual([]);
  });

  it('refuses an ISO on a storage that is missing or holds no ISOs as not listed', async () => {
    await open(demoPolicyWith((alice) => (alice.isoImages = [{ match: '*' }])));

    const missing = await lab.fail('instance:create', { ...vm, iso: 'nfs:iso/debian.iso' });
    const noIsos = await lab.fail('instance:create', { ...vm, iso: 'local-lvm:iso/debian.iso' });

    expect([missing.code, missing.details?.fields]).toEqual([
      'NOT_FOUND',
      { iso: 'not listed on pve1' },
    ]);
    expect([noIsos.code, noIsos.details?.fields]).toEqual([
      'NOT_FOUND',
      { iso: 'not listed on pve1' },
    ]);
    expect(creates(lab)).toEqual([]);
  });

  it('reports a listing the cluster does not answer as a connection failure, not as not listed', async () => {
    await open();
    lab.sim.nodes[0]!.dropRequests = ({ path }) => path.endsWith('/storage/local/content');

    const error = await lab.fail('instance:create', { ...vm, iso: debianIso });

    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(creates(lab)).toEqual([]);
  });

  it.each([
    ['a name with a semicolon', { ...vm, name: 'web;reboot' }, 'name'],
    ['a name with a comma option', { ...vm, name: 'web,pool=bob' }, 'name'],
    ['a name starting with a hyphen', { ...vm, name: '-web' }, 'name'],
    ['a vmid as a string', { ...vm, vmid: '102' }, 'vmid'],
    ['cores that are not a number', { ...vm, cores: Number.NaN }, 'cores'],
    ['a negative disk size', { ...vm, disk: { ...vm.disk, sizeGiB: -4 } }, 'disk.sizeGiB'],
    [
      'a storage id with a path',
      { ...vm, disk: { ...vm.disk, storage: '../etc' } },
      'disk.storage',
    ],
    ['an ISO with an extra option', { ...vm, iso: `${debianIso},media=disk` }, 'iso'],
    ['an ISO path leaving its folder', { ...vm, iso: 'local:iso/../../etc/passwd.iso' }, 'iso'],
    [
      'a template path leaving its folder',
      { ...ct, ostemplate: 'local:vztmpl/../x.tar.gz' },
      'ostemplate',
    ],
    ['a short password', { ...ct, password: 'abc' }, 'password'],
    ['a password with a newline', { ...ct, password: 'abcdef\nroot' }, 'password'],
    ['a pool with a space', { ...vm, pool: 'alice bob' }, 'pool'],
    ['a swap on a VM', { ...vm, swapMiB: 256 }, 'input'],
  ])('refuses %s as INVALID_INPUT and sends nothing', async (_what, input, field) => {
    await open();
    const before = lab.sim.requests.length;

    const error = await lab.fail('instance:create', input);

    expect(error.code).toBe('INVALID_INPUT');
    expect(Object.keys(error.details?.fields ?? {})).toContain(field);
    expect(lab.sim.requests.length).toBe(before);
  });

  it('releases the reservation when the create task fails', async () => {
    await open();
    lab.sim.faults.failNextTask = "unable to create VM 102 - storage 'local-lvm' is full";

    const failed = await lab.fail('instance:create', { ...vm, cores: 9 });
    const retried = await lab.call('instance:create', { ...vm, cores: 9 });

    expect(failed.code).toBe('TASK_FAILED');
    expect(failed.message).toMatch(/storage 'local-lvm' is full/);
    expect(retried.vmid).toBe(102);
    expect(creates(lab)).toHaveLength(2);
  });
});

describe('listing installation media', () => {
  let lab: Lab;

  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it("lists the node's ISOs and templates the allow lists name, with their labels", async () => {
    lab = await startLab();
    await lab.signIn();

    const isos = await lab.call('storage:media', { node: 'pve2', content: 'iso' });
    const templates = await lab.call('storage:media', { node: 'pve1', content: 'vztmpl' });

    expect(isos).toEqual([
      {
        volid: debianIso,
        storage: 'local',
        sizeBytes: 661_651_456,
        name: 'debian-12.7.0-amd64-netinst.iso',
        label: 'Any installer on local',
      },
      {
        volid: ubuntuIso,
        storage: 'local',
        sizeBytes: 2_774_532_096,
        name: 'ubuntu-24.04.1-live-server-amd64.iso',
        label: 'Any installer on local',
      },
    ]);
    expect(templates.map((t) => [t.volid, t.label])).toEqual([
      [debianTemplate, 'Debian 12'],
      ['local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst', 'Ubuntu 24.04'],
    ]);
    expect(lab.sim.requests.some((r) => r.path === '/nodes/pve2/storage')).toBe(true);
  });

  it("filters by bob's narrower allow lists", async () => {
    lab = await startLab();
    await lab.signIn(1);

    const isos = await lab.call('storage:media', { node: 'pve1', content: 'iso' });
    const templates = await lab.call('storage:media', { node: 'pve1', content: 'vztmpl' });

    expect(isos.map((i) => i.volid)).toEqual([debianIso]);
    expect(templates.map((t) => t.volid)).toEqual([debianTemplate]);
  });

  it('refuses a node the policy does not allow and a hostile node name', async () => {
    lab = await startLab({}, { policy: demoPolicyWith((alice) => (alice.nodes = ['pve1'])) });
    await lab.signIn();

    const notAllowed = await lab.fail('storage:media', { node: 'pve2', content: 'iso' });
    const hostile = await lab.fail('storage:media', { node: 'pve1/../x', content: 'iso' });

    expect(notAllowed.code).toBe('QUOTA_EXCEEDED');
    expect(hostile.code).toBe('INVALID_INPUT');
  });

  it('gives the allow lists to the forms in quota:constraints', async () => {
    lab = await startLab();
    await lab.signIn(1);

    const constraints = await lab.call('quota:constraints');

    expect(constraints.isoImages).toEqual([
      { match: 'local:iso/debian-*', label: 'Debian installers' },
    ]);
    expect(constraints.containerTemplates).toEqual([
      { match: '/^local:vztmpl/debian-12-standard_.*\\.tar\\.zst$/', label: 'Debian 12 standard' },
    ]);
  });
});
