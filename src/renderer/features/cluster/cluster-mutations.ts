import { useMutation, type UseMutationResult } from '@tanstack/react-query';
import type { CertificateInfo, ChannelOutput } from '../../../shared/contract';
import { callChannel } from '../../api';

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
