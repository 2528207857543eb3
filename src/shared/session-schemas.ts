import { z } from 'zod';
import { apiTokenIdSchema, apiTokenSecretSchema, clusterUrlSchema } from './ids';

// Schemas of the sign-in channels. None of them ever carries a ticket, a partial ticket, a CSRF
// token or a token secret outward: those stay in main.

const clusterNodeRefSchema = z.object({ url: z.string(), name: z.string().nullable() });

/**
 * The session moved to another node of its profile because the node in use stopped answering.
 * It is announced with `session:changed`, whose status then carries it, so the renderer can say
 * "pve1 stopped answering; now using pve2 (certificate checked)".
 */
export const nodeSwitchSchema = z.object({
  from: clusterNodeRefSchema,
  to: clusterNodeRefSchema,
  /** Why the old node was left: `refused the connection`, `did not answer in time`, ... */
  reason: z.string(),
  /** How the new node's certificate was checked: its own pin, or the cluster's root CA. */
  verifiedBy: z.enum(['pin', 'ca']),
  /** When, ISO 8601. */
  at: z.string(),
});

/** A signed-in session as the renderer sees it. */
export const signedInStatusSchema = z.object({
  signedIn: z.literal(true),
  /** The node in use; it changes when the session fails over to another node of the profile. */
  clusterUrl: z.string(),
  /** The last failover of this session; absent while it stays on the node it signed in on. */
  failover: nodeSwitchSchema.optional(),
  userid: z.string(),
  /** How the session proves itself: a PVE ticket, or an API token. */
  via: z.enum(['ticket', 'token']).optional(),
  /** When the current ticket stops being valid, ISO 8601; null for an API token. */
  expiresAt: z.string().nullable(),
  /** True when the ticket is kept on this computer ("Stay signed in"); absent otherwise. */
  staySignedIn: z.literal(true).optional(),
});

/**
 * The kept sign-in ("Stay signed in") that a start could not restore, and why in plain words, so
 * the sign-in page can say so; absent when there was none.
 */
export const restoreFailedSchema = z.object({
  userid: z.string(),
  clusterUrl: z.string(),
  reason: z.string(),
  /**
   * True when the cluster could not be reached, so the ticket is still kept: `session:restore`
   * or the next start tries it again. Absent when the kept sign-in was deleted.
   */
  stillKept: z.literal(true).optional(),
});

/** Second factors ProxDesk can answer. */
export const secondFactorMethodSchema = z.enum(['totp', 'recovery']);

/** The password was right and PVE asks for a second factor before there is a session. */
export const secondFactorNeededSchema = z.object({
  signedIn: z.literal(false),
  secondFactor: z.object({
    userid: z.string(),
    methods: z.array(secondFactorMethodSchema).min(1),
    /** When this sign-in attempt is forgotten and must start again, ISO 8601. */
    expiresAt: z.string(),
  }),
});

/** What the password step gives: signed in, or asked for a second factor. */
export const loginResultSchema = z.discriminatedUnion('signedIn', [
  signedInStatusSchema,
  secondFactorNeededSchema,
]);

/** The second step's input: a six-digit TOTP code, or one recovery key. */
export const secondFactorInputSchema = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('totp'),
    // Authenticator apps show the code as `123 456`; the spaces are not part of it.
    code: z
      .string()
      .max(16)
      .transform((code) => code.replace(/\s+/g, ''))
      .pipe(z.string().regex(/^\d{6}$/, 'a TOTP code is six digits')),
  }),
  z.strictObject({
    method: z.literal('recovery'),
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){1,15}$/, 'a recovery key looks like 1a2b-3c4d-…'),
  }),
]);

/** API-token sign-in. Without `secret`, the secret remembered for this token is used. */
export const tokenLoginInputSchema = z.strictObject({
  url: clusterUrlSchema,
  tokenId: apiTokenIdSchema,
  secret: apiTokenSecretSchema.optional(),
  /** Keep the secret in the OS keychain; false with a typed secret forgets a remembered one. */
  remember: z.boolean().default(false),
});

/** Which token ids have a remembered secret for a cluster. */
export const rememberedTokensSchema = z.array(z.string());

/** Types the renderer uses. */
export type SignedInStatus = z.infer<typeof signedInStatusSchema>;
export type NodeSwitchNotice = z.infer<typeof nodeSwitchSchema>;
export type LoginResult = z.infer<typeof loginResultSchema>;
export type RestoreFailed = z.infer<typeof restoreFailedSchema>;
export type SecondFactorMethod = z.infer<typeof secondFactorMethodSchema>;
