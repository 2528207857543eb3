import { renameSync, writeFileSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { PveApi } from '../pve/api';
import type { ClusterResource, GuestConfig } from '../pve/api-schemas';
import { nodeConnections } from '../pve/tls';
import { missingVolumeSizes, readGuests } from './guest-reading';
import { SnapshotCache } from '../quota/snapshot-cache';
import { computeUsage, type GuestForUsage, type Usage } from '../quota/usage';
import {
  loadPolicyFile,
  parsePolicy,
  resolveUserLimits,
  type Policy,
  type UserLimits,
} from '../quota/policy';
import { isGuestRow, type GuestResource } from './ownership';

/** A user's owned guests with their configs, and the usage derived from them. */
export interface UsageSnapshot {
  limits: UserLimits;
  /** Every row of `/cluster/resources` the user may see, owned or not. */
  rows: ClusterResource[];
  guests: Array<GuestForUsage & { resource: GuestResource; config: GuestConfig }>;
  usage: Usage;
}

/** Where the quota policy comes from; an imported policy is written to `file` when there is one. */
export type PolicySource = { policy: Policy; file?: string } | { file: string };

/** How long a usage snapshot is reused for pricing, and the clock it is measured with. */
export interface QuotaServiceOptions {
  usageMaxAgeMs?: number;
  now?: () => number;
  /** Configs read at once; the node dispatcher's socket count by default. */
  readConcurrency?: number;
}

/** Loads the policy and derives usage from the live cluster, keeping a warm snapshot per user. */
export class QuotaService {
  private policy: Policy | null = null;
  private policyError: AppError | null = null;
  private readonly file: string | null;
  private readonly snapshots: SnapshotCache<UsageSnapshot>;
  private readonly apiIds = new WeakMap<PveApi, number>();
  // Keyed by the signed-in API: every sign-in makes a new one, so signing out drops the groups.
  private readonly groups = new WeakMap<PveApi, Promise<string[]>>();
  private nextApiId = 1;
  private readonly readConcurrency: number;

  constructor(
    source: PolicySource,
    private readonly log: Logger,
    options: QuotaServiceOptions = {},
  ) {
    // A reading that left guests out is not reused: the next pricing asks again, so a node that is
    // back is counted at once, not only once the reading has aged out.
    this.snapshots = new SnapshotCache<UsageSnapshot>(
      options.usageMaxAgeMs ?? 10_000,
      options.now ?? Date.now,
      (snapshot) => snapshot.usage.unread.length === 0,
    );
    this.readConcurrency = options.readConcurrency ?? nodeConnections;
    if (!Number.isSafeInteger(this.readConcurrency) || this.readConcurrency < 1) {
      throw new RangeError(
        `readConcurrency must be a whole number >= 1, got ${this.readConcurrency}`,
      );
    }
    this.file = source.file ?? null;
    if ('policy' in source) {
      this.policy = source.policy;
      return;
    }
    try {
      this.policy = loadPolicyFile(source.file);
      log.info(`quota policy loaded from ${source.file}`);
    } catch (error) {
      this.policyError =
        error instanceof AppError
          ? error
          : new AppError('POLICY_INVALID', `No quota policy could be read from ${source.file}.`);
      log.error(`quota policy not loaded: ${this.policyError.message}`);
    }
  }

  /** The policy in force, or null when none could be loaded. */
  currentPolicy(): Policy | null {
    return this.policy;
  }

  /**
   * The limits of the signed-in user, their PVE groups included; fails when there is no policy or
   * it names neither the user nor any of their groups.
   */
  async limitsFor(api: PveApi, userid: string): Promise<UserLimits> {
    if (!this.policy) {
      throw this.policyError ?? new AppError('POLICY_INVALID', 'No quota policy is installed.');
    }
    const groups = await this.groupsOf(api, userid);
    // The policy may have been replaced while the groups were read.
    const policy = this.policy;
    const limits = resolveUserLimits(policy, userid, groups);
    if (!limits) {
      throw new AppError(
        'QUOTA_UNDEFINED',
        `The lab's quota policy has no entry for ${userid}, so ProxDesk cannot change anything for this account. Ask the lab admin to add one.`,
      );
    }
    return limits;
  }

  /** The signed-in user's PVE groups, read once per sign-in; a failed read is tried again. */
  groupsOf(api: PveApi, userid: string): Promise<string[]> {
    let groups = this.groups.get(api);
    if (groups === undefined) {
      groups = this.readGroups(api, userid);
      this.groups.set(api, groups);
      groups.catch(() => {
        if (this.groups.get(api) === groups) this.groups.delete(api);
      });
    }
    return groups;
  }

  /**
   * Validates a policy document and puts it in force, writing it to the policy file first. A bad
   * document throws POLICY_INVALID with every bad field in `details.fields`; nothing changes.
   */
  importPolicy(text: string): { policy: Policy; savedTo: string | null } {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof SyntaxError ? `: ${error.message}` : '';
      throw new AppError('POLICY_INVALID', `The policy is not valid JSON${detail}.`, {
        fields: { '(document)': `not valid JSON${detail}` },
      });
    }
    const parsed = parsePolicy(json);
    if (!parsed.ok) {
      const fields = Object.fromEntries(
        parsed.issues.map((issue) => [issue.path || '(top level)', issue.message]),
      );
      const count = Object.keys(fields).length;
      throw new AppError(
        'POLICY_INVALID',
        `The policy was not imported: ${count === 1 ? 'one field is' : `${count} fields are`} not valid. The previous policy stays in force.`,
        { fields },
      );
    }
    if (this.file !== null) this.writePolicyFile(this.file, text);
    this.policy = parsed.policy;
    this.policyError = null;
    this.invalidate();
    this.log.info(`quota policy replaced${this.file === null ? '' : ` and saved to ${this.file}`}`);
    return { policy: parsed.policy, savedTo: this.file };
  }

  /** Drops every cached snapshot; called before a committed change's reservation is released. */
  invalidate(): void {
    this.snapshots.invalidate();
  }

  /**
   * The user's guests, configs and usage: from the warm snapshot while it is fresh and nothing
   * was committed since it was read, else read from the cluster (configs in parallel). `fresh`
   * always reads the cluster, and keeps the result warm for the pricing that usually follows.
   */
  async snapshot(
    api: PveApi,
    userid: string,
    options: { fresh?: boolean } = {},
  ): Promise<UsageSnapshot> {
    // The first read of a sign-in also reads the user's groups, alongside the guest list.
    const limits = this.limitsFor(api, userid);
    // A warm snapshot does not wait for the limits; their failure is still thrown below.
    limits.catch(() => undefined);
    const key = `${this.apiId(api)}/${userid}`;
    const load = (): Promise<UsageSnapshot> => this.read(api, limits);
    const snapshot = await (options.fresh === true
      ? this.snapshots.refresh(key, load)
      : this.snapshots.get(key, load));
    await limits;
    return snapshot;
  }

  /** The guests' configs and missing volume sizes; see readGuests in guest-reading.ts. */
  readGuests<T extends { resource: GuestResource; node: string; type: 'qemu' | 'lxc' }>(
    api: PveApi,
    items: readonly T[],
    options: { skipDenied?: boolean } = {},
  ): ReturnType<typeof readGuests<T>> {
    return readGuests(api, items, this.readConcurrency, options);
  }

  /** Sizes the configs of `guests` leave out; see missingVolumeSizes in guest-reading.ts. */
  missingVolumeSizes(
    api: PveApi,
    guests: Parameters<typeof missingVolumeSizes>[1],
    options: Parameters<typeof missingVolumeSizes>[3] = {},
  ): Promise<Map<string, number>> {
    return missingVolumeSizes(api, guests, this.readConcurrency, options);
  }
  private async read(api: PveApi, pendingLimits: Promise<UserLimits>): Promise<UsageSnapshot> {
    const [limits, rows] = await Promise.all([pendingLimits, api.guests()]);
    const owned = rows
      .filter(isGuestRow)
      .filter((row) => row.pool !== undefined && limits.pools.includes(row.pool));
    const {
      read: guests,
      unread,
      sizes,
    } = await this.readGuests(
      api,
      owned.map((resource) => ({
        node: resource.node,
        type: resource.type,
        vmid: resource.vmid,
        pool: resource.pool ?? null,
        // A container without `cores` may use every core of its host; maxcpu says how many.
        hostCores: resource.maxcpu,
        resource,
      })),
    );
    const usage = computeUsage(limits, guests, (volume) => sizes.get(volume), unread);
    if (usage.problems.length > 0) {
      this.log.warn(
        `usage of ${limits.userid} skipped ${usage.problems.length} unreadable config values`,
      );
    }
    if (usage.unread.length > 0) {
      const nodes = [...new Set(usage.unread.map((guest) => guest.node))].join(', ');
      this.log.warn(
        `usage of ${limits.userid} left out ${usage.unread.length} guests on ${nodes}, which PVE cannot reach`,
      );
    }
    return { limits, rows, guests, usage };
  }

  private async readGroups(api: PveApi, userid: string): Promise<string[]> {
    const own = (await api.users()).find((user) => user.userid === userid);
    if (own === undefined) {
      // PVE always lists the caller; without that row, no group entry of the policy applies.
      this.log.warn(`PVE did not list ${userid} among the users, so no group limits apply`);
      return [];
    }
    this.log.info(
      `${userid} is in ${own.groups.length === 0 ? 'no PVE group' : `PVE groups ${own.groups.join(', ')}`}`,
    );
    return own.groups;
  }

  private apiId(api: PveApi): number {
    let id = this.apiIds.get(api);
    if (id === undefined) {
      id = this.nextApiId++;
      this.apiIds.set(api, id);
    }
    return id;
  }

  /** Writes next to the file and renames, so a crash never leaves half a policy behind. */
  private writePolicyFile(file: string, text: string): void {
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
      renameSync(temporary, file);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      throw new AppError(
        'INTERNAL',
        `The policy is valid but could not be saved to ${file}${typeof code === 'string' ? ` (${code})` : ''}; the previous policy stays in force.`,
      );
    }
  }
}
