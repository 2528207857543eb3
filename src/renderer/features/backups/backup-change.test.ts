import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api';
import { backupCreateChange, previewHoldsBack } from './backup-change';

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

describe('previewHoldsBack', () => {
  const item = {
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

  it('holds back a backup that does not fit, or whose count cannot be read', () => {
    const uncounted = new ApiError('QUOTA_UNDEFINED', 'backup storage tank is not active');

    expect(
      previewHoldsBack({ status: 'refused', preview: { approved: false, items: [item] } }),
    ).toBe(true);
    expect(previewHoldsBack({ status: 'error', error: uncounted, refusal: false })).toBe(true);
  });

  it('lets a backup that fits through, and one still being priced or not priced for a failure', () => {
    const fits = { ...item, used: 2, after: 3, remaining: 0, fits: true };
    const down = new ApiError('CLUSTER_UNREACHABLE', 'no node answers');

    expect(previewHoldsBack({ status: 'fits', preview: { approved: true, items: [fits] } })).toBe(
      false,
    );
    expect(previewHoldsBack({ status: 'checking', last: null })).toBe(false);
    expect(previewHoldsBack({ status: 'error', error: down, refusal: false })).toBe(false);
    expect(previewHoldsBack({ status: 'idle' })).toBe(false);
  });
});
