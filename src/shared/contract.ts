import { z } from 'zod';
import type { Envelope } from './errors';
import {
  channelNames,
  eventNames,
  eventPrefix,
  isChannelName,
  isEventName,
  type ChannelName,
  type EventName,
} from './names';
import {
  apiTokenIdSchema,
  clusterUrlSchema,
  fingerprintSchema,
  instanceTypeSchema,
  nodeNameSchema,
  realmSchema,
  usernameSchema,
  vmidSchema,
} from './ids';
import {
  addNodeInputSchema,
  clusterProfileSchema,
  clusterProfilesSchema,
  discoveryResultSchema,
  renameProfileInputSchema,
} from './cluster-schemas';
import { diskMoveInputSchema } from './disk-move-schemas';
import {
  backupCreateInputSchema,
  backupCreateOutputSchema,
  backupDeleteInputSchema,
  backupDeleteOutputSchema,
  backupListInputSchema,
  backupCountSchema,
  backupListOutputSchema,
} from './backup-schemas';
import { diskResizeInputSchema, resourceChangeInputSchema } from './guest-change-schemas';
import { diskCreateInputSchema } from './disk-create-schemas';
import { elevatedInstallInputSchema, elevatedStatusSchema } from './elevated-schemas';
import {
  instanceCreateInputSchema,
  instanceCreateOutputSchema,
  mediaVolumeSchema,
  storageMediaInputSchema,
} from './instance-create-schemas';
import {
  pciAttachedInputSchema,
  pciAttachedSchema,
  pciAttachInputSchema,
  pciDetachInputSchema,
  pciListInputSchema,
  pciListOutputSchema,
  pciModifyInputSchema,
} from './pci-schemas';
import {
  guestResourcesSchema,
  powerActions,
  taskLogResultSchema,
  taskSummarySchema,
  upidSchema,
} from './operation-schemas';
import {
  loginResultSchema,
  rememberedTokensSchema,
  restoreFailedSchema,
  secondFactorInputSchema,
  signedInStatusSchema,
  tokenLoginInputSchema,
} from './session-schemas';
import {
  policyImportInputSchema,
  policyImportResultSchema,
  quotaAdminSchema,
  quotaChangeSchema,
  quotaPreviewSchema,
  unreadGuestSchema,
} from './quota-schemas';
import {
  netCreateInputSchema,
  netDeleteInputSchema,
  netModifyInputSchema,
  networkInterfaceSchema,
} from './network-schemas';
import {
  diskAttachInputSchema,
  diskDeleteInputSchema,
  diskDetachInputSchema,
  diskSlotResultSchema,
  quotaConstraintsSchema,
} from './disk-slot-schemas';

// The one declaration of every IPC channel and event, with its input and output schemas. Main,
// preload and renderer all import it; no channel name is written as a bare string anywhere else.

const noInput = z.strictObject({}).optional();

/** What a node presented on a TLS handshake, and how it compares with the stored pin. */
export const certificateSchema = z.object({
  url: z.string(),
  fingerprint: z.string(),
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  /** The fingerprint pinned for this address, if any; null once a root CA is trusted for it. */
  pinnedFingerprint: z.string().nullable(),
  /** `trusted-ca`: the certificate was issued by the root CA trusted for this address. */
  trust: z.enum(['new', 'trusted', 'mismatch', 'trusted-ca']),
});

/** An authentication realm offered on the sign-in form. */
export const realmInfoSchema = z.object({
  realm: z.string(),
  type: z.string(),
  comment: z.string().optional(),
  default: z.boolean(),
});

/** Who is signed in, to which cluster, until when. Never carries a ticket or token. */
export const sessionStatusSchema = z.discriminatedUnion('signedIn', [
  z.object({ signedIn: z.literal(false), restoreFailed: restoreFailedSchema.optional() }),
  signedInStatusSchema,
]);

/** Identifies one guest. */
export const instanceRefSchema = z.strictObject({
  node: nodeNameSchema,
  type: instanceTypeSchema,
  vmid: vmidSchema,
});

/** One row of the instance list. */
export const instanceSummarySchema = z.object({
  node: z.string(),
  type: instanceTypeSchema,
  vmid: z.number(),
  name: z.string(),
  status: z.string(),
  pool: z.string().nullable(),
  lock: z.string().nullable(),
});

