import { z } from 'zod';

// Identifier formats follow PVE's own (PVE::JSONSchema): anything that reaches a URL path or a
// property string is checked against them first, so a value can never add a path segment, a query
// string or an extra option.

/** A PVE node name (format `pve-node`). */
export const nodeNameSchema = z
  .string()
  .max(63)
  .regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'not a valid PVE node name');

/** A guest id (format `pve-vmid`: 100 to 999999999). */
export const vmidSchema = z.number().int().min(100).max(999_999_999);

/** The two kinds of PVE guests. */
export const instanceTypeSchema = z.enum(['qemu', 'lxc']);

/** A PVE storage id (format `pve-storage-id`). */
export const storageIdSchema = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i, 'not a valid PVE storage id');

const qemuDiskKey =
  /^(ide[0-3]|sata[0-5]|scsi([0-9]|[12][0-9]|30)|virtio([0-9]|1[0-5])|efidisk0|tpmstate0)$/;
const lxcDiskKey = /^(rootfs|mp([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5]))$/;

/** A config key that holds a disk or mount point (qemu buses, efidisk, tpmstate, lxc rootfs, mpN). */
export const diskKeySchema = z
  .string()
  .refine((key) => qemuDiskKey.test(key) || lxcDiskKey.test(key), 'not a disk key');

/** Whether a config key names a disk slot of the given guest type. */
export function isDiskKey(type: 'qemu' | 'lxc', key: string): boolean {
  return type === 'qemu' ? qemuDiskKey.test(key) : lxcDiskKey.test(key);
}

/** The address of a PVE node's API: `https://host[:port]`, nothing else. */
export const clusterUrlSchema = z
  .string()
  .max(300)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a URL; expected https://host:8006' });
      return z.NEVER;
    }
    const extra = url.username || url.password || url.search || url.hash;
    if (url.protocol !== 'https:' || extra || (url.pathname !== '/' && url.pathname !== '')) {
      ctx.addIssue({ code: 'custom', message: 'expected https://host:8006 with no path or query' });
      return z.NEVER;
    }
    return url.origin;
  });

/** A user name without the realm, as PVE accepts it in `/access/ticket`. */
export const usernameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\s:/@!]+$/, 'a user name has no spaces, colons, slashes, @ or !');

/** A realm id (format `pve-realm`). */
export const realmSchema = z
  .string()
  .max(32)
  .regex(/^[A-Za-z][A-Za-z0-9.\-_]+$/, 'not a valid realm');

/** A SHA-256 certificate fingerprint as PVE shows it: colon-separated upper-case hex. */
export const fingerprintSchema = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .pipe(z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'not a SHA-256 fingerprint'));

/** An API token id as PVE writes it: `user@realm!tokenid` (token part: format `pve-tokenid`). */
export const apiTokenIdSchema = z
  .string()
  .trim()
  .max(160)
  .regex(
    /^[^\s:/@!]{1,64}@[A-Za-z][A-Za-z0-9.\-_]{1,31}![A-Za-z][A-Za-z0-9.\-_]{1,63}$/,
    'expected user@realm!tokenid',
  );

/** An API token secret: PVE issues a UUID. */
export const apiTokenSecretSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a UUID');
