import { AppError, isAppError } from '../../shared/errors';
import type { Credentials, PveCaller } from '../pve/connection';
import { privilegesOn } from '../pve/token-permissions';
import type { Policy } from '../quota/policy';

// Before a lab token is installed, ProxDesk asks PVE what the token may do and refuses a token that
// could not commit the changes ProxDesk approves: better now, in the admin's panel, than as a 403
// in a user's dialog later.

/** Privileges a commit on a guest may need: disks, CD drives, CPU, memory, NICs, PCI, power, create/destroy. */
export const guestCommitPrivileges = [
  'VM.Allocate',
  'VM.Config.CDROM',
  'VM.Config.CPU',
  'VM.Config.Disk',
  'VM.Config.HWType',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.PowerMgmt',
] as const;

/** Privileges a commit needs on a storage: allocating space for new or grown volumes. */
export const storageCommitPrivileges = ['Datastore.AllocateSpace'] as const;

/** The pools and storages a policy names: where the lab's commits happen. */
export function policyScope(policy: Policy): { pools: string[]; storages: string[] } {
  const members = [...Object.values(policy.users), ...Object.values(policy.groups)];
  const pools = new Set<string>([
    ...Object.keys(policy.pools),
    ...members.flatMap((entry) => entry.pools ?? []),
  ]);
  const storages = new Set<string>(
    [...members, ...Object.values(policy.pools)].flatMap((entry) =>
      Object.keys(entry.storage ?? {}),
    ),
  );
  return { pools: [...pools].sort(), storages: [...storages].sort() };
}

/** Where a set of privileges is needed: lab-wide on `wide`, or else on each of `each`. */
interface Requirement {
  privileges: readonly string[];
  wide: string;
  each: string[];
}

/** What is missing for one requirement, or null when it is met. */
function missingFor(
  requirement: Requirement,
  held: ReadonlyMap<string, Set<string>>,
): { path: string; privileges: string[] } | null {
  const lacking = (path: string): string[] =>
    requirement.privileges.filter((privilege) => !held.get(path)?.has(privilege));
  const wide = lacking(requirement.wide);
  if (wide.length === 0) return null;
  // Held on every pool (or storage) the policy names is as good as lab-wide for ProxDesk.
  const everywhere = requirement.each.every((path) => lacking(path).length === 0);
  if (requirement.each.length > 0 && everywhere) return null;
  return { path: requirement.wide, privileges: wide };
}

/**
 * Checks that PVE accepts the token and that it holds what commits need, on `/vms` and `/storage`
 * or on every pool and storage the policy names. Throws PVE_AUTH or PVE_PERMISSION; stores nothing.
 */
export async function verifyCommitToken(
  connection: PveCaller,
  token: Extract<Credentials, { kind: 'token' }>,
  policy: Policy,
): Promise<void> {
  const scope = policyScope(policy);
  const requirements: Requirement[] = [
    { privileges: guestCommitPrivileges, wide: '/vms', each: scope.pools.map((p) => `/pool/${p}`) },
    {
      privileges: storageCommitPrivileges,
      wide: '/storage',
      each: scope.storages.map((s) => `/storage/${s}`),
    },
  ];
  const paths = [...new Set(requirements.flatMap((r) => [r.wide, ...r.each]))];
  let held: Map<string, Set<string>>;
  try {
    held = new Map(
      await Promise.all(
        paths.map(async (path) => [path, await privilegesOn(connection, token, path)] as const),
      ),
    );
  } catch (error) {
    if (isAppError(error, 'PVE_AUTH') || isAppError(error, 'SESSION_EXPIRED')) {
      throw new AppError(
        'PVE_AUTH',
        `PVE did not accept the token ${token.tokenId}: the token id or secret is wrong, or the token or its user is disabled or expired. Nothing was installed.`,
        { fields: { secret: 'PVE refused this token' } },
      );
    }
    throw error;
  }

  const missing = requirements
    .map((requirement) => missingFor(requirement, held))
    .filter((item) => item !== null);
  if (missing.length > 0) {
    const listed = missing.map((m) => `${m.privileges.join(', ')} on ${m.path}`).join('; ');
    throw new AppError(
      'PVE_PERMISSION',
      `The token ${token.tokenId} cannot commit the changes ProxDesk approves: it lacks ${listed}. Grant it, for example, PVEVMAdmin on /vms and PVEDatastoreUser on /storage (or the same on every pool and storage the policy names), then install it again. Nothing was installed.`,
    );
  }
}
