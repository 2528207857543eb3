import { AppError } from '../../shared/errors';
import { isoVolumeSchema } from '../../shared/disk-create-schemas';
import {
  containerTemplateVolumeSchema,
  type MediaContent,
  type MediaVolume,
} from '../../shared/instance-create-schemas';
import type { PveApi } from '../pve/api';
import { isNodeAllowed, type MediaRule, type UserLimits } from '../quota/limits';
import { compileMatcher } from '../quota/match';

// Installation media: the ISO images and container templates a user may use on a node. They are
// what the node's storages list to the user (PVE shows ISOs and templates to anyone who may use
// the storage), narrowed by the policy's allow list for the kind.

const kindWord: Record<MediaContent, string> = { iso: 'ISO image', vztmpl: 'container template' };

/** Throws QUOTA_EXCEEDED when the policy does not let the user place guests on the node. */
export function requireAllowedNode(limits: UserLimits, node: string): void {
  if (isNodeAllowed(limits, node)) return;
  const allowed = (limits.nodes ?? []).join(', ') || 'none';
  throw new AppError(
    'QUOTA_EXCEEDED',
    `The quota policy does not let you place guests on ${node} (allowed: ${allowed}).`,
    { fields: { node: 'not one of your nodes' } },
  );
}

function rulesFor(limits: UserLimits, content: MediaContent): MediaRule[] | null {
  return content === 'iso' ? limits.isoImages : limits.containerTemplates;
}

/** The rule that allows a volume: `undefined` when none does, null when the kind is not listed. */
function allowingRule(
  rules: readonly MediaRule[] | null,
  volid: string,
): MediaRule | null | undefined {
  if (rules === null) return null;
  return rules.find((rule) => compileMatcher(rule.match)(volid));
}

function wellFormed(content: MediaContent, volid: string): boolean {
  const schema = content === 'iso' ? isoVolumeSchema : containerTemplateVolumeSchema;
  return schema.safeParse(volid).success;
}

/**
 * The ISO images or container templates on the node's storages that the user may read and the
 * policy allows, sorted by volume id. A storage whose listing PVE refuses is left out.
 */
export async function listMedia(
  api: PveApi,
  limits: UserLimits,
  node: string,
  content: MediaContent,
): Promise<MediaVolume[]> {
  requireAllowedNode(limits, node);
  const rules = rulesFor(limits, content);
  const storages = (await api.nodeStorages(node, content)).filter(
    (row) => row.enabled !== false && row.active !== false,
  );
  const listings = await Promise.all(
    storages.map((row) =>
      api.storageContent(node, row.storage, undefined, content).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'PVE_PERMISSION') return [];
        throw error;
      }),
    ),
  );
  const result: MediaVolume[] = [];
  storages.forEach((row, index) => {
    for (const volume of listings[index] ?? []) {
      if (volume.content !== content || !wellFormed(content, volume.volid)) continue;
      const rule = allowingRule(rules, volume.volid);
      if (rule === undefined) continue;
      result.push({
        volid: volume.volid,
        storage: row.storage,
        sizeBytes: volume.size ?? null,
        name: volume.volid.slice(volume.volid.indexOf('/') + 1),
        label: rule?.label ?? null,
      });
    }
  });
  return result.sort((a, b) => (a.volid < b.volid ? -1 : a.volid > b.volid ? 1 : 0));
}

/**
 * Checks that an ISO or container template may be used: allowed by the policy (refused as
 * QUOTA_EXCEEDED) and listed on the node to the user (refused as NOT_FOUND). The volume id names
 * its storage, so only that storage's listing of the kind is read.
 */
export async function requireListedMedia(
  api: PveApi,
  limits: UserLimits,
  node: string,
  content: MediaContent,
  volid: string,
  field: string,
): Promise<void> {
  if (allowingRule(rulesFor(limits, content), volid) === undefined) {
    throw new AppError(
      'QUOTA_EXCEEDED',
      `The quota policy does not allow the ${kindWord[content]} ${volid}.`,
      { fields: { [field]: 'not allowed by the quota policy' } },
    );
  }
  requireAllowedNode(limits, node);
  const notListed = (why = ''): AppError =>
    new AppError(
      'NOT_FOUND',
      `${volid} is not a ${kindWord[content]} that the storages of ${node} list to you.${why}`,
      { fields: { [field]: `not listed on ${node}` } },
    );
  if (!wellFormed(content, volid)) throw notListed();
  const storage = volid.slice(0, volid.indexOf(':'));
  const listing = await api
    .storageContent(node, storage, undefined, content)
    .catch((error: unknown) => {
      if (isRefusedListing(error)) throw notListed(` ${error.message}`);
      throw error;
    });
  if (!listing.some((volume) => volume.volid === volid && volume.content === content)) {
    throw notListed();
  }
}

/**
 * Whether PVE answered a listing with a refusal of the storage itself: no permission on it (403)
 * or a 500, which is how PVE refuses a storage that does not exist, is not on the node, is
 * disabled or is not online (it activates the storage before it lists it). A node or cluster that
 * does not answer is not a refusal and stays the error it is.
 */
function isRefusedListing(error: unknown): error is AppError {
  if (!(error instanceof AppError)) return false;
  return error.code === 'PVE_PERMISSION' || error.details?.status === 500;
}
