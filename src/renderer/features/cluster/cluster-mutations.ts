import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import type { CertificateInfo, ChannelOutput } from '../../../shared/contract';
import { callChannel } from '../../api';
import { clusterKeys, discoveryKeys } from './cluster-queries';

/** Fetches a node's certificate and how it compares with the pin ProxDesk holds. */
export function useProbeCluster(): UseMutationResult<CertificateInfo, Error, string> {
  return useMutation({
    mutationFn: (url: string) => callChannel('cluster:probe', { url }),
  });
}

/** What trusting a certificate asks for. */
export interface TrustVariables {
  url: string;
  fingerprint: string;
}

/** Pins the certificate the user compared. */
export function useTrustCertificate(): UseMutationResult<
  ChannelOutput<'cluster:trust'>,
  Error,
  TrustVariables
> {
  return useMutation({
    mutationFn: ({ url, fingerprint }: TrustVariables) =>
      callChannel('cluster:trust', { url, fingerprint }),
  });
}

/** What replacing a pin asks for: the pin and the certificate the user was shown. */
export interface RepinVariables {
  url: string;
  pinnedFingerprint: string;
  presentedFingerprint: string;
}

/** Replaces a node's pin with the certificate it presents now, after a second confirmation. */
export function useRepinCertificate(): UseMutationResult<
  ChannelOutput<'cluster:repin'>,
  Error,
  RepinVariables
> {
  return useMutation({
    mutationFn: (variables: RepinVariables) => callChannel('cluster:repin', variables),
  });
}

/** What trusting a root CA asks for. */
export interface TrustCaVariables {
  url: string;
  caPem: string;
}

/** Trusts the cluster's root CA for a node whose certificate it issued. */
export function useTrustCa(): UseMutationResult<
  ChannelOutput<'cluster:trust-ca'>,
  Error,
  TrustCaVariables
> {
  return useMutation({
    mutationFn: (variables: TrustCaVariables) => callChannel('cluster:trust-ca', variables),
  });
}

/** What adding a node to a profile asks for; `fingerprint` is the one the user confirmed. */
export interface AddNodeVariables {
  profileId: string;
  url: string;
  name?: string;
  fingerprint?: string;
}

/** Adds a node to a profile, then refreshes the profiles and the discovery list. */
export function useAddNode(): UseMutationResult<
  ChannelOutput<'cluster:add-node'>,
  Error,
  AddNodeVariables
> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: AddNodeVariables) => callChannel('cluster:add-node', variables),
    onSuccess: async (_added, variables) => {
      await Promise.all([
        client.invalidateQueries({ queryKey: clusterKeys.profiles() }),
        client.invalidateQueries({ queryKey: discoveryKeys.profile(variables.profileId) }),
      ]);
    },
  });
}

/**
 * Connects to a profile: asks its nodes in order for their certificate and takes the first whose
 * certificate is the trusted one. A node that does not answer is skipped; a changed certificate
 * stops the search, so it is shown rather than passed over.
 */
export function useConnectProfile(): UseMutationResult<CertificateInfo, Error, string[]> {
  return useMutation({
    mutationFn: async (urls: string[]) => {
      let lastError: unknown = new Error('This profile has no nodes.');
      for (const url of urls) {
        try {
          const certificate = await callChannel('cluster:probe', { url });
          if (certificate.trust === 'trusted' || certificate.trust === 'trusted-ca') {
            return certificate;
          }
          if (certificate.trust === 'mismatch') return certificate;
        } catch (error) {
          lastError = error;
        }
      }
      throw lastError;
    },
  });
}

/** Renames a cluster profile, then refreshes the profiles. */
export function useRenameProfile(): UseMutationResult<
  ChannelOutput<'cluster:rename-profile'>,
  Error,
  { profileId: string; name: string }
> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: { profileId: string; name: string }) =>
      callChannel('cluster:rename-profile', variables),
    onSuccess: () => client.invalidateQueries({ queryKey: clusterKeys.profiles() }),
  });
}