/** One disk, mount point or unused volume of a guest, parsed from its config. */
export const diskSchema = z.object({
  key: z.string(),
  /** The volume id (`local-lvm:vm-100-disk-0`), a host path for bind mounts, or `none`. */
  volume: z.string(),
  storage: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  kind: z.enum(['disk', 'cdrom', 'unused', 'bind', 'empty']),
  /** The container path of an lxc mount point. */
  mountPath: z.string().nullable(),
  /** Whether ProxDesk can grow it: a disk on a storage, not an EFI vars or TPM state volume. */
  resizable: z.boolean(),
});

/** One guest with its parsed config. */
export const instanceDetailSchema = instanceSummarySchema.extend({
  digest: z.string(),
  cores: z.number().nullable(),
  sockets: z.number().nullable(),
  memoryBytes: z.number().nullable(),
  swapBytes: z.number().nullable(),
  /**
   * The VM's CPU model as its `cpu` option names it; null for a container (it runs on the host's
   * CPU) and for a VM that names none or whose `cpu` cannot be read (then listed in `problems`).
   */
  cpuType: z.string().nullable(),
  disks: z.array(diskSchema),
  /** The guest's network interfaces (`netN`), sorted by key. */
  networks: z.array(networkInterfaceSchema),
  /** Config keys that could not be read, with the reason; they are ignored, not fatal. */
  problems: z.array(z.object({ key: z.string(), reason: z.string() })),
});

/** One resource's usage against its limit, in the resource's base unit. */
export const quotaResourceSchema = z.object({
  resource: z.string(),
  label: z.string(),
  unit: z.enum(['count', 'bytes', 'bytesPerSecond']),
  used: z.number(),
  /** Null when the policy sets no limit for this resource. */
  limit: z.number().nullable(),
  available: z.number().nullable(),
});

/** A user's usage of every resource the policy limits. */
export const quotaUsageSchema = z.object({
  userid: z.string(),
  /** Whether the policy lets this user open the admin view and import a policy. */
  admin: z.boolean(),
  resources: z.array(quotaResourceSchema),
  /** Config values that could not be read and were left out of the usage. */
  problems: z.array(z.object({ vmid: z.number(), key: z.string(), reason: z.string() })),
  /** Guests left out because PVE could not reach their node; `used` is then a lower bound. */
  unread: z.array(unreadGuestSchema),
});

/** How a PVE task ended. */
export const taskOutcomeSchema = z.object({
  upid: z.string(),
  status: z.enum(['ok', 'warnings', 'failed']),
  exitStatus: z.string(),
});

/** Declares one channel. */
function channel<I extends z.ZodType, O extends z.ZodType>(
  summary: string,
  input: I,
  output: O,
): { summary: string; input: I; output: O } {
  return { summary, input, output };
}

