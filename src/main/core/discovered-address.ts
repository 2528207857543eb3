import { BlockList, isIP } from 'node:net';
import { clusterUrlSchema, nodeNameSchema } from '../../shared/ids';
import { canonicalIp } from '../store/node-address';

/** A node PVE lists, as the discovery list shows it. */
export interface DiscoveredAddress {
  name: string;
  ip: string;
  url: string | null;
  problem: string | null;
}

// Addresses that can never be where another node serves its API. IPv4 loopback (127.0.0.0/8)
// stays allowed: a lab cluster on one machine puts its nodes there.
const notANodeAddress: ReadonlyArray<{ block: BlockList; why: string }> = [
  rangeOf('it is an unspecified ("this host") address', ['0.0.0.0/8', 'ipv4'], ['::/128', 'ipv6']),
  rangeOf('it is the broadcast address', ['255.255.255.255/32', 'ipv4']),
  rangeOf('it is a link-local address', ['169.254.0.0/16', 'ipv4'], ['fe80::/10', 'ipv6']),
  rangeOf('it is a multicast address', ['224.0.0.0/4', 'ipv4'], ['ff00::/8', 'ipv6']),
  rangeOf("it is this machine's IPv6 loopback address", ['::1/128', 'ipv6']),
];

function rangeOf(
  why: string,
  ...subnets: Array<[string, 'ipv4' | 'ipv6']>
): {
  block: BlockList;
  why: string;
} {
  const block = new BlockList();
  for (const [subnet, family] of subnets) {
    const [network = '', prefix = '0'] = subnet.split('/');
    block.addSubnet(network, Number(prefix), family);
  }
  return { block, why };
}

/** Why an IP address cannot be a node's address, or null when it can. */
export function nodeIpProblem(ip: string): string | null {
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  const range = notANodeAddress.find(({ block }) => block.check(ip, family));
  return range ? `PVE listed ${ip} for this node, which is no node's address: ${range.why}.` : null;
}

/**
 * The address of a node PVE lists, on the port of the node in use (every PVE node serves its API
 * on the same port). PVE's values are not trusted: a name or IP that is not one is refused here,
 * and what is shown of it is printable and short.
 */
export function discoveredAddress(
  row: { name?: string | undefined; ip?: string | undefined },
  inUse: URL,
): DiscoveredAddress {
  const name = nodeNameSchema.safeParse(row.name);
  const listed = row.ip ?? '';
  const shown = {
    name: name.success ? name.data : '(not a valid node name)',
    ip: listed.replace(/[^\x20-\x7e]/g, '?').slice(0, 64),
  };
  if (!name.success) {
    return { ...shown, url: null, problem: 'PVE listed a node name that is not valid.' };
  }
  if (isIP(listed) === 0) {
    return { ...shown, url: null, problem: 'PVE listed no usable IP address for this node.' };
  }
  // An IPv4-mapped IPv6 address is the IPv4 node it maps, and is offered as that.
  const ip = canonicalIp(listed);
  const problem = nodeIpProblem(ip);
  if (problem !== null) return { ...shown, url: null, problem };
  const host = isIP(ip) === 6 ? `[${ip}]` : ip;
  const parsed = clusterUrlSchema.safeParse(`https://${host}${inUse.port ? `:${inUse.port}` : ''}`);
  return parsed.success
    ? { ...shown, url: parsed.data, problem: null }
    : { ...shown, url: null, problem: 'This address cannot be used.' };
}
