import { AppError } from '../../shared/errors';
import type { ClusterStatusRow } from '../pve/api-schemas';
import type { ClusterNode } from '../pve/cluster-connection';
import { canonicalIp, canonicalNodeUrl, nodeAddressKey } from '../store/node-address';
import { discoveredAddress } from './discovered-address';

// A certificate fingerprint says which server answers at an address, not that the server is a
// node of the cluster: anyone can present a certificate and have its fingerprint confirmed. A
// node is proven a member only by the cluster itself, through the signed-in session's own node.

/** What proves that an address is a node of the cluster in use. */
export interface MembershipInput {
  /** The rows of `GET /cluster/status`, read on the node in use. */
  rows: readonly ClusterStatusRow[];
  /** The address asked to be added. */
  url: string;
  /** The PVE node name given for it, if any. */
  name: string | undefined;
  /** The node in use, whose port every node of the cluster serves its API on. */
  inUseUrl: string;
  /** The profile's nodes now. */
  profileNodes: readonly ClusterNode[];
}

/**
 * The PVE node name of the cluster member at `url`: the address must be the one the cluster
 * status gives a node (its `ip`, on the port of the node in use), the name given must be that
 * node's, and the node must not be in the profile already. Throws INVALID_INPUT or CONFLICT.
 */
export function provenMember(input: MembershipInput): string {
  const wanted = new URL(canonicalNodeUrl(input.url));
  const inUse = new URL(input.inUseUrl);
  const listed = input.rows.filter((row) => row.type === 'node');
  const offers = listed.map((row) => ({ row, address: discoveredAddress(row, inUse) }));
  const key = nodeAddressKey(wanted.href);
  const match = offers.find(
    ({ address }) => address.url !== null && nodeAddressKey(address.url) === key,
  );
  if (!match) throw notListed(wanted, inUse, offers);
  const { row, address } = match;
  if (input.name !== undefined && input.name !== address.name) {
    throw new AppError(
      'INVALID_INPUT',
      `The cluster lists ${wanted.host} as the node ${address.name}, not ${input.name}. Nothing was added.`,
      { fields: { name: `the node at this address is ${address.name}` } },
    );
  }
  const known = input.profileNodes.find((node) => node.name === address.name);
  if (row.local === true || known) {
    const as = row.local === true ? input.inUseUrl : (known?.url ?? input.inUseUrl);
    throw new AppError(
      'CONFLICT',
      `${address.name} is already a node of this profile, as ${as}. Nothing was added.`,
    );
  }
  return address.name;
}

function notListed(
  wanted: URL,
  inUse: URL,
  offers: ReadonlyArray<{ address: { name: string; url: string | null } }>,
): AppError {
  const sameHost = offers.find(
    ({ address }) =>
      address.url !== null &&
      canonicalIp(new URL(address.url).hostname) === canonicalIp(wanted.hostname),
  );
  const port = inUse.port || '443';
  const why = sameHost
    ? `the cluster lists ${wanted.hostname} as ${sameHost.address.name}, but PVE serves every node's API on the port of the node in use (${port}), and ${wanted.port || '443'} is not it`
    : `the cluster status lists no node at ${wanted.hostname}`;
  const offered = offers.flatMap(({ address }) =>
    address.url === null ? [] : [`${address.name} at ${address.url}`],
  );
  return new AppError(
    'INVALID_INPUT',
    `${wanted.host} is not shown to be a node of this cluster: ${why}. Nothing was added.${
      offered.length > 0 ? ` Its nodes: ${offered.join(', ')}.` : ''
    }`,
    { fields: { url: 'not a node the cluster status lists' } },
  );
}
