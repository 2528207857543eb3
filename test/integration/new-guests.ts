// The inputs of `instance:create` the integration tests start from, for alice in the bundled lab:
// a VM on pve1 and a container on pve2, each within her quota, on the first free id of her range.

/** A VM of 2 cores, 2 GiB memory and a 16 GiB disk on local-lvm. */
export const newVm = {
  type: 'qemu',
  node: 'pve1',
  name: 'alice-new',
  cores: 2,
  memoryMiB: 2048,
  disk: { storage: 'local-lvm', bus: 'scsi', sizeGiB: 16 },
} as const;

/** A container of 1 core, 512 MiB memory, 256 MiB swap and a 4 GiB root disk on local-lvm. */
export const newCt = {
  type: 'lxc',
  node: 'pve2',
  name: 'alice-ct2',
  cores: 1,
  memoryMiB: 512,
  swapMiB: 256,
  ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
  rootfs: { storage: 'local-lvm', sizeGiB: 4 },
} as const;
