import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { KeyValueStore } from './key-value-store';
import { ParsedSetting } from './parsed-setting';
import { nodeAddressKey } from './node-address';
import type { Pin, TrustStore, TrustedCa } from './trust-store';

// Cluster profiles: a name and the addresses of a cluster's nodes, in the order ProxDesk tries
// them. How each node is trusted stays in the TrustStore, per address, so every node keeps its
// own pin (or the cluster's root CA) and trust stored before profiles existed is used unchanged.

const profilesKey = 'cluster.profiles';

const nodeSchema = z.object({
  url: z.string(),
  name: z.string().nullable(),
  /**
   * How the node was shown to be a member of the cluster when it was added: listed by the
   * cluster status, or certified by the cluster's root CA. The first node needs no proof: it is
   * the address the user chose to trust and sign in on.
   */
  memberBy: z.enum(['cluster-status', 'root-ca']).optional(),
});
const profileSchema = z.object({
  id: z.string(),
  name: z.string(),
  nodes: z.array(nodeSchema).min(1),
  createdAt: z.string(),
});
const profilesSchema = z.array(profileSchema);

/** A cluster profile as stored. */
export type ClusterProfile = z.infer<typeof profileSchema>;

/** How one node address is trusted. */
export type NodeTrustState =
  { kind: 'pin'; fingerprint: string } | { kind: 'ca'; fingerprint: string } | { kind: 'none' };

/** The cluster profiles, kept in the settings store beside the trust of each address. */
export class ClusterProfiles {
  private readonly profiles: ParsedSetting<ClusterProfile[]>;

  constructor(
    private readonly store: KeyValueStore,
    private readonly trust: TrustStore,
    private readonly now: () => number,
    private readonly newId: () => string = randomUUID,
  ) {
    this.profiles = new ParsedSetting(store, profilesKey, (stored) => this.parseProfiles(stored));
  }

  /**
   * Every profile. The first read after an upgrade turns each address trusted before profiles
   * existed into a profile of its own; the pins themselves are not touched.
   */
  list(): ClusterProfile[] {
    return this.profiles.read();
  }

  private parseProfiles(stored: unknown): ClusterProfile[] {
    if (stored === undefined) {
      const migrated = this.trust.addresses().map((url) => this.fresh(hostOf(url), url));
      if (migrated.length > 0) this.store.set(profilesKey, migrated);
      return migrated;
    }
    const parsed = profilesSchema.safeParse(stored);
    if (!parsed.success) {
      throw new AppError(
        'INTERNAL',
        'The stored cluster profiles are unreadable; the trusted certificates are kept apart and are not affected.',
      );
    }
    return parsed.data;
  }

  /** One profile; NOT_FOUND when there is none with this id. */
  get(id: string): ClusterProfile {
    const profile = this.list().find((candidate) => candidate.id === id);
    if (!profile) throw new AppError('NOT_FOUND', 'There is no such cluster profile.');
    return profile;
  }

  /** The profile a node address belongs to, however the address is spelled, or null. */
  findByUrl(url: string): ClusterProfile | null {
    const key = nodeAddressKey(url);
    return (
      this.list().find((profile) =>
        profile.nodes.some((node) => nodeAddressKey(node.url) === key),
      ) ?? null
    );
  }

  /**
   * Refuses an address that is already a node of a profile, under any spelling: CONFLICT, naming
   * the profile and the address it is listed as. A node of this profile that was never shown to be
   * a member is not refused: adding it again is how it is proven. NOT_FOUND for no such profile.
   */
  assertFree(id: string, url: string): void {
    const profile = this.get(id);
    const key = nodeAddressKey(url);
    const owner = this.findByUrl(url);
    const listed = owner?.nodes.find((node) => nodeAddressKey(node.url) === key);
    if (!owner || !listed) return;
    if (owner.id === profile.id && !this.isProvenMember(profile.id, listed.url)) return;
    const where =
      owner.id === profile.id
        ? 'already a node of this profile'
        : `already a node of the cluster profile "${owner.name}"`;
    throw new AppError(
      'CONFLICT',
      `${hostOf(url)} is ${where}, as ${listed.url}. Nothing was added.`,
    );
  }

