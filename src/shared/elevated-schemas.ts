import { z } from 'zod';
import { apiTokenIdSchema, apiTokenSecretSchema } from './ids';

// Schemas of the elevated-mode channels. The token's secret goes in with `elevated:install` and
// never comes back out: every answer names the token, never its secret.

/** The lab token installed for a cluster, as anyone may see it. */
export const installedTokenSchema = z.object({
  tokenId: z.string(),
  /** The admin who installed it. */
  installedBy: z.string(),
  /** When it was installed, ISO 8601. */
  installedAt: z.string(),
});

/** Whether changes to the signed-in session's cluster are committed with a lab token. */
export const elevatedStatusSchema = z.object({
  /** The cluster profile's name, as the cluster panel shows it. */
  cluster: z.string(),
  token: installedTokenSchema.nullable(),
});

/** A lab admin installs a privileged API token for the cluster they are signed in to. */
export const elevatedInstallInputSchema = z.strictObject({
  tokenId: apiTokenIdSchema,
  secret: apiTokenSecretSchema,
});

/** The installed token of a cluster. */
export type InstalledToken = z.infer<typeof installedTokenSchema>;
/** What `elevated:status` answers. */
export type ElevatedStatus = z.infer<typeof elevatedStatusSchema>;
