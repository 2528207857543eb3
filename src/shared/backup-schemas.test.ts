import { describe, expect, it } from 'vitest';
import {
  backupCountSchema,
  backupCreateInputSchema,
  backupNotesProblem,
  parseBackupVolid,
} from './backup-schemas';

describe('parseBackupVolid', () => {
  it('reads a VM archive with its storage, guest, time and format', () => {
    expect(parseBackupVolid('local:backup/vzdump-qemu-100-2026_12_03-10_00_00.vma.zst')).toEqual({
      storage: 'local',
      type: 'qemu',
      vmid: 100,
      stampMs: Date.UTC(2026, 11, 3, 10, 0, 0),
      format: 'vma.zst',
    });
  });

  it('reads an uncompressed container archive on a storage id with dots and dashes', () => {
    expect(
      parseBackupVolid('nfs-backup.2:backup/vzdump-lxc-999999999-2024_02_29-23_59_59.tar'),
    ).toEqual({
      storage: 'nfs-backup.2',
      type: 'lxc',
      vmid: 999_999_999,
      stampMs: Date.UTC(2024, 1, 29, 23, 59, 59),
      format: 'tar',
    });
  });

  it.each([
    ['a path that climbs out', 'local:backup/../vzdump-qemu-100-2026_12_03-10_00_00.vma.zst'],
    ['a path below backup/', 'local:backup/x/vzdump-qemu-100-2026_12_03-10_00_00.vma.zst'],
    ['an added option', 'local:backup/vzdump-qemu-100-2026_12_03-10_00_00.vma.zst,size=1'],
    ['a trailing newline', 'local:backup/vzdump-qemu-100-2026_12_03-10_00_00.vma.zst\n'],
    ['a VM with a tar archive', 'local:backup/vzdump-qemu-100-2026_12_03-10_00_00.tar.zst'],
    ['a container with a vma archive', 'local:backup/vzdump-lxc-200-2026_12_03-10_00_00.vma'],
    ['an upper-case type', 'local:backup/vzdump-QEMU-100-2026_12_03-10_00_00.vma'],
    ['a vmid below 100', 'local:backup/vzdump-qemu-99-2026_12_03-10_00_00.vma'],
    ['a vmid with a leading zero', 'local:backup/vzdump-qemu-0100-2026_12_03-10_00_00.vma'],
    ['the 30th of February', 'local:backup/vzdump-qemu-100-2026_02_30-10_00_00.vma'],
    ['hour 24', 'local:backup/vzdump-qemu-100-2026_12_03-24_00_00.vma'],
    ['an unknown compression', 'local:backup/vzdump-qemu-100-2026_12_03-10_00_00.vma.xz'],
    ['no storage', 'backup/vzdump-qemu-100-2026_12_03-10_00_00.vma'],
    ['a disk image', 'local-lvm:vm-100-disk-0'],
    [
      'a storage id over 64 characters',
      `${'a'.repeat(65)}:backup/vzdump-qemu-100-2026_12_03-10_00_00.vma`,
    ],
    ['an empty string', ''],
  ])('refuses %s', (_name, volid) => {
    expect(parseBackupVolid(volid)).toBeNull();
  });
});

describe('backup notes', () => {
  it('allows plain text and the variables PVE expands', () => {
    expect(backupNotesProblem("Vor dem Upgrade: {{guestname}} (#{{vmid}}), Bob's try!")).toBeNull();
  });

  it.each([
    ['a newline', 'a\nb'],
    ['an escaped newline', 'a\\nb'],
    ['a brace', '{{guestname}'],
    ['an unknown variable', '{{password}}'],
    ['an ampersand and equals sign', 'x&storage=tank'],
    ['a percent escape', 'x%0A'],
    ['a tab', 'a\tb'],
  ])('refuses %s', (_name, notes) => {
    expect(backupNotesProblem(notes)).toMatch(/^notes may hold letters, digits/);
  });

  it('refuses more than 200 characters and trims what it keeps', () => {
    const base = { node: 'pve1', type: 'qemu', vmid: 100, storage: 'local', mode: 'snapshot' };

    expect(backupCreateInputSchema.safeParse({ ...base, notes: 'a'.repeat(201) }).success).toBe(
      false,
    );
    expect(backupCreateInputSchema.parse({ ...base, notes: '  nightly  ' }).notes).toBe('nightly');
  });
});

describe('backup count', () => {
  it('takes a count read, with or without a limit, and one that could not be read with its reason', () => {
    const counted = { used: 2, limit: 2, reason: null };
    const unlimited = { used: 5, limit: null, reason: null };
    const uncounted = { used: null, limit: 2, reason: 'backup storage nas is not active' };

    expect(backupCountSchema.parse(counted)).toEqual(counted);
    expect(backupCountSchema.parse(unlimited)).toEqual(unlimited);
    expect(backupCountSchema.parse(uncounted)).toEqual(uncounted);
  });

  it.each([
    ['a count without a reason', { used: null, limit: 2, reason: null }],
    ['a count with an empty reason', { used: null, limit: 2, reason: '' }],
    ['a count read and a reason it was not', { used: 1, limit: 2, reason: 'offline' }],
    ['a count with no reason field', { used: 1, limit: 2 }],
    ['a negative count', { used: -1, limit: 2, reason: null }],
    ['a fractional count', { used: 1.5, limit: 2, reason: null }],
    ['an unknown field', { used: 1, limit: 2, reason: null, extra: true }],
  ])('refuses %s', (_name, value) => {
    expect(backupCountSchema.safeParse(value).success).toBe(false);
  });
});
