import { isIP } from 'node:net';

// One node can be written several ways: `https://PVE1:443`, `https://pve1`, or an IPv4 address
// written as an IPv4-mapped IPv6 one (`[::ffff:127.0.0.1]`). Addresses are compared, and stored,
// in one canonical spelling so the same node is never listed twice.

const mappedIpv4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/** An IP address as compared: an IPv4-mapped IPv6 address becomes the IPv4 address it maps. */
export function canonicalIp(ip: string): string {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (isIP(bare) !== 6) return bare.toLowerCase();
  // The URL parser already writes `::ffff:1.2.3.4` as `::ffff:102:304`; parse either form.
  const lower = new URL(`https://[${bare}]`).hostname.slice(1, -1);
  const mapped = mappedIpv4.exec(lower);
  if (!mapped) return lower;
  const high = Number.parseInt(mapped[1] ?? '0', 16);
  const low = Number.parseInt(mapped[2] ?? '0', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * The canonical spelling of a node address: lower-case host, an IPv4-mapped IPv6 host as its IPv4
 * address, and no port when it is the default (443).
 */
export function canonicalNodeUrl(url: string): string {
  const parsed = new URL(url);
  const ip = canonicalIp(parsed.hostname);
  const host = isIP(ip) === 6 ? `[${ip}]` : isIP(ip) === 4 ? ip : parsed.hostname.toLowerCase();
  return `https://${host}${parsed.port ? `:${parsed.port}` : ''}`;
}

/**
 * The key two addresses of the same node share. `localhost` names this machine's loopback, as
 * 127.0.0.1 does, so a node reached as either is one node.
 */
export function nodeAddressKey(url: string): string {
  const canonical = new URL(canonicalNodeUrl(url));
  const host = canonical.hostname === 'localhost' ? '127.0.0.1' : canonical.hostname;
  return `${host}:${canonical.port || '443'}`;
}
