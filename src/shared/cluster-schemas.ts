import { z } from 'zod';
import { clusterUrlSchema, fingerprintSchema, nodeNameSchema } from './ids';

// Schemas of the cluster-profile channels: a profile is a name and the addresses of a cluster's
// nodes, each trusted on its own (its pinned certificate, or the cluster's root CA).

/** A cluster profile's id, as ProxDesk makes them. */
export const profileIdSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/, 'not a cluster profile id');

/**
 * A profile's name as people give it. Control and format characters (bidi overrides, zero-width
 * spaces), line separators and lone surrogates are refused: they hide or reorder what a name shows.
 */
export const profileNameSchema = z
  .string()
  .trim()
  .min(1, 'give the profile a name')
  .max(64)
  .regex(/^[^\p{Cc}]*$/u, 'a name has no control characters')
  .regex(/^[^\p{Cf}\p{Zl}\p{Zp}]*$/u, 'a name has no invisible or direction-changing characters')
  .regex(/^[^\p{Cs}]*$/u, 'a name has no broken characters (lone surrogates)');

/** One node of a profile and how ProxDesk trusts it. */
export const profileNodeSchema = z.object({
  url: z.string(),
  /** The PVE node name, once ProxDesk has learned it. */
  name: z.string().nullable(),
  /** `none`: no certificate confirmed yet; such a node is never used. */
  trust: z.enum(['pin', 'ca', 'none']),
  /** The pinned certificate's fingerprint, or the trusted root CA's; null for `none`. */
  fingerprint: z.string().nullable(),
});

/** A cluster profile with the trust of each node. */
export const clusterProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** `ca` when a root CA is trusted for the profile, which then vouches for nodes added to it. */
  trust: z.enum(['pins', 'ca']),
  nodes: z.array(profileNodeSchema),
});

/** Every profile, and the one in use (with the node in use) when signed in. */
export const clusterProfilesSchema = z.object({
  profiles: z.array(clusterProfileSchema),
  inUse: z.object({ profileId: z.string(), url: z.string() }).nullable(),
});

/** A node PVE lists in `/cluster/status`, offered for the profile in use. */
export const discoveredNodeSchema = z.object({
  name: z.string(),
  ip: z.string(),
  /** `https://<ip>:<port of the node in use>`, or null when PVE's values are not a usable address. */
  url: z.string().nullable(),
  online: z.boolean(),
  /** Whether the profile already has this node (then it is not offered). */
  inProfile: z.boolean(),
  /** Why the node cannot be added, when it cannot. */
  problem: z.string().nullable(),
});

/** What `cluster:discover` found. */
export const discoveryResultSchema = z.object({
  profileId: z.string(),
  nodes: z.array(discoveredNodeSchema),
});

/**
 * Adds a node to a profile, through a session signed in on that profile: with the fingerprint the
 * user confirmed, for an address the cluster status lists; without one only when the profile's
 * root CA issued the node's certificate.
 */
export const addNodeInputSchema = z.strictObject({
  profileId: profileIdSchema,
  url: clusterUrlSchema,
  name: nodeNameSchema.optional(),
  fingerprint: fingerprintSchema.optional(),
});

/** Renames a profile. */
export const renameProfileInputSchema = z.strictObject({
  profileId: profileIdSchema,
  name: profileNameSchema,
});

/** Types the renderer uses. */
export type ClusterProfileInfo = z.infer<typeof clusterProfileSchema>;
export type ClusterProfilesInfo = z.infer<typeof clusterProfilesSchema>;
export type DiscoveredNode = z.infer<typeof discoveredNodeSchema>;
