import { describe, expect, it } from 'vitest';
import {
  backupBlockedReason,
  backupCountText,
  backupDateText,
  backupFileName,
} from './backup-labels';

describe('backup labels', () => {
  it('shows the date in the given format and time zone, and unknown for no time', () => {
    const utc = new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    });

    expect(backupDateText(Date.UTC(2026, 11, 3, 10, 5), utc)).toBe('3 Dec 2026, 10:05');
    expect(backupDateText(0, utc)).toBe('unknown');
    expect(backupDateText(Number.NaN, utc)).toBe('unknown');
  });

  it('shows the file name of a volume id', () => {
    expect(backupFileName('local:backup/vzdump-qemu-100-2026_12_03-10_00_00.vma.zst')).toBe(
      'vzdump-qemu-100-2026_12_03-10_00_00.vma.zst',
    );
  });

  it('says how many backups are kept and left', () => {
    expect(backupCountText({ used: 2, limit: 3 })).toBe(
      '2 of 3 backups kept across your guests; 1 left.',
    );
    expect(backupCountText({ used: 1, limit: null })).toBe(
      '1 backup kept across your guests; no limit.',
    );
  });

  it('holds "Back up now" back only when the count is used up', () => {
    expect(backupBlockedReason({ used: 2, limit: 3 })).toBeNull();
    expect(backupBlockedReason({ used: 3, limit: 3 })).toBe(
      'You keep 3 of 3 backups; delete one to make room.',
    );
    expect(backupBlockedReason({ used: 0, limit: 0 })).toBe(
      'The quota policy gives you no backups.',
    );
    expect(backupBlockedReason({ used: 40, limit: null })).toBeNull();
  });
});
