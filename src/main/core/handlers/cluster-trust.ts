import { AppError } from '../../../shared/errors';
import { caRefusal, parseCaCertificate } from '../../pve/ca-trust';
import { fetchPeerCertificate, hostAndPort } from '../../pve/tls';
import type { HandlerGroup } from '../context';

/** Changing how a node is trusted: replacing its pin, or trusting the cluster's root CA. */
export const clusterTrustHandlers: HandlerGroup<'cluster:repin' | 'cluster:trust-ca'> = {
  'cluster:repin': async (
    { url, pinnedFingerprint, presentedFingerprint },
    { trust, sessions, settings, log },
  ) => {
    // Both fingerprints must be the ones the renderer showed: the stored pin and what the node
    // presents right now. Anything else means the user agreed to something else.
    if (trust.ca(url)) {
      throw new AppError(
        'CONFLICT',
        `A root CA is trusted for ${url}, so its pin is not used. Nothing was replaced.`,
      );
    }
    const pin = trust.get(url);
    if (!pin || pin.fingerprint !== pinnedFingerprint) {
      throw new AppError(
        'CERT_MISMATCH',
        `The certificate trusted for ${url} is not the one you were shown. Nothing was replaced.`,
        pin ? { pinnedFingerprint: pin.fingerprint } : {},
      );
    }
    const { presented } = await fetchPeerCertificate(url, settings.probeTimeoutMs);
    if (presented.fingerprint !== presentedFingerprint) {
      throw new AppError(
        'CERT_MISMATCH',
        `${url} now presents a different certificate from the one you compared. Nothing was replaced.`,
        { pinnedFingerprint: pin.fingerprint, presentedFingerprint: presented.fingerprint },
      );
    }
    const replaced = trust.replace(url, pinnedFingerprint, presentedFingerprint);
    await sessions.trustChanged(url);
    log.warn(`replaced the pinned certificate of ${url}`);
    return { url, fingerprint: replaced.fingerprint };
  },

  'cluster:trust-ca': async ({ url, caPem }, { trust, profiles, sessions, settings, log }) => {
    const ca = parseCaCertificate(caPem);
    const { der } = await fetchPeerCertificate(url, settings.probeTimeoutMs);
    const refusal = caRefusal(der, ca, hostAndPort(url).host);
    if (refusal !== null) {
      throw new AppError(
        'TLS_ERROR',
        `This root CA does not vouch for ${new URL(url).host}: ${refusal}. Nothing was trusted.`,
      );
    }
    const stored = trust.trustCa(url, ca.toString(), ca.fingerprint256);
    profiles.ensureForAddress(url);
    await sessions.trustChanged(url);
    log.info(`trusted the root CA ${ca.subject.replace(/\n/g, ', ')} for ${url}`);
    return { url, caFingerprint: stored.fingerprint, caSubject: ca.subject.replace(/\n/g, ', ') };
  },
};
