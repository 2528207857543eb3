import { z } from 'zod';
import type { ChannelRequest, InstanceRef, NetworkInterface } from '../../../shared/contract';
import {
  bridgeNameSchema,
  lxcInterfaceNameSchema,
  lxcIpModes,
  maxRateMBps,
  nicModels,
  rateMBpsSchema,
  vlanTagSchema,
} from '../../../shared/network-schemas';
import { bytesPerSecondToPveRate } from '../../../shared/units';

// The network forms hold what the user typed, as text; these schemas turn it into the contract's
// values with messages a person can act on, and end with the contract's own schemas, so a form
// never sends what main would refuse.

const rateMessage = `Enter a rate in MB/s above 0 and at most ${maxRateMBps}, or leave it empty.`;

/** An optional rate: empty means no limit (null); otherwise MB/s as the contract takes them. */
const optionalRate = z
  .string()
  .trim()
  .transform((text, ctx) => {
    if (text === '') return null;
    const rate = /^\d+(\.\d{1,3})?$/.test(text) ? Number(text) : Number.NaN;
    const parsed = rateMBpsSchema.safeParse(rate);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: /^\d+\.\d{4,}$/.test(text) ? 'Use at most three decimals.' : rateMessage,
      });
      return z.NEVER;
    }
    return parsed.data;
  });

const optionalTag = z
  .string()
  .trim()
  .transform((text, ctx) => {
    if (text === '') return null;
    const parsed = vlanTagSchema.safeParse(/^\d+$/.test(text) ? Number(text) : Number.NaN);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: 'Enter a VLAN tag from 1 to 4094, or leave it empty.',
      });
      return z.NEVER;
    }
    return parsed.data;
  });

const bridge = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    if (!bridgeNameSchema.safeParse(text).success) {
      ctx.addIssue({
        code: 'custom',
        message: 'Use 1-15 letters, digits, -, _ or . (e.g. vmbr0).',
      });
    }
  });

/** The add-interface form. `model` is used for VMs, `name` and `ip` for containers. */
export const addNetworkFormSchema = z.object({
  model: z.enum(nicModels),
  name: z.string().trim(),
  ip: z.enum(lxcIpModes),
  bridge,
  vlanTag: optionalTag,
  rateMBps: optionalRate,
});

/** What the add-interface form holds (text, as typed). */
export type AddNetworkFormValues = z.input<typeof addNetworkFormSchema>;
/** The add-interface form once checked. */
export type AddNetworkFormOutput = z.output<typeof addNetworkFormSchema>;

/** The change-rate form: empty removes the limit. */
export const rateFormSchema = z.object({ rateMBps: optionalRate });

/** What the change-rate form holds. */
export type RateFormValues = z.input<typeof rateFormSchema>;

/** The first `ethN` a container does not use yet, as a starting name. */
export function suggestedInterfaceName(networks: readonly NetworkInterface[]): string {
  const used = new Set(networks.map((network) => network.name));
  let index = 0;
  while (used.has(`eth${index}`)) index += 1;
  return `eth${index}`;
}

/** The add form's starting values. */
export function initialAddValues(networks: readonly NetworkInterface[]): AddNetworkFormValues {
  return {
    model: 'virtio',
    name: suggestedInterfaceName(networks),
    ip: 'dhcp',
    bridge: 'vmbr0',
    vlanTag: '',
    rateMBps: '',
  };
}

/**
 * The `net:create` request for a checked form; a container name is checked here, since a VM's
 * form has no name to check. Returns an error message for the name field instead when it is bad.
 */
export function createRequest(
  ref: InstanceRef,
  values: AddNetworkFormOutput,
): ChannelRequest<'net:create'> | { nameError: string } {
  const common = {
    node: ref.node,
    vmid: ref.vmid,
    bridge: values.bridge,
    ...(values.vlanTag === null ? {} : { vlanTag: values.vlanTag }),
    ...(values.rateMBps === null ? {} : { rateMBps: values.rateMBps }),
  };
  if (ref.type === 'qemu') return { ...common, type: 'qemu', model: values.model };
  if (!lxcInterfaceNameSchema.safeParse(values.name).success) {
    return { nameError: 'Use 1-15 letters, digits, -, _ or . (e.g. eth1).' };
  }
  return { ...common, type: 'lxc', name: values.name, ip: values.ip };
}

/** A rate in bytes per second as the rate field shows it (MB/s; empty for no limit). */
export function rateFieldText(rateBytesPerSecond: number | null): string {
  return rateBytesPerSecond === null ? '' : String(bytesPerSecondToPveRate(rateBytesPerSecond));
}
