import { describe, expect, it } from 'vitest';
import {
  backupBlockedReason,
  backupCountText,
  backupDateText,
  backupFileName,
} from './backup-labels';
import { taskTimeLabel } from '../tasks/task-labels';

describe('backup labels', () => {
  it('shows the date as the task table shows times, and unknown for no time', () => {
    const madeAtMs = Date.UTC(2026, 11, 3, 20, 22, 54);

    expect(backupDateText(madeAtMs)).toBe(taskTimeLabel(madeAtMs / 1000));
    expect(backupDateText(madeAtMs)).toBe(new Date(madeAtMs).toLocaleString());
    expect(backupDateText(0)).toBe('unknown');
    expect(backupDateText(Number.NaN)).toBe('unknown');
  });

  it('shows the file name of a volume id', () => {
    expect(backupFileName('local:backup/vzdump-qemu-100-2026_12_03-10_00_00.vma.zst')).toBe(
      'vzdump-qemu-100-2026_12_03-10_00_00.vma.zst',
    );
  });

  it('says how many backups are kept and left', () => {
    expect(backupCountText({ used: 2, limit: 3, reason: null })).toBe(
      '2 of 3 backups kept across your guests; 1 left.',
    );
    expect(backupCountText({ used: 1, limit: null, reason: null })).toBe(
      '1 backup kept across your guests; no limit.',
    );
  });

  it('holds "Back up now" back only when the count is used up', () => {
    expect(backupBlockedReason({ used: 2, limit: 3, reason: null })).toBeNull();
    expect(backupBlockedReason({ used: 3, limit: 3, reason: null })).toBe(
      'You keep 3 of 3 backups; delete one to make room.',
    );
    expect(backupBlockedReason({ used: 0, limit: 0, reason: null })).toBe(
      'The quota policy gives you no backups.',
    );
    expect(backupBlockedReason({ used: 40, limit: null, reason: null })).toBeNull();
  });

  it('says the count cannot be read, and holds "Back up now" back only under a limit', () => {
    const reason = 'backup storage nas is not active, so the backups there cannot be read';

    expect(backupCountText({ used: null, limit: 2, reason })).toBe(
      `Backups: cannot be counted — ${reason}.`,
    );
    expect(backupBlockedReason({ used: null, limit: 2, reason })).toBe(
      'Your backups cannot be counted against your limit of 2, so none can be made now.',
    );
    expect(backupBlockedReason({ used: null, limit: null, reason })).toBeNull();
  });
});
