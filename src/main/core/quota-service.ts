import pLimit from 'p-limit';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { ClusterResource, GuestConfig, PveApi } from '../pve/api';
import { parseGuestVolumes } from '../pve/volumes';
import { computeUsage, type GuestForUsage, type Usage } from '../quota/usage';
import { loadPolicyFile, resolveUserLimits, type Policy, type UserLimits } from '../quota/policy';
import { isGuestRow, isOwned, type GuestResource } from './ownership';

/** Configs read at once while computing usage. */
const configConcurrency = 8;

/** A user's owned guests with their configs, and the usage derived from them. */
export interface UsageSnapshot {
  limits: UserLimits;
  /** Every row of `/cluster/resources` the user may see, owned or not. */
  rows: ClusterResource[];
  guests: Array<GuestForUsage & { resource: GuestResource; config: GuestConfig }>;
  usage: Usage;
}

/** Where the quota policy comes from. */
export type PolicySource = { policy: Policy } | { file: string };

/** Loads the policy and derives usage from the live cluster. */
export class QuotaService {
  private policy: Policy | null = null;
  private policyError: AppError | null = null;

  constructor(
    source: PolicySource,
    private readonly log: Logger,
  ) {
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

  /** The limits of one user; fails when there is no policy or it does not name the user. */
  limitsFor(userid: string): UserLimits {
    if (!this.policy) {
      throw this.policyError ?? new AppError('POLICY_INVALID', 'No quota policy is installed.');
    }
    const limits = resolveUserLimits(this.policy, userid);
    if (!limits) {
      throw new AppError(
        'QUOTA_UNDEFINED',
        `The lab's quota policy has no entry for ${userid}, so ProxDesk cannot change anything for this account. Ask the lab admin to add one.`,
      );
    }
    return limits;
  }

  /** Reads the user's guests and their configs (in parallel) and computes usage. */
  async snapshot(api: PveApi, userid: string): Promise<UsageSnapshot> {
    const limits = this.limitsFor(userid);
    const rows = await api.guests();
    const owned = rows.filter(isGuestRow).filter((row) => isOwned(row, limits));
    const limit = pLimit(configConcurrency);
    const guests = await Promise.all(
      owned.map((resource) =>
        limit(async () => ({
          node: resource.node,
          type: resource.type,
          vmid: resource.vmid,
          pool: resource.pool ?? null,
          // A container without `cores` may use every core of its host; maxcpu says how many.
          hostCores: resource.maxcpu,
          resource,
          config: await api.config(resource.node, resource.type, resource.vmid),
        })),
      ),
    );
    const sizes = await this.missingVolumeSizes(api, guests);
    const usage = computeUsage(limits, guests, (volume) => sizes.get(volume));
    if (usage.problems.length > 0) {
      this.log.warn(`usage of ${userid} skipped ${usage.problems.length} unreadable config values`);
    }
    return { limits, rows, guests, usage };
  }

  /**
   * Unused volumes often carry no `size=` in the config; their size comes from the storage's
   * content listing, read once per node and storage that has such a volume.
   */
  private async missingVolumeSizes(
    api: PveApi,
    guests: ReadonlyArray<{ node: string; type: 'qemu' | 'lxc'; config: GuestConfig }>,
  ): Promise<Map<string, number>> {
    const wanted = new Map<string, { node: string; storage: string }>();
    for (const guest of guests) {
      for (const volume of parseGuestVolumes(guest.type, guest.config).volumes) {
        if (volume.sizeBytes !== null || volume.storage === null) continue;
        if (volume.kind !== 'disk' && volume.kind !== 'unused') continue;
        wanted.set(`${guest.node}/${volume.storage}`, {
          node: guest.node,
          storage: volume.storage,
        });
      }
    }
    const sizes = new Map<string, number>();
    const limit = pLimit(configConcurrency);
    await Promise.all(
      [...wanted.values()].map(({ node, storage }) =>
        limit(async () => {
          for (const item of await api.storageContent(node, storage)) {
            if (item.size !== undefined) sizes.set(item.volid, item.size);
          }
        }),
      ),
    );
    return sizes;
  }
}
