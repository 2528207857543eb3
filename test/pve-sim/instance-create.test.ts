import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import type { Sim } from './index.js';
import { call, insecureAgent, login, startLab, waitForTask, type Session } from './test-client.js';

const template = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

describe('guest create and next id', () => {
  let sim: Sim;
  let agent: Agent;
  let alice: Session;

  beforeEach(async () => {
    sim = await startLab({ taskDurationMs: 40 });
    agent = insecureAgent();
    alice = await login(sim, agent, 'alice@pve');
  });

  afterEach(async () => {
    expect(sim.schemaViolations).toEqual([]);
    await sim.close();
    await agent.close();
  });

  it('answers the lowest free id, confirms a free one and refuses a taken one as PVE does', async () => {
    const next = await call(sim, agent, 'GET', '/cluster/nextid', { session: alice });
    const free = await call(sim, agent, 'GET', '/cluster/nextid', {
      session: alice,
      query: { vmid: '250' },
    });
    // Guest 110 is bob's; alice cannot see it, and PVE still reports it taken.
    const taken = await call(sim, agent, 'GET', '/cluster/nextid', {
      session: alice,
      query: { vmid: '110' },
    });

    expect(next.json?.data).toBe('102');
    expect(free.json?.data).toBe('250');
    expect(taken.status).toBe(400);
    expect(taken.json?.errors).toEqual({ vmid: 'VM 110 already exists' });
  });

  it('creates a VM in a pool as a task that allocates its disk and inserts the ISO', async () => {
    const reply = await call(sim, agent, 'POST', '/nodes/pve1/qemu', {
      session: alice,
      form: {
        vmid: '150',
        pool: 'alice',
        name: 'made',
        cores: '2',
        sockets: '1',
        memory: '2048',
        scsi0: 'local-lvm:8',
        ide2: 'local:iso/debian-12.7.0-amd64-netinst.iso,media=cdrom',
      },
    });
    const status = await waitForTask(sim, agent, alice, String(reply.json?.data));

    expect(String(reply.json?.data)).toMatch(/^UPID:pve1:[0-9A-F:]+:qmcreate:150:alice@pve:$/);
    expect(status.exitstatus).toBe('OK');
    expect(sim.state.instances.get(150)).toMatchObject({
      type: 'qemu',
      node: 'pve1',
      pool: 'alice',
      status: 'stopped',
      config: {
        name: 'made',
        cores: 2,
        sockets: 1,
        memory: '2048',
        scsi0: 'local-lvm:vm-150-disk-0,size=8G',
        ide2: 'local:iso/debian-12.7.0-amd64-netinst.iso,media=cdrom,size=631M',
      },
    });
  });

  it('refuses an id in use before starting a task', async () => {
    const tasksBefore = sim.state.tasks.size;

    const reply = await call(sim, agent, 'POST', '/nodes/pve2/lxc', {
      session: alice,
      form: { vmid: '110', pool: 'alice', ostemplate: template, rootfs: 'local-lvm:4' },
    });

    expect(reply.status).toBe(500);
    expect(reply.json?.message).toBe(
      "unable to create CT 110 - VM 110 already exists on node 'pve2'\n",
    );
    expect(sim.state.tasks.size).toBe(tasksBefore);
  });

  it('claims the id at once with a config locked for create, as PVE does', async () => {
    sim.faults.hangTasks = true;

    const reply = await call(sim, agent, 'POST', '/nodes/pve1/qemu', {
      session: alice,
      form: { vmid: '151', pool: 'alice', cores: '2', scsi0: 'local-lvm:8' },
    });
    const checked = await call(sim, agent, 'GET', '/cluster/nextid', {
      session: alice,
      query: { vmid: '151' },
    });
    const again = await call(sim, agent, 'POST', '/nodes/pve2/qemu', {
      session: alice,
      form: { vmid: '151', pool: 'alice', cores: '1' },
    });

    expect(reply.status).toBe(200);
    expect(sim.state.instances.get(151)).toMatchObject({
      type: 'qemu',
      node: 'pve1',
      name: 'VM 151',
      pool: null,
      config: { lock: 'create' },
    });
    expect(sim.state.instances.get(151)?.config).toEqual({ lock: 'create' });
    expect([checked.status, checked.json?.errors]).toEqual([
      400,
      { vmid: 'VM 151 already exists' },
    ]);
    expect([again.status, again.json?.message]).toEqual([
      500,
      "unable to create VM 151 - VM 151 already exists on node 'pve1'\n",
    ]);
  });

  it('removes the claimed config when the create task fails', async () => {
    sim.faults.failNextTask = 'simulated failure';

    const reply = await call(sim, agent, 'POST', '/nodes/pve1/qemu', {
      session: alice,
      form: { vmid: '152', pool: 'alice', scsi0: 'local-lvm:8' },
    });
    const claimed = sim.state.instances.get(152)?.config;
    const status = await waitForTask(sim, agent, alice, String(reply.json?.data));
    const free = await call(sim, agent, 'GET', '/cluster/nextid', {
      session: alice,
      query: { vmid: '152' },
    });

    expect(claimed).toEqual({ lock: 'create' });
    expect(status.exitstatus).toBe('simulated failure');
    expect(sim.state.instances.has(152)).toBe(false);
    expect(free.json?.data).toBe('152');
  });

  it('wants VM.Allocate on the pool, and refuses a pool the user holds nothing on', async () => {
    const reply = await call(sim, agent, 'POST', '/nodes/pve1/lxc', {
      session: alice,
      form: { vmid: '151', pool: 'bob', ostemplate: template, rootfs: 'local-lvm:4' },
    });
    const noPool = await call(sim, agent, 'POST', '/nodes/pve1/lxc', {
      session: alice,
      form: { vmid: '151', ostemplate: template, rootfs: 'local-lvm:4' },
    });

    expect(reply.status).toBe(403);
    expect(reply.json?.message).toBe('Permission check failed (/pool/bob, VM.Allocate)\n');
    expect(noPool.status).toBe(403);
    expect(noPool.json?.message).toBe('Permission check failed (/vms/151, VM.Allocate)\n');
  });

  it('wants read access to the template storage and Sys.Modify for a privileged container', async () => {
    const withLocal = [...sim.state.acl];
    sim.state.acl = withLocal.filter(
      (e) => !(e.ugid === 'alice@pve' && e.path === '/storage/local'),
    );
    const noTemplate = await call(sim, agent, 'POST', '/nodes/pve1/lxc', {
      session: alice,
      form: { vmid: '152', pool: 'alice', ostemplate: template, rootfs: 'local-lvm:4' },
    });
    sim.state.acl = withLocal;
    const privileged = await call(sim, agent, 'POST', '/nodes/pve1/lxc', {
      session: alice,
      form: {
        vmid: '152',
        pool: 'alice',
        ostemplate: template,
        rootfs: 'local-lvm:4',
        unprivileged: '0',
      },
    });

    expect(noTemplate.status).toBe(403);
    expect(noTemplate.json?.message).toBe(
      'Permission check failed (/storage/local, Datastore.AllocateSpace|Datastore.Audit)\n',
    );
    expect(privileged.status).toBe(403);
    expect(privileged.json?.message).toBe('Permission check failed (/, Sys.Modify)\n');
  });

  it('creates a container that never stores its root password', async () => {
    const reply = await call(sim, agent, 'POST', '/nodes/pve2/lxc', {
      session: alice,
      form: {
        vmid: '153',
        pool: 'alice',
        hostname: 'ct',
        ostemplate: template,
        rootfs: 'local-lvm:4',
        password: 'topsecret',
        net0: 'name=eth0,bridge=vmbr0,ip=dhcp',
      },
    });
    await waitForTask(sim, agent, alice, String(reply.json?.data));

    const guest = sim.state.instances.get(153);
    expect(guest?.config.rootfs).toBe('local-lvm:vm-153-disk-0,size=4G');
    expect(String(guest?.config.net0)).toMatch(/^name=eth0,bridge=vmbr0,hwaddr=BC:24:11:/);
    expect(JSON.stringify(guest)).not.toContain('topsecret');
    const create = sim.requests.find((r) => r.method === 'POST' && r.path === '/nodes/pve2/lxc');
    expect(create?.params.password).toBe('[redacted]');
  });

  it('fails the task and removes what it allocated when the storage is full', async () => {
    const storage = sim.state.storages.get('local-lvm');
    if (!storage) throw new Error('the lab has no local-lvm');
    storage.capacityBytes = 60 * 2 ** 30;

    const reply = await call(sim, agent, 'POST', '/nodes/pve1/qemu', {
      session: alice,
      form: { vmid: '154', pool: 'alice', scsi0: 'local-lvm:100' },
    });
    const status = await waitForTask(sim, agent, alice, String(reply.json?.data));

    expect(String(status.exitstatus)).toMatch(/^not enough free space on storage 'local-lvm'/);
    expect(sim.state.instances.has(154)).toBe(false);
    expect(storage.volumes.some((v) => v.vmid === 154)).toBe(false);
  });

  it('lists the storages of a node that hold a content type and that the user may use', async () => {
    const reply = await call(sim, agent, 'GET', '/nodes/pve1/storage', {
      session: alice,
      query: { content: 'iso' },
    });

    expect(reply.json?.data).toEqual([
      expect.objectContaining({ storage: 'local', type: 'dir', content: 'backup,iso,vztmpl' }),
    ]);
  });
});
