import { describe, expect, it } from 'vitest';
import { backupCreateChange } from './backup-change';

const ct = { node: 'pve1', type: 'lxc', vmid: 200 } as const;

describe('backupCreateChange', () => {
  it('describes a backup of the guest to the chosen storage, without its other details', () => {
    // The panel passes the guest's whole detail; the preview's input takes no other field.
    const detail = { ...ct, name: 'db', lock: null };

    expect(backupCreateChange(detail, { storage: 'local', mode: 'stop' })).toEqual({
      kind: 'backup:create',
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      storage: 'local',
      mode: 'stop',
    });
  });

  it('describes nothing until a storage is chosen, nor for a mode vzdump does not have', () => {
    expect(backupCreateChange(ct, { storage: '', mode: 'snapshot' })).toBeNull();
    expect(backupCreateChange(ct, { storage: 'local', mode: 'live' })).toBeNull();
  });
});
