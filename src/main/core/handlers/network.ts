import type { InstanceRef } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { NetworkInterface } from '../../../shared/network-schemas';
import type { GuestConfig } from '../../pve/api';
import { approveChange, quotaExceededError, usageWithPending } from '../../quota/approve';
import type { CoreContext, HandlerGroup } from '../context';
import {
  checkNameFree,
  firstFreeNetKey,
  interfaceValue,
  networkDelta,
  newInterfaceValue,
  readNetworkInterfaces,
  withRate,
} from '../network-change';
import { changeableGuest } from '../ownership';
import type { UsageSnapshot } from '../quota-service';
import { runTrackedWrite } from '../tracked-task';

/** The config values a network change writes, worked out from the guest's current config. */
interface NetworkPlan {
  /** `netN` values to set and `delete`, as PVE's `PUT .../config` takes them. */
  params: Record<string, string>;
  /** The config once the change is made, for pricing. */
  after: GuestConfig;
}

type Guest = UsageSnapshot['guests'][number];

/**
 * Prices and writes one network change: under the user's lock, pending reservations first, then
 * the snapshot; the plan is priced and reserved, then written with the digest it was priced on.
 * Returns the guest's config after the write, or null when the plan found nothing to change.
 */
async function commitNetworkChange(
  ref: InstanceRef,
  what: string,
  context: CoreContext,
  plan: (guest: Guest) => NetworkPlan | null,
): Promise<GuestConfig | null> {
  const { sessions, quota, reservations, log } = context;
  const { api, userid } = await sessions.api();

  const priced = await reservations.withUserLock(userid, async () => {
    // Pending first: a change released while the cluster is read is then counted, not missed.
    const pending = reservations.pending(userid);
    const snapshot = await quota.snapshot(api, userid);
    const guest = changeableGuest(snapshot, ref);
    const planned = plan(guest);
    if (planned === null) return null;

    const delta = networkDelta(snapshot.limits, guest, planned.after);
    const decision = approveChange(
      snapshot.limits,
      usageWithPending(snapshot.usage, pending),
      delta,
    );
    if (!decision.approved) {
      log.info(`refused to ${what} for ${userid}`);
      throw quotaExceededError(decision);
    }
    return {
      planned,
      digest: guest.config.digest,
      release: reservations.reserve(userid, delta),
    };
  });
  if (priced === null) return null;

  // A synchronous write: once PVE has answered, live usage shows it, so the reservation goes then.
  await runTrackedWrite(
    what,
    // The digest makes PVE refuse the write if the config changed since it was priced.
    () =>
      api.updateConfig(ref.node, ref.type, ref.vmid, {
        ...priced.planned.params,
        digest: priced.digest,
      }),
    {
      log,
      background: context.background,
      deadlineMs: context.settings.taskDeadlineMs,
      release: priced.release,
    },
  );
  context.emit('cluster:changed', { reason: `changed the network interfaces of ${ref.vmid}` });
  // The change is made; a failed read-back must not report it as failed (and invite a retry).
  return api.config(ref.node, ref.type, ref.vmid).catch(() => priced.planned.after);
}

function interfaceIn(
  type: 'qemu' | 'lxc',
  config: GuestConfig,
  key: string,
  vmid: number,
): NetworkInterface {
  const found = readNetworkInterfaces(type, config).find((n) => n.key === key);
  if (!found) throw new AppError('NOT_FOUND', `Guest ${vmid} has no readable interface ${key}.`);
  return found;
}

/** Adding, re-rating and removing network interfaces, priced against the network quota. */
export const networkHandlers: HandlerGroup<'net:create' | 'net:modify' | 'net:delete'> = {
  'net:create': async (input, context) => {
    const ref = { node: input.node, type: input.type, vmid: input.vmid };
    // Built before anything is read, so a value that cannot be written is refused at once.
    const value = newInterfaceValue(input);
    let key = '';
    const config = await commitNetworkChange(
      ref,
      `add a network interface to ${ref.vmid}`,
      context,
      (guest) => {
        if (input.type === 'lxc') checkNameFree(guest.config, input.name);
        key = firstFreeNetKey(guest.config);
        return { params: { [key]: value }, after: { ...guest.config, [key]: value } };
      },
    );
    if (config === null) throw new AppError('INTERNAL', 'The new interface was not planned.');
    return { key, network: interfaceIn(ref.type, config, key, ref.vmid) };
  },

  'net:modify': async (input, context) => {
    const ref = { node: input.node, type: input.type, vmid: input.vmid };
    // The config the plan saw, for the answer when nothing needed to change.
    const seen: { config: GuestConfig | null } = { config: null };
    const config = await commitNetworkChange(
      ref,
      `change the rate of ${input.key} of ${ref.vmid}`,
      context,
      (guest) => {
        // An interface ProxDesk cannot read is refused before writing, not after.
        interfaceIn(ref.type, guest.config, input.key, ref.vmid);
        const value = withRate(
          ref.type,
          interfaceValue(guest.config, input.key, ref.vmid),
          input.rateMBps,
        );
        seen.config = guest.config;
        if (value === null) return null;
        return { params: { [input.key]: value }, after: { ...guest.config, [input.key]: value } };
      },
    );
    const current = config ?? seen.config;
    if (current === null) throw new AppError('INTERNAL', 'The interface was not read.');
    return {
      changed: config !== null,
      network: interfaceIn(ref.type, current, input.key, ref.vmid),
    };
  },

  'net:delete': async (input, context) => {
    const ref = { node: input.node, type: input.type, vmid: input.vmid };
    await commitNetworkChange(ref, `remove ${input.key} of ${ref.vmid}`, context, (guest) => {
      interfaceValue(guest.config, input.key, ref.vmid);
      const after: GuestConfig = { ...guest.config };
      delete after[input.key];
      // Removing frees what the interface counted; approval lets every decrease through.
      return { params: { delete: input.key }, after };
    });
    return { key: input.key };
  },
};
