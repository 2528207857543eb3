import { describe, expect, it } from 'vitest';
import { capabilities, effectivePrivileges, hasPrivileges, requirePrivileges } from './acl.js';
import { ApiError } from './api-error.js';
import { bundledScenarioPath, loadScenario, type AclEntry } from './index.js';
import { createState, type SimState } from './state.js';

function labWith(acl: AclEntry[], groups: string[] = []): SimState {
  const state = createState(loadScenario(bundledScenarioPath), Date.now());
  state.acl = acl;
  const alice = state.users.get('alice@pve');
  if (alice) alice.groups = groups;
  return state;
}

describe('permission evaluation', () => {
  it('grants pool roles on the guests of the pool', () => {
    const state = labWith([
      { path: '/pool/alice', ugid: 'alice@pve', roleid: 'PVEVMAdmin', propagate: true },
    ]);

    expect(hasPrivileges(state, 'alice@pve', '/vms/100', ['VM.Config.Disk'])).toBe(true);
    expect(hasPrivileges(state, 'alice@pve', '/vms/110', ['VM.Audit'])).toBe(false);
  });

  it('lets a propagated role reach deeper paths, and a non-propagated one only its own path', () => {
    const state = labWith([
      { path: '/vms', ugid: 'alice@pve', roleid: 'PVEAuditor', propagate: true },
      { path: '/storage', ugid: 'alice@pve', roleid: 'PVEDatastoreUser', propagate: false },
    ]);

    expect(hasPrivileges(state, 'alice@pve', '/vms/110', ['VM.Audit'])).toBe(true);
    expect(hasPrivileges(state, 'alice@pve', '/storage', ['Datastore.AllocateSpace'])).toBe(true);
    expect(hasPrivileges(state, 'alice@pve', '/storage/tank', ['Datastore.AllocateSpace'])).toBe(
      false,
    );
  });

  it('lets a deeper entry replace what was inherited, and NoAccess remove everything', () => {
    const state = labWith([
      { path: '/', ugid: 'alice@pve', roleid: 'PVEVMAdmin', propagate: true },
      { path: '/vms/101', ugid: 'alice@pve', roleid: 'PVEVMUser', propagate: true },
      { path: '/vms/110', ugid: 'alice@pve', roleid: 'NoAccess', propagate: true },
    ]);
    // Out of their pools, so only the /vms paths decide (a pool's grants would add to them).
    for (const vmid of [101, 110]) {
      const guest = state.instances.get(vmid);
      if (guest) guest.pool = null;
    }

    expect(hasPrivileges(state, 'alice@pve', '/vms/100', ['VM.Config.Disk'])).toBe(true);
    expect(hasPrivileges(state, 'alice@pve', '/vms/101', ['VM.Config.Disk'])).toBe(false);
    expect(hasPrivileges(state, 'alice@pve', '/vms/101', ['VM.PowerMgmt'])).toBe(true);
    expect(effectivePrivileges(state, 'alice@pve', '/vms/110').size).toBe(0);
  });

  it('uses group entries unless the user has an entry of their own at that level', () => {
    const state = labWith(
      [
        { path: '/storage/tank', ugid: 'lab-users', roleid: 'PVEDatastoreAdmin', propagate: true },
        { path: '/storage/local', ugid: 'lab-users', roleid: 'PVEDatastoreAdmin', propagate: true },
        { path: '/storage/local', ugid: 'alice@pve', roleid: 'PVEDatastoreUser', propagate: true },
      ],
      ['lab-users'],
    );

    expect(hasPrivileges(state, 'alice@pve', '/storage/tank', ['Datastore.Allocate'])).toBe(true);
    expect(hasPrivileges(state, 'alice@pve', '/storage/local', ['Datastore.Allocate'])).toBe(false);
    expect(hasPrivileges(state, 'alice@pve', '/storage/local', ['Datastore.AllocateSpace'])).toBe(
      true,
    );
  });

  it('names the first missing privilege, or every alternative in any-mode', () => {
    const state = labWith([
      { path: '/pool/shared', ugid: 'alice@pve', roleid: 'PVEAuditor', propagate: true },
    ]);

    const all = (): void =>
      requirePrivileges(state, 'alice@pve', '/vms/300', ['VM.Audit', 'VM.Config.Disk']);
    const any = (): void =>
      requirePrivileges(
        state,
        'alice@pve',
        '/storage/tank',
        ['Datastore.Audit', 'Datastore.AllocateSpace'],
        'any',
      );

    expect(all).toThrow(new ApiError(403, 'Permission check failed (/vms/300, VM.Config.Disk)'));
    expect(any).toThrow(
      'Permission check failed (/storage/tank, Datastore.Audit|Datastore.AllocateSpace)',
    );
  });

  it('adds what the pool grants to what the guest path grants', () => {
    const state = labWith([
      { path: '/pool/alice', ugid: 'alice@pve', roleid: 'PVEVMUser', propagate: true },
      { path: '/vms/100', ugid: 'alice@pve', roleid: 'PVEAuditor', propagate: true },
    ]);

    const privileges = effectivePrivileges(state, 'alice@pve', '/vms/100');

    expect(privileges.has('VM.PowerMgmt')).toBe(true);
    expect(privileges.has('Sys.Audit')).toBe(true);
    expect(privileges.has('VM.Config.Disk')).toBe(false);
  });

  it('gives root@pam every privilege everywhere', () => {
    const state = labWith([]);

    expect(hasPrivileges(state, 'root@pam', '/nodes/pve1', ['Sys.Modify', 'Sys.Audit'])).toBe(true);
  });

  it('summarises the lab user alice into the cap of a login reply', () => {
    const state = createState(loadScenario(bundledScenarioPath), Date.now());

    const cap = capabilities(state, 'alice@pve');

    expect(Object.keys(cap.storage ?? {}).sort()).toEqual([
      'Datastore.AllocateSpace',
      'Datastore.Audit',
    ]);
    expect(cap.vms?.['VM.Allocate']).toBe(1);
    expect(cap.nodes).toEqual({});
    expect(cap.dc).toEqual({});
  });
});
