import { isIP } from 'node:net';
import { clusterUrlSchema, nodeNameSchema } from '../../shared/ids';

/** A node PVE lists, as the discovery list shows it. */
export interface DiscoveredAddress {
  name: string;
  ip: string;
  url: string | null;
  problem: string | null;
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
  const ip = row.ip ?? '';
  const shown = {
    name: name.success ? name.data : '(not a valid node name)',
    ip: ip.replace(/[^\x20-\x7e]/g, '?').slice(0, 64),
  };
  if (!name.success) {
    return { ...shown, url: null, problem: 'PVE listed a node name that is not valid.' };
  }
  const family = isIP(ip);
  if (family === 0) {
    return { ...shown, url: null, problem: 'PVE listed no usable IP address for this node.' };
  }
  const host = family === 6 ? `[${ip}]` : ip;
  const parsed = clusterUrlSchema.safeParse(`https://${host}${inUse.port ? `:${inUse.port}` : ''}`);
  return parsed.success
    ? { ...shown, url: parsed.data, problem: null }
    : { ...shown, url: null, problem: 'This address cannot be used.' };
}
