import type { InstanceCreateInput } from '../../shared/instance-create-schemas';
import type { UserLimits } from '../quota/limits';
import type { ReservationBook } from '../quota/reservations';
import { requireListedMedia } from './instance-create-media';
import { planInstanceCreate, type InstanceCreatePlan } from './instance-create-plan';
import { chooseVmid, requireVmidInRange, takenVmidError } from './instance-create-vmid';
import { isGuestRow } from './ownership';
import type { Planner } from './planner';
import type { Approved, Claim } from './priced-commit';

// The planner of `instance:create`, used by the operation and by `quota:preview` alike. It reads
// the snapshot alone (the guest is new) and checks everything that needs no write and no id:
// the requested id's range, the node, pool, template, buses, and the media against the node's
// listing. The id itself is chosen only once the quota approved the change, under the user's
// lock (claimNewVmid), so a refusal or a preview never asks PVE for one.

/** What creating a guest writes and costs, and what choosing its id needs. */
export interface InstanceCreateDetail {
  plan: InstanceCreatePlan;
  limits: UserLimits;
  /** The ids of the guests the user can see. */
  visibleVmids: ReadonlySet<number>;
  /** The id the request names, if any. */
  requestedVmid: number | undefined;
}

/** A create whose id is chosen and held until its outcome is certain. */
export type ClaimedCreate = InstanceCreateDetail & { vmid: number };

/** The planner of a new VM or container. */
export function planNewInstance(input: InstanceCreateInput): Planner<InstanceCreateDetail> {
  return {
    plan: async ({ api, snapshot }) => {
      const { limits } = snapshot;
      if (input.vmid !== undefined) requireVmidInRange(limits, input.vmid);
      const plan = planInstanceCreate(limits, input, input.vmid ?? 0);
      const visibleVmids = new Set(snapshot.rows.filter(isGuestRow).map((row) => row.vmid));
      if (input.vmid !== undefined && visibleVmids.has(input.vmid)) {
        throw takenVmidError(input.vmid);
      }
      if (input.type === 'lxc') {
        await requireListedMedia(api, limits, input.node, 'vztmpl', input.ostemplate, 'ostemplate');
      } else if (input.iso !== undefined) {
        await requireListedMedia(api, limits, input.node, 'iso', input.iso, 'iso');
      }
      return {
        delta: plan.delta,
        detail: { plan, limits, visibleVmids, requestedVmid: input.vmid },
      };
    },
  };
}

// Ids of creates that are approved but whose outcome is not certain yet, per reservation book
// (one per core), so two creates in flight never pick the same id before PVE knows either guest.
const claimedVmids = new WeakMap<ReservationBook, Set<number>>();

function claimsOf(book: ReservationBook): Set<number> {
  let claims = claimedVmids.get(book);
  if (claims === undefined) {
    claims = new Set();
    claimedVmids.set(book, claims);
  }
  return claims;
}

/**
 * The claim of an approved create: the requested id, or the first free one of the user's range
 * that PVE confirms, held against other creates of the same core until the claim is released.
 */
export function claimNewVmid(
  book: ReservationBook,
): (approved: Approved<InstanceCreateDetail>) => Promise<Claim<ClaimedCreate>> {
  return async ({ api, detail }) => {
    const claims = claimsOf(book);
    const taken = new Set([...detail.visibleVmids, ...claims]);
    const vmid = await chooseVmid(api, detail.limits, taken, detail.requestedVmid);
    claims.add(vmid);
    const release = (): void => {
      claims.delete(vmid);
    };
    return { detail: { ...detail, vmid }, release };
  };
}
