import { AppError } from '../../../shared/errors';
import { X509Certificate } from 'node:crypto';
import { caRefusal } from '../../pve/ca-trust';
import { fetchCertificate, fetchPeerCertificate, hostAndPort } from '../../pve/tls';
import type { HandlerGroup } from '../context';

/** Connecting to a cluster: its certificate, trusting it, its realms. */
export const clusterHandlers: HandlerGroup<
  'app:info' | 'cluster:probe' | 'cluster:trust' | 'cluster:realms'
> = {
  'app:info': async (_input, { settings }) => ({
    version: settings.version,
    defaultClusterUrl: settings.defaultClusterUrl,
  }),

  'cluster:probe': async ({ url }, { trust, settings }) => {
    const { presented, der } = await fetchPeerCertificate(url, settings.probeTimeoutMs);
    const pin = trust.get(url);
    const ca = trust.ca(url);
    const pinState = !pin
      ? 'new'
      : pin.fingerprint === presented.fingerprint
        ? 'trusted'
        : 'mismatch';
    if (!ca)
      return { url, ...presented, pinnedFingerprint: pin?.fingerprint ?? null, trust: pinState };
    // A trusted CA decides on its own: connections then check the chain, not the pin, so no pin
    // is reported and a refusal is not one that re-pinning could fix.
    const issued = caRefusal(der, new X509Certificate(ca.certPem), hostAndPort(url).host) === null;
    return {
      url,
      ...presented,
      pinnedFingerprint: null,
      trust: issued ? 'trusted-ca' : 'mismatch',
    };
  },

  'cluster:trust': async ({ url, fingerprint }, { trust, profiles, settings, log }) => {
    // Pin only what the node presents right now: the renderer cannot make ProxDesk trust a
    // fingerprint it made up or kept from an earlier probe of a different server.
    const presented = await fetchCertificate(url, settings.probeTimeoutMs);
    if (presented.fingerprint !== fingerprint) {
      throw new AppError(
        'CERT_MISMATCH',
        `${url} now presents a different certificate from the one you compared. Nothing was trusted.`,
        // Nothing is pinned here: only the fingerprint the node presents is worth showing.
        { presentedFingerprint: presented.fingerprint },
      );
    }
    const pin = trust.pin(url, fingerprint);
    // A newly trusted address is a cluster of its own until its other nodes are added to it.
    profiles.ensureForAddress(url);
    log.info(`pinned the certificate of ${url}`);
    return { url, fingerprint: pin.fingerprint };
  },

  'cluster:realms': async ({ url }, { sessions }) => {
    const domains = await sessions.anonymousApi(url).domains();
    return domains.map((domain) => ({
      realm: domain.realm,
      type: domain.type,
      comment: domain.comment,
      default: domain.default === true,
    }));
  },
};
