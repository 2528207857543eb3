import { z } from 'zod';
import { clusterUrlSchema } from '../../../shared/ids';

/** Adds `https://` when the user typed only a host, since PVE's API is HTTPS only. */
export function withScheme(value: string): string {
  const trimmed = value.trim();
  return trimmed === '' || trimmed.includes('://') ? trimmed : `https://${trimmed}`;
}

/** The connect form: one cluster address, checked with the contract's own rules. */
export const connectFormSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, { error: 'Enter the address of a node, such as https://pve1.example.org:8006.' })
    .transform(withScheme)
    .pipe(clusterUrlSchema),
});
