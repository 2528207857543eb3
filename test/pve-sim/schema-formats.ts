import { isIPv4, isIPv6 } from 'node:net';

// Named string formats of the PVE schema (`pve-node`, `pve-vmid`, `mac-addr`, ...) and the
// translation of the schema's Perl regular expressions into JavaScript ones.

const storageIdPattern = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
const volumeIdPattern = /^[a-z][a-z0-9\-_.]*[a-z0-9]:.+$/i;
const dnsNamePattern =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const storageContent = [
  'images',
  'rootdir',
  'vztmpl',
  'iso',
  'backup',
  'snippets',
  'import',
  'none',
];

function isCidr(value: string, check: (address: string) => boolean, maxPrefix: number): boolean {
  const [address, prefix, extra] = value.split('/');
  if (address === undefined || prefix === undefined || extra !== undefined) return false;
  return check(address) && /^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix;
}

const isIp = (value: string): boolean => isIPv4(value) || isIPv6(value);

type FormatCheck = (value: string) => string | null;

function byPattern(pattern: RegExp, message: string): FormatCheck {
  return (value) => (pattern.test(value) ? null : message);
}

const formats: Record<string, FormatCheck> = {
  'pve-node': byPattern(
    /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    'value does not look like a valid node name',
  ),
  'pve-vmid': byPattern(/^[1-9][0-9]{2,8}$/, 'value does not look like a valid VM ID'),
  'pve-storage-id': (value) =>
    storageIdPattern.test(value) ? null : `storage ID '${value}' contains illegal characters`,
  'pve-configid': (value) =>
    /^[a-z][a-z0-9_-]+$/i.test(value) ? null : `invalid configuration ID '${value}'`,
  'pve-poolid': (value) =>
    /^[A-Za-z0-9.\-_/]+$/.test(value) ? null : `invalid pool ID '${value}'`,
  'pve-realm': byPattern(/^[A-Za-z][A-Za-z0-9.\-_]+$/, 'value does not look like a valid realm'),
  'pve-userid': (value) =>
    value.length <= 64 && /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/.test(value)
      ? null
      : 'value does not look like a valid user name',
  'pve-groupid': byPattern(/^[A-Za-z0-9.\-_]+$/, 'invalid group name'),
  'pve-roleid': byPattern(/^[A-Za-z0-9.\-_]+$/, 'invalid role name'),
  'pve-priv': byPattern(/^[A-Za-z]+(\.[A-Za-z]+)+$/, 'invalid privilege name'),
  'mac-addr': byPattern(
    /^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$/i,
    'value does not look like a valid unicast MAC address',
  ),
  'pve-bridge-id': byPattern(/^[-_.\w]+$/, 'invalid bridge ID'),
  'pve-iface': byPattern(
    /^[a-zA-Z][a-zA-Z0-9_]{1,20}([:.]\d+)?$/,
    'invalid network interface name',
  ),
  ip: (value) => (isIp(value) ? null : `value '${value}' is not a valid IP address`),
  ipv4: (value) => (isIPv4(value) ? null : `value '${value}' is not a valid IPv4 address`),
  ipv6: (value) => (isIPv6(value) ? null : `value '${value}' is not a valid IPv6 address`),
  CIDR: (value) =>
    isCidr(value, isIPv4, 32) || isCidr(value, isIPv6, 128) ? null : `invalid CIDR '${value}'`,
  CIDRv4: (value) => (isCidr(value, isIPv4, 32) ? null : `invalid IPv4 CIDR '${value}'`),
  CIDRv6: (value) => (isCidr(value, isIPv6, 128) ? null : `invalid IPv6 CIDR '${value}'`),
  'dns-name': byPattern(dnsNamePattern, 'value does not look like a valid DNS name'),
  address: (value) =>
    isIp(value) || dnsNamePattern.test(value) ? null : 'value does not look like a valid address',
  'pve-storage-content': (value) =>
    storageContent.includes(value) ? null : `invalid content type '${value}'`,
  'pve-volume-id': (value) =>
    volumeIdPattern.test(value) ? null : `unable to parse volume ID '${value}'`,
  'pve-volume-id-or-qm-path': (value) =>
    value === 'none' || value === 'cdrom' || value.startsWith('/') || volumeIdPattern.test(value)
      ? null
      : `unable to parse volume ID '${value}'`,
  'pve-volume-id-or-absolute-path': (value) =>
    value.startsWith('/') || volumeIdPattern.test(value)
      ? null
      : `unable to parse volume ID '${value}'`,
  'disk-size': byPattern(/^\d+(\.\d+)?[KMGT]?$/, 'unable to parse size'),
  urlencoded: byPattern(/^[-%a-zA-Z0-9_.!~*'()]*$/, 'invalid urlencoded string'),
  'pve-tag': byPattern(/^[a-z0-9_][a-z0-9_\-+.]*$/i, 'invalid tag'),
  'email-opt': byPattern(/^([^\s@]+@[^\s@]+)?$/, 'value does not look like a valid email address'),
  email: byPattern(/^[^\s@]+@[^\s@]+$/, 'value does not look like a valid email address'),
};

/** Named formats this checker verifies; any other named format is accepted unchecked. */
export const checkedFormats: readonly string[] = Object.keys(formats).sort();

/**
 * Checks a value against a named format; null when it passes or the format is not one this
 * checker knows. A `<format>-list` is a list split on commas, semicolons, spaces or NULs.
 */
export function checkNamedFormat(format: string, value: string): string | null {
  const direct = formats[format];
  if (direct) return direct(value);
  const base = format.endsWith('-list') ? formats[format.slice(0, -5)] : undefined;
  if (!base) return null;
  for (const item of value.split(/[\s,;\0]+/).filter((part) => part !== '')) {
    const error = base(item);
    if (error) return error;
  }
  return null;
}

/** Whether a named format is one this checker verifies (directly or as a list). */
export function isCheckedFormat(format: string): boolean {
  return format in formats || (format.endsWith('-list') && format.slice(0, -5) in formats);
}

const patternCache = new Map<string, RegExp | null>();

/**
 * Translates a schema pattern (Perl syntax) into an anchored RegExp, as PVE anchors every
 * pattern with `^...$`. Perl's `(?^:...)` groups become plain groups, a `(?^i:...)` group makes
 * the whole pattern case-insensitive (JavaScript has no inline flags), and Perl's `{,n}` means
 * `{0,n}`. Returns null for a pattern JavaScript cannot compile.
 */
export function perlPatternToRegExp(pattern: string): RegExp | null {
  if (patternCache.has(pattern)) return patternCache.get(pattern) ?? null;
  let flags = '';
  const translated = pattern
    .replace(/\(\?\^([a-z]*):/g, (_whole, modifiers: string) => {
      if (modifiers.includes('i')) flags = 'i';
      return '(?:';
    })
    .replace(/\{,(\d+)\}/g, '{0,$1}');
  let regex: RegExp | null;
  try {
    regex = new RegExp(`^(?:${translated})$`, flags);
  } catch {
    regex = null;
  }
  patternCache.set(pattern, regex);
  return regex;
}
