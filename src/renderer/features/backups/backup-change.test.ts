import { describe, expect, it } from 'vitest';
import { backupCreateChange, pricedBackupsUsed } from './backup-change';

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

describe('pricedBackupsUsed', () => {
  const backups = {
    resource: 'backups',
    label: 'Backups',
    unit: 'count',
    limit: 3,
    used: 3,
    requested: 1,
    after: 4,
    remaining: -1,
    fits: false,
    reason: '3 in use + 1 = 4, over the limit of 3 by 1',
  } as const;

  it('reads the count the preview priced on, from a fitting or a refused preview', () => {
    const fits = { ...backups, used: 2, after: 3, remaining: 0, fits: true };

    expect(
      pricedBackupsUsed({ status: 'refused', preview: { approved: false, items: [backups] } }),
    ).toBe(3);
    expect(pricedBackupsUsed({ status: 'fits', preview: { approved: true, items: [fits] } })).toBe(
      2,
    );
  });

  it('has none while pricing, after a failure, or when the preview has no backups item', () => {
    expect(pricedBackupsUsed({ status: 'checking', last: null })).toBeNull();
    expect(
      pricedBackupsUsed({ status: 'error', error: new Error('down'), refusal: false }),
    ).toBeNull();
    expect(
      pricedBackupsUsed({ status: 'fits', preview: { approved: true, items: [] } }),
    ).toBeNull();
    expect(pricedBackupsUsed({ status: 'idle' })).toBeNull();
  });
});
