import type { NetworkInterface } from '../../../shared/contract';
import { formatRate } from '../../../shared/units';

/** How an interface's rate reads: its limit, or "No limit" (which the quota still counts). */
export function rateText(network: Pick<NetworkInterface, 'rateBytesPerSecond'>): string {
  return network.rateBytesPerSecond === null ? 'No limit' : formatRate(network.rateBytesPerSecond);
}