/** Every IPC channel: name, what it does, input and output schemas. */
export const channels = {
  'app:info': channel(
    'Version, and the cluster address to prefill when the app was started for one.',
    noInput,
    z.object({ version: z.string(), defaultClusterUrl: z.string().nullable() }),
  ),
  'cluster:probe': channel(
    "Fetch a node's certificate and compare it with the stored pin.",
    z.strictObject({ url: clusterUrlSchema }),
    certificateSchema,
  ),
  'cluster:trust': channel(
    "Pin a node's certificate fingerprint after the user compared it. Refuses to replace a pin.",
    z.strictObject({ url: clusterUrlSchema, fingerprint: fingerprintSchema }),
    z.object({ url: z.string(), fingerprint: z.string() }),
  ),
  'cluster:repin': channel(
    "Replace a node's pin, only if the pin and the node's certificate are the ones the user saw.",
    z.strictObject({
      url: clusterUrlSchema,
      pinnedFingerprint: fingerprintSchema,
      presentedFingerprint: fingerprintSchema,
    }),
    z.object({ url: z.string(), fingerprint: z.string() }),
  ),
  'cluster:trust-ca': channel(
    "Trust the cluster's root CA for a node whose certificate it issued.",
    z.strictObject({ url: clusterUrlSchema, caPem: z.string().max(20_000) }),
    z.object({ url: z.string(), caFingerprint: z.string(), caSubject: z.string() }),
  ),
  'cluster:realms': channel(
    'The authentication realms a cluster offers.',
    z.strictObject({ url: clusterUrlSchema }),
    z.array(realmInfoSchema),
  ),
  'cluster:profiles': channel(
    'The cluster profiles, each node with how it is trusted, and the profile and node in use.',
    noInput,
    clusterProfilesSchema,
  ),
  'cluster:discover': channel(
    "The signed-in cluster's nodes from /cluster/status, to offer those the profile lacks.",
    noInput,
    discoveryResultSchema,
  ),
  'cluster:add-node': channel(
    'Add a node to a profile once its certificate is confirmed (or issued by the profile CA).',
    addNodeInputSchema,
    z.object({ profile: clusterProfileSchema }),
  ),
  'cluster:rename-profile': channel(
    'Rename a cluster profile.',
    renameProfileInputSchema,
    z.object({ profile: clusterProfileSchema }),
  ),
  'session:login': channel(
    'Sign in with a realm, user name and password.',
    z.strictObject({
      url: clusterUrlSchema,
      realm: realmSchema,
      username: usernameSchema,
      password: z.string().min(1).max(1024),
      /** Keep the ticket (never the password) in the OS keychain so the next start signs in. */
      staySignedIn: z.boolean().default(false),
    }),
    loginResultSchema,
  ),
  'session:second-factor': channel(
    'Answer the second factor PVE asked for after the password: a TOTP code or a recovery key.',
    secondFactorInputSchema,
    signedInStatusSchema,
  ),
  'session:login-token': channel(
    'Sign in with an API token (user@realm!tokenid and its secret), optionally remembering it.',
    tokenLoginInputSchema,
    signedInStatusSchema,
  ),
  'session:remembered-tokens': channel(
    'The API token ids whose secrets are remembered for a cluster (never the secrets).',
    z.strictObject({ url: clusterUrlSchema }),
    rememberedTokensSchema,
  ),
  'session:forget-token': channel(
    "Forget a remembered API token's secret.",
    z.strictObject({ url: clusterUrlSchema, tokenId: apiTokenIdSchema }),
    rememberedTokensSchema,
  ),
  'session:logout': channel('Sign out and forget the session.', noInput, sessionStatusSchema),
  'session:status': channel('Who is signed in, until when.', noInput, sessionStatusSchema),
  'session:restore': channel(
    'Try again to restore the sign-in kept by "Stay signed in" that the start could not restore.',
    noInput,
    sessionStatusSchema,
  ),
  'instance:list': channel(
    "The signed-in user's instances (those in the user's pools).",
    noInput,
    z.array(instanceSummarySchema),
  ),
  'instance:get': channel(
    "One instance's config, parsed.",
    instanceRefSchema,
    instanceDetailSchema,
  ),
  'quota:usage': channel('Usage, limit and what is left, per resource.', noInput, quotaUsageSchema),
  'quota:preview': channel(
    'Price a proposed change: per resource the limit, use, cost, what is left and whether it fits.',
    quotaChangeSchema,
    quotaPreviewSchema,
  ),
  'quota:admin': channel(
    'Every user the policy names, with usage against limits and who is over quota (admins only).',
    noInput,
    quotaAdminSchema,
  ),
  'policy:import': channel(
    'Validate a policy document and put it in force; a bad one lists every bad field (admins only).',
    policyImportInputSchema,
    policyImportResultSchema,
  ),
  'disk:resize': channel(
    'Grow a disk by a number of GiB, if the quota allows it.',
    diskResizeInputSchema,
    z.object({
      disk: z.string(),
      storage: z.string(),
      sizeBytes: z.number(),
      task: taskOutcomeSchema,
    }),
  ),
  'instance:power': channel(
    'Start, shut down, reboot or stop a guest, following the PVE task to its end.',
    instanceRefSchema.extend({ action: z.enum(powerActions) }),
    z.object({ action: z.enum(powerActions), task: taskOutcomeSchema }),
  ),
  'instance:destroy': channel(
    'Destroy a stopped guest and every volume it owns, once the user has typed its vmid.',
    instanceRefSchema
      .extend({ confirmVmid: vmidSchema })
      .refine((input) => input.confirmVmid === input.vmid, {
        message: "type the guest's vmid exactly to confirm",
        path: ['confirmVmid'],
      }),
    z.object({ vmid: z.number(), task: taskOutcomeSchema }),
  ),
  'instance:resources': channel(
    "Change a guest's cores, sockets, CPU model, memory or swap, if the quota allows it.",
    resourceChangeInputSchema,
    z.object({ changed: z.boolean(), resources: guestResourcesSchema }),
  ),
  'task:list': channel(
    "The user's recent PVE tasks on their own guests, newest first (at most 50).",
    noInput,
    z.array(taskSummarySchema),
  ),
  'pci:list': channel(
    "The node's PCI devices and mappings the quota policy lets the user attach, with what is left.",
    pciListInputSchema,
    pciListOutputSchema,
  ),
  'pci:attached': channel(
    'The PCI devices attached to a VM.',
    pciAttachedInputSchema,
    z.object({ devices: z.array(pciAttachedSchema) }),
  ),
  'pci:attach': channel(
    'Pass a PCI device or mapping through on the first free hostpciN slot, if the quota allows.',
    pciAttachInputSchema,
    z.object({ key: z.string(), device: pciAttachedSchema }),
  ),
  'pci:modify': channel(
    'Change the pcie, x-vga and rombar flags of an attached PCI device.',
    pciModifyInputSchema,
    z.object({ changed: z.boolean(), device: pciAttachedSchema }),
  ),
  'pci:detach': channel(
    'Remove a PCI device from a VM.',
    pciDetachInputSchema,
    z.object({ key: z.string() }),
  ),
  'net:create': channel(
    'Add a network interface in the first free netN slot, if the quota allows its rate.',
    netCreateInputSchema,
    z.object({ key: z.string(), network: networkInterfaceSchema }),
  ),
  'net:modify': channel(
    "Change an interface's rate limit (null removes it), if the quota allows it.",
    netModifyInputSchema,
    z.object({ changed: z.boolean(), network: networkInterfaceSchema }),
  ),
  'net:delete': channel(
    'Remove a network interface.',
    netDeleteInputSchema,
    z.object({ key: z.string() }),
  ),
  'task:log': channel(
    "One task's state and log lines.",
    z.strictObject({ upid: upidSchema }),
    taskLogResultSchema,
  ),
  'disk:detach': channel(
    'Detach a VM disk or a mount point; its volume stays on the storage as unusedN.',
    diskDetachInputSchema,
    diskSlotResultSchema,
  ),
  'disk:attach': channel(
    'Attach an unused volume to the first free slot of a bus (VM) or at a path (container).',
    diskAttachInputSchema,
    diskSlotResultSchema,
  ),
  'disk:delete': channel(
    'Delete an unused volume (its data is destroyed) or remove a CD drive.',
    diskDeleteInputSchema,
    diskSlotResultSchema,
  ),
  'quota:constraints': channel(
    "The signed-in user's nodes, vmid ranges, pools, storages and buses, templates, CPU and PCI rules.",
    noInput,
    quotaConstraintsSchema,
  ),
  'disk:create': channel(
    'Add a new disk, a CD drive with an ISO, or a mount point, if the quota allows its size.',
    diskCreateInputSchema,
    z.object({
      key: z.string(),
      /** The volume PVE allocated (or the ISO), as read back; null when it could not be read. */
      volume: z.string().nullable(),
      task: taskOutcomeSchema.nullable(),
    }),
  ),
  'disk:move': channel(
    'Move a disk or mount point to another storage, keeping or deleting the source volume.',
    diskMoveInputSchema,
    z.object({
      disk: z.string(),
      fromStorage: z.string(),
      toStorage: z.string(),
      volume: z.string(),
      /** The unusedN key that keeps the source volume, or null when it was deleted. */
      keptAs: z.string().nullable(),
      task: taskOutcomeSchema,
    }),
  ),
  'storage:media': channel(
    "The ISO images or container templates on a node's storages that the user may use.",
    storageMediaInputSchema,
    z.array(mediaVolumeSchema),
  ),
  'instance:create': channel(
    "Create a VM or container in one of the user's pools, if the quota allows all it costs.",
    instanceCreateInputSchema,
    instanceCreateOutputSchema,
  ),
  'elevated:status': channel(
    "Whether changes to the session's cluster are committed with a lab-installed API token.",
    noInput,
    elevatedStatusSchema,
  ),
  'elevated:install': channel(
    'Lab admins: check a privileged API token against the cluster and install it for commits.',
    elevatedInstallInputSchema,
    elevatedStatusSchema,
  ),
  'elevated:remove': channel(
    "Lab admins: remove the cluster's installed API token; changes go back to users' own rights.",
    noInput,
    elevatedStatusSchema,
  ),
  'backup:count': channel(
    "The user's backups against the policy's backup limit, counted as a backup is priced.",
    noInput,
    backupCountSchema,
  ),
  'backup:list': channel(
    "A guest's backups on its node's backup storages, where more can go, and the backup count.",
    backupListInputSchema,
    backupListOutputSchema,
  ),
  'backup:create': channel(
    'Back up a guest (vzdump, zstd) to a backup storage, if the backup count allows one more.',
    backupCreateInputSchema,
    backupCreateOutputSchema,
  ),
  'backup:delete': channel(
    'Delete one backup of a guest, unless it is protected.',
    backupDeleteInputSchema,
    backupDeleteOutputSchema,
  ),
} as const;

