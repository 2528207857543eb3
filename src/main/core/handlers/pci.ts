import type { InstanceRef } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { GuestConfig } from '../../pve/api';
import { approveChange, quotaExceededError, usageWithPending } from '../../quota/approve';
import type { CoreContext, HandlerGroup } from '../context';
import { changeableGuest } from '../ownership';
import {
  firstFreePciKey,
  newPciValue,
  pciDelta,
  pciValue,
  readAttachedPci,
  toPciAttached,
  withPciFlags,
} from '../pci-change';
import { availablePci, isPermissionRefusal } from '../pci-listing';
import type { UsageSnapshot } from '../quota-service';
import { runTrackedWrite } from '../tracked-task';

type Guest = UsageSnapshot['guests'][number];

interface PciPlan {
  params: Record<string, string>;
  after: GuestConfig;
}

function qemuOnly(ref: InstanceRef): void {
  if (ref.type !== 'qemu') {
    throw new AppError('INVALID_INPUT', 'type: only VMs can pass PCI devices through', {
      fields: { type: 'only VMs can pass PCI devices through' },
    });
  }
}

/**
 * Prices and writes one hostpci change under the user's lock, like the network changes: priced on
 * the snapshot plus pending reservations, reserved, then written with the digest it was priced on.
 */
async function commitPciChange(
  ref: InstanceRef,
  what: string,
  context: CoreContext,
  plan: (guest: Guest) => PciPlan | null,
): Promise<GuestConfig | null> {
  const { sessions, quota, reservations, log } = context;
  const { api, userid } = await sessions.api();

  const priced = await reservations.withUserLock(userid, async () => {
    const pending = reservations.pending(userid);
    const snapshot = await quota.snapshot(api, userid);
    const guest = changeableGuest(snapshot, ref);
    const planned = plan(guest);
    if (planned === null) return null;
    const delta = pciDelta(snapshot.limits, guest, planned.after);
    const decision = approveChange(
      snapshot.limits,
      usageWithPending(snapshot.usage, pending),
      delta,
    );
    if (!decision.approved) {
      log.info(`refused to ${what} for ${userid}`);
      throw quotaExceededError(decision);
    }
    return { planned, digest: guest.config.digest, release: reservations.reserve(userid, delta) };
  });
  if (priced === null) return null;

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
  context.emit('cluster:changed', { reason: `changed the PCI devices of ${ref.vmid}` });
  // The change is made; a failed read-back must not report it as failed.
  return api.config(ref.node, ref.type, ref.vmid).catch(() => priced.planned.after);
}

function refOf(input: InstanceRef): InstanceRef {
  return { node: input.node, type: input.type, vmid: input.vmid };
}

/** Listing, attaching, re-flagging and detaching PCI passthrough devices of VMs. */
export const pciHandlers: HandlerGroup<
  'pci:list' | 'pci:attached' | 'pci:attach' | 'pci:modify' | 'pci:detach'
> = {
  'pci:list': async (input, context) => {
    const { api, userid } = await context.sessions.api();
    const [snapshot, mappings, devices] = await Promise.all([
      context.quota.snapshot(api, userid),
      api.pciMappings(),
      // Most users may not read a node's hardware; they still see the mappings they may use.
      api.nodePciDevices(input.node).catch((error: unknown) => {
        if (isPermissionRefusal(error)) return null;
        throw error;
      }),
    ]);
    const used = usageWithPending(snapshot.usage, context.reservations.pending(userid)).pciDevices;
    return {
      devices: availablePci(input.node, devices ?? [], mappings, snapshot.limits.pciDevices, used),
      hostDevicesReadable: devices !== null,
    };
  },

  'pci:attached': async (input, context) => {
    const ref = refOf(input);
    qemuOnly(ref);
    const { api } = await context.sessions.api();
    return { devices: readAttachedPci(await api.config(ref.node, ref.type, ref.vmid)) };
  },

  'pci:attach': async (input, context) => {
    const ref = refOf(input);
    qemuOnly(ref);
    // Built before anything is read, so a value that cannot be written is refused at once.
    const value = newPciValue(input);
    let key = '';
    const config = await commitPciChange(
      ref,
      `attach a PCI device to ${ref.vmid}`,
      context,
      (g) => {
        key = firstFreePciKey(g.config);
        return { params: { [key]: value }, after: { ...g.config, [key]: value } };
      },
    );
    const written = config?.[key];
    if (typeof written !== 'string') throw new AppError('INTERNAL', 'The device was not written.');
    return { key, device: toPciAttached(key, written) };
  },

  'pci:modify': async (input, context) => {
    const ref = refOf(input);
    qemuOnly(ref);
    const seen: { value: string | null } = { value: null };
    const config = await commitPciChange(
      ref,
      `change the flags of ${input.key} of ${ref.vmid}`,
      context,
      (guest) => {
        const current = pciValue(guest.config, input.key, ref.vmid);
        seen.value = current;
        const value = withPciFlags(current, input);
        if (value === null) return null;
        return { params: { [input.key]: value }, after: { ...guest.config, [input.key]: value } };
      },
    );
    const now = config === null ? seen.value : config[input.key];
    if (typeof now !== 'string') throw new AppError('INTERNAL', 'The device was not read.');
    return { changed: config !== null, device: toPciAttached(input.key, now) };
  },

  'pci:detach': async (input, context) => {
    const ref = refOf(input);
    qemuOnly(ref);
    await commitPciChange(ref, `remove ${input.key} of ${ref.vmid}`, context, (guest) => {
      pciValue(guest.config, input.key, ref.vmid);
      const after: GuestConfig = { ...guest.config };
      delete after[input.key];
      // Removing frees what the device counted; approval lets every decrease through.
      return { params: { delete: input.key }, after };
    });
    return { key: input.key };
  },
};