  /**
   * Whether a node of the profile was shown to be a member of its cluster, so that a session may
   * send its credentials there: the profile's first node, a node added with a proof, or a node
   * whose certificate the cluster's root CA must vouch for on every connection.
   */
  isProvenMember(id: string, url: string): boolean {
    const profile = this.list().find((candidate) => candidate.id === id);
    const key = nodeAddressKey(url);
    const at = profile?.nodes.findIndex((node) => nodeAddressKey(node.url) === key) ?? -1;
    const node = profile?.nodes[at];
    if (!node) return false;
    return at === 0 || node.memberBy !== undefined || this.trust.ca(node.url) !== null;
  }

  /** The profile of an address, creating one named after its host when it has none. */
  ensureForAddress(url: string): ClusterProfile {
    const existing = this.findByUrl(url);
    if (existing) return existing;
    const profile = this.fresh(hostOf(url), url);
    this.store.set(profilesKey, [...this.list(), profile]);
    return profile;
  }

  /** Renames a profile. */
  rename(id: string, name: string): ClusterProfile {
    return this.update(id, (profile) => ({ ...profile, name }));
  }

  /**
   * Adds a node that the cluster status listed to a profile, after pinning its certificate. A
   * different pin already stored for the address is refused (CERT_MISMATCH) and the profile is
   * left as it was.
   */
  addPinnedNode(id: string, node: { url: string; name: string | null }, fingerprint: string): Pin {
    this.assertFree(id, node.url);
    const pin = this.trust.pin(node.url, fingerprint);
    this.addNode(id, { ...node, memberBy: 'cluster-status' });
    return pin;
  }

  /** Adds a node to a profile whose certificate the profile's root CA issued. */
  addCaNode(id: string, node: { url: string; name: string | null }, ca: TrustedCa): TrustedCa {
    this.assertFree(id, node.url);
    const trusted = this.trust.trustCa(node.url, ca.certPem, ca.fingerprint);
    this.addNode(id, { ...node, memberBy: 'root-ca' });
    return trusted;
  }

  /** Records the PVE node names of a profile's addresses (names only, never trust). */
  nameNodes(id: string, names: ReadonlyArray<{ url: string; name: string }>): ClusterProfile {
    return this.update(id, (profile) => ({
      ...profile,
      nodes: profile.nodes.map((node) => ({
        ...node,
        name: names.find((named) => named.url === node.url)?.name ?? node.name,
      })),
    }));
  }

  /** How an address is trusted: a root CA takes precedence over a pin, as in connections. */
  trustOf(url: string): NodeTrustState {
    const ca = this.trust.ca(url);
    if (ca) return { kind: 'ca', fingerprint: ca.fingerprint };
    const pin = this.trust.get(url);
    return pin ? { kind: 'pin', fingerprint: pin.fingerprint } : { kind: 'none' };
  }

  /** The root CA trusted for any node of the profile, which then vouches for new nodes too. */
  profileCa(id: string): TrustedCa | null {
    for (const node of this.get(id).nodes) {
      const ca = this.trust.ca(node.url);
      if (ca) return ca;
    }
    return null;
  }

  /** Appends a proven node, or records the proof of the unproven node at the same address. */
  private addNode(id: string, node: ClusterProfile['nodes'][number]): void {
    const key = nodeAddressKey(node.url);
    this.update(id, (profile) => {
      const at = profile.nodes.findIndex((known) => nodeAddressKey(known.url) === key);
      const nodes =
        at < 0
          ? [...profile.nodes, node]
          : profile.nodes.map((known, index) => (index === at ? node : known));
      return { ...profile, nodes };
    });
  }

  private update(id: string, change: (profile: ClusterProfile) => ClusterProfile): ClusterProfile {
    const profiles = this.list();
    const index = profiles.findIndex((profile) => profile.id === id);
    const profile = profiles[index];
    if (!profile) throw new AppError('NOT_FOUND', 'There is no such cluster profile.');
    const changed = change(profile);
    this.store.set(
      profilesKey,
      profiles.map((item, at) => (at === index ? changed : item)),
    );
    return changed;
  }

  private fresh(name: string, url: string): ClusterProfile {
    return {
      id: this.newId(),
      name,
      nodes: [{ url, name: null }],
      createdAt: new Date(this.now()).toISOString(),
    };
  }
}

function hostOf(url: string): string {
  return new URL(url).host;
}
