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
  clusterUrlSchema,
  diskKeySchema,
  fingerprintSchema,
  instanceTypeSchema,
  nodeNameSchema,
  realmSchema,
  usernameSchema,
  vmidSchema,
} from './ids';

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
  /** The fingerprint pinned for this address, if any. */
  pinnedFingerprint: z.string().nullable(),
  trust: z.enum(['new', 'trusted', 'mismatch']),
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
  z.object({ signedIn: z.literal(false) }),
  z.object({
    signedIn: z.literal(true),
    clusterUrl: z.string(),
    userid: z.string(),
    /** When the current ticket stops being valid, ISO 8601. */
    expiresAt: z.string(),
  }),
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
  disks: z.array(diskSchema),
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
  resources: z.array(quotaResourceSchema),
  /** Config values that could not be read and were left out of the usage. */
  problems: z.array(z.object({ vmid: z.number(), key: z.string(), reason: z.string() })),
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
  'cluster:realms': channel(
    'The authentication realms a cluster offers.',
    z.strictObject({ url: clusterUrlSchema }),
    z.array(realmInfoSchema),
  ),
  'session:login': channel(
    'Sign in with a realm, user name and password.',
    z.strictObject({
      url: clusterUrlSchema,
      realm: realmSchema,
      username: usernameSchema,
      password: z.string().min(1).max(1024),
    }),
    sessionStatusSchema,
  ),
  'session:logout': channel('Sign out and forget the session.', noInput, sessionStatusSchema),
  'session:status': channel('Who is signed in, until when.', noInput, sessionStatusSchema),
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
  'disk:resize': channel(
    'Grow a disk by a number of GiB, if the quota allows it.',
    instanceRefSchema.extend({
      disk: diskKeySchema,
      addGiB: z.number().int().min(1).max(65_536),
    }),
    z.object({
      disk: z.string(),
      storage: z.string(),
      sizeBytes: z.number(),
      task: taskOutcomeSchema,
    }),
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
export type InstanceRef = z.infer<typeof instanceRefSchema>;
export type InstanceSummary = z.infer<typeof instanceSummarySchema>;
export type InstanceDetail = z.infer<typeof instanceDetailSchema>;
export type Disk = z.infer<typeof diskSchema>;
export type QuotaResource = z.infer<typeof quotaResourceSchema>;
export type QuotaUsage = z.infer<typeof quotaUsageSchema>;
export type TaskOutcome = z.infer<typeof taskOutcomeSchema>;
