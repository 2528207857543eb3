import type { Disk } from '../../../shared/contract';

/** How a volume kind reads in the disks table. */
export function diskKindLabel(kind: Disk['kind']): string {
  switch (kind) {
    case 'disk':
      return 'Disk';
    case 'cdrom':
      return 'CD/DVD';
    case 'unused':
      return 'Unused';
    case 'bind':
      return 'Bind mount';
    case 'empty':
      return 'Empty';
  }
}

/** A disk ProxDesk can grow (main says so) with a known size. */
export type ResizableDisk = Disk & { kind: 'disk'; storage: string; sizeBytes: number };

/** Whether a disk can be offered for resizing. */
export function isResizable(disk: Disk): disk is ResizableDisk {
  return disk.resizable && disk.kind === 'disk' && disk.storage !== null && disk.sizeBytes !== null;
}
