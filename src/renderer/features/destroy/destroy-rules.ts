import type { Disk } from '../../../shared/contract';

/** Why a guest cannot be destroyed now, or null when it can. */
export function destroyBlockedReason(status: string, lock: string | null): string | null {
  if (lock !== null) return `Locked (${lock})`;
  // Templates are stopped guests too; PVE destroys them the same way.
  if (status === 'stopped' || status === 'template') return null;
  return 'Stop the guest first';
}

/** The config entries whose volumes are destroyed with the guest. */
export function destroyedDisks(disks: readonly Disk[]): Disk[] {
  return disks.filter((disk) => disk.kind === 'disk' || disk.kind === 'unused');
}

/** The config entries that point at data the destroy leaves alone (CD images, host paths). */
export function keptDisks(disks: readonly Disk[]): Disk[] {
  return disks.filter((disk) => disk.kind === 'cdrom' || disk.kind === 'bind');
}

/** Whether what the user typed is exactly the guest's vmid. */
export function confirmsVmid(typed: string, vmid: number): boolean {
  return typed.trim() === String(vmid);
}
