import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { checkScenarioReferences } from './scenario-refs.js';
import { isBase32Secret } from './totp.js';

// The scenario file format: the cluster a simulator starts with. README.md documents every field.

const nodeName = z
  .string()
  .regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'not a valid PVE node name')
  .max(63);
const storageId = z.string().regex(/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i, 'not a valid storage id');
const poolId = z.string().regex(/^[A-Za-z0-9.\-_]+$/, 'not a valid pool id');
const groupId = z.string().regex(/^[A-Za-z0-9.\-_]+$/, 'not a valid group id');
const vmid = z.number().int().min(100).max(999_999_999);
const byteCount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const contentType = z.enum(['images', 'rootdir', 'iso', 'vztmpl', 'backup', 'snippets', 'import']);

/** Content types a PVE storage can hold. */
export type ContentType = z.infer<typeof contentType>;

const pciDeviceSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/, 'not a full PCI id'),
  class: z.string().regex(/^0x[0-9a-f]{6}$/, 'not a PCI class'),
  vendor: z.string().regex(/^0x[0-9a-f]{4}$/, 'not a vendor id'),
  vendorName: z.string().min(1),
  device: z.string().regex(/^0x[0-9a-f]{4}$/, 'not a device id'),
  deviceName: z.string().min(1),
  iommugroup: z.number().int().min(-1),
});

const pciMappingSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,127}$/, 'not a mapping id'),
  description: z.string().optional(),
  map: z.array(z.strictObject({ node: nodeName, path: z.string().min(1), id: z.string() })),
});

const nodeSchema = z.strictObject({
  name: nodeName,
  status: z.enum(['online', 'offline']),
  cpus: z.number().int().min(1).max(8192),
  memoryBytes: byteCount.min(1),
  pciDevices: z.array(pciDeviceSchema).default([]),
});

const volumeSchema = z.strictObject({
  volid: z.string().regex(/^[a-z][a-z0-9\-_.]*[a-z0-9]:.+$/i, 'not a volume id (storage:name)'),
  node: nodeName.optional(),
  sizeBytes: byteCount,
  format: z.string().regex(/^[a-z0-9.]+$/, 'not a volume format'),
  content: contentType,
  vmid: vmid.optional(),
  ctime: z.number().int().nonnegative().optional(),
});

const storageSchema = z.strictObject({
  id: storageId,
  type: z.enum(['dir', 'lvm', 'lvmthin', 'zfspool', 'rbd', 'cephfs', 'nfs', 'cifs', 'btrfs']),
  shared: z.boolean(),
  nodes: z.array(nodeName).min(1),
  content: z.array(contentType).min(1),
  capacityBytes: byteCount.min(1),
  volumes: z.array(volumeSchema).default([]),
});

const poolSchema = z.strictObject({
  poolid: poolId,
  comment: z.string().default(''),
  storages: z.array(storageId).default([]),
});

const userSchema = z.strictObject({
  userid: z
    .string()
    .max(64)
    .regex(/^[^\s:/@]+@[A-Za-z][A-Za-z0-9.\-_]+$/, 'not a user id (name@realm)'),
  password: z.string().min(1),
  pools: z.array(poolId).default([]),
  groups: z.array(groupId).default([]),
  enabled: z.boolean().default(true),
  comment: z.string().default(''),
  /** A TOTP second factor: the shared secret in base32, as an authenticator app holds it. */
  totp: z
    .strictObject({ secret: z.string().refine(isBase32Secret, 'not a base32 secret (16+ chars)') })
    .optional(),
  /** One-time recovery keys; each works once as a second factor. */
  recoveryKeys: z.array(z.string().regex(/^[A-Za-z0-9-]{4,64}$/, 'not a recovery key')).default([]),
  /** API tokens of the user: `id` is the part after `!`, `secret` a UUID. */
  tokens: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[A-Za-z][A-Za-z0-9.\-_]+$/, 'not a token id'),
        secret: z
          .string()
          .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not a UUID'),
        /** With privilege separation the token has only what ACLs grant the token itself. */
        privsep: z.boolean().default(false),
      }),
    )
    .default([]),
});

const aclSchema = z.strictObject({
  path: z.string().regex(/^\/([A-Za-z0-9.\-_]+(\/[A-Za-z0-9.\-_]+)*)?$/, 'not an ACL path'),
  ugid: z.string().min(1),
  roleid: z.string().min(1),
  propagate: z.boolean().default(true),
});

const instanceSchema = z.strictObject({
  node: nodeName,
  type: z.enum(['qemu', 'lxc']),
  vmid,
  name: z.string().min(1),
  status: z.enum(['running', 'stopped']),
  pool: poolId.optional(),
  config: z.record(
    z.string().regex(/^[a-z][a-z0-9_-]*$/i, 'not a config key'),
    z.union([z.string(), z.number()]),
  ),
});

/** The schema of a scenario file. */
export const scenarioSchema = z.strictObject({
  clusterName: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'not a cluster name')
    .default('lab'),
  nodes: z.array(nodeSchema).min(1),
  storages: z.array(storageSchema).default([]),
  pools: z.array(poolSchema).default([]),
  users: z.array(userSchema).min(1),
  acl: z.array(aclSchema).default([]),
  instances: z.array(instanceSchema).default([]),
  pciMappings: z.array(pciMappingSchema).default([]),
});

/** A parsed, validated scenario (defaults filled in). */
export type Scenario = z.output<typeof scenarioSchema>;

/** One problem found in a scenario: where (`instances[0].config.scsi0`) and what. */
export interface ScenarioIssue {
  path: string;
  message: string;
}

/** A scenario that failed validation; `issues` lists every bad path. */
export class ScenarioError extends Error {
  readonly issues: ScenarioIssue[];

  constructor(source: string, issues: ScenarioIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`);
    super(`Scenario ${source} is invalid:\n${lines.join('\n')}`);
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

/** Writes a zod issue path the way a person reads it: `instances[0].config.scsi0`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

/** Validates a scenario value (shape, then cross references); throws ScenarioError listing every problem. */
export function parseScenario(value: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: formatIssuePath(issue.path),
      message: issue.message,
    }));
    throw new ScenarioError(source, issues);
  }
  const issues = checkScenarioReferences(result.data);
  if (issues.length > 0) throw new ScenarioError(source, issues);
  return result.data;
}

/** Reads a scenario JSON file and validates it; throws ScenarioError with every bad path. */
export function loadScenario(file: string): Scenario {
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreadable';
    throw new ScenarioError(file, [{ path: '', message: `not valid JSON (${reason})` }]);
  }
  return parseScenario(value, file);
}
