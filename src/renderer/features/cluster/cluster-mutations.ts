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