/** Every event main sends to the renderer. */
export const events = {
  'task:progress': z.object({
    upid: z.string(),
    node: z.string(),
    state: z.enum(['running', 'stopped']),
    /** New log lines since the previous event. */
    lines: z.array(z.string()),
    exitStatus: z.string().nullable(),
  }),
  'session:changed': sessionStatusSchema,
  'cluster:changed': z.object({ reason: z.string() }),
} as const;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time proof that names.ts lists exactly the channels and events declared here.
const channelNamesMatch: Same<keyof typeof channels, ChannelName> = true;
const eventNamesMatch: Same<keyof typeof events, EventName> = true;
void channelNamesMatch;
void eventNamesMatch;

/** What a channel's handler receives, after parsing. */
export type ChannelInput<C extends ChannelName> = z.output<(typeof channels)[C]['input']>;
/** What a caller may pass to a channel, before parsing. */
export type ChannelRequest<C extends ChannelName> = z.input<(typeof channels)[C]['input']>;
/** What a channel returns. */
export type ChannelOutput<C extends ChannelName> = z.output<(typeof channels)[C]['output']>;
/** An event's payload. */
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export { channelNames, eventNames, eventPrefix, isChannelName, isEventName };
export type { ChannelName, EventName };

/** The API the preload exposes as `window.proxdesk`. */
export interface ProxdeskBridge {
  invoke<C extends ChannelName>(
    channel: C,
    input?: ChannelRequest<C>,
  ): Promise<Envelope<ChannelOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Types the renderer uses. */
export type CertificateInfo = z.infer<typeof certificateSchema>;
export type RealmInfo = z.infer<typeof realmInfoSchema>;
export type SessionStatus = z.infer<typeof sessionStatusSchema>;
export type { LoginResult, SecondFactorMethod, SignedInStatus } from './session-schemas';
export type { NodeSwitchNotice } from './session-schemas';
export type { ClusterProfileInfo, ClusterProfilesInfo, DiscoveredNode } from './cluster-schemas';
export type InstanceRef = z.infer<typeof instanceRefSchema>;
export type InstanceSummary = z.infer<typeof instanceSummarySchema>;
export type InstanceDetail = z.infer<typeof instanceDetailSchema>;
export type Disk = z.infer<typeof diskSchema>;
export type QuotaResource = z.infer<typeof quotaResourceSchema>;
export type QuotaUsage = z.infer<typeof quotaUsageSchema>;
export type TaskOutcome = z.infer<typeof taskOutcomeSchema>;
export type { GuestResources, PowerAction, TaskLogResult, TaskSummary } from './operation-schemas';
export type { NetworkInterface } from './network-schemas';
export type { DiskSlotResult, QuotaConstraints } from './disk-slot-schemas';
export type { InstanceCreateInput, MediaVolume } from './instance-create-schemas';
