import { z } from 'zod';

/** Every error code that can cross the IPC boundary. Stable: the renderer switches on them. */
export const errorCodes = [
  'INVALID_INPUT',
  'UNTRUSTED_SENDER',
  'NOT_SIGNED_IN',
  'SESSION_EXPIRED',
  'PVE_AUTH',
  'PVE_PERMISSION',
  'PVE_VALIDATION',
  'PVE_UNREACHABLE',
  'CLUSTER_UNREACHABLE',
  'PVE_TIMEOUT',
  'PVE_ERROR',
  'CERT_MISMATCH',
  'CERT_NOT_TRUSTED',
  'TLS_ERROR',
  'QUOTA_EXCEEDED',
  'QUOTA_UNDEFINED',
  'NOT_OWNED',
  'NOT_FOUND',
  'CONFLICT',
  'LOCKED',
  'TASK_FAILED',
  'TASK_TIMEOUT',
  'OUTCOME_UNKNOWN',
  'POLICY_INVALID',
  'NOT_ADMIN',
  'INTERNAL',
] as const;

/** A stable machine-readable error code. */
export type ErrorCode = (typeof errorCodes)[number];

/** One resource that a change would overspend, in the resource's base unit. */
export const quotaShortfallSchema = z.object({
  resource: z.string(),
  label: z.string(),
  unit: z.enum(['count', 'bytes', 'bytesPerSecond']),
  limit: z.number(),
  used: z.number(),
  requested: z.number(),
  shortfall: z.number(),
});

/** A resource that a change would overspend. */
export type QuotaShortfall = z.infer<typeof quotaShortfallSchema>;

/** The error half of an IPC envelope. */
export const appErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z
    .object({
      /** Per-resource shortfalls of a refused change (QUOTA_EXCEEDED). */
      shortfalls: z.array(quotaShortfallSchema).optional(),
      /** Per-parameter errors, as PVE or the input parser reported them. */
      fields: z.record(z.string(), z.string()).optional(),
      /** Pinned and presented fingerprints (CERT_MISMATCH). */
      pinnedFingerprint: z.string().optional(),
      presentedFingerprint: z.string().optional(),
      /** HTTP status PVE answered with, when there was one. */
      status: z.number().optional(),
      /** The task that failed or timed out. */
      upid: z.string().optional(),
      /** Each node tried and why it was not used (CLUSTER_UNREACHABLE). */
      nodes: z
        .array(
          z.object({
            url: z.string(),
            name: z.string().nullable(),
            reason: z.string(),
            pinnedFingerprint: z.string().optional(),
            presentedFingerprint: z.string().optional(),
          }),
        )
        .optional(),
      /**
       * SESSION_EXPIRED only: true when the failed call provably committed nothing (no write
       * reached PVE, or every one was refused 401), so it may run again once the same user has
       * signed in again; false when a write may have been applied and must not be repeated.
       */
      resumable: z.boolean().optional(),
    })
    .optional(),
});

/** The serialisable form of an error. */
export type AppErrorData = z.infer<typeof appErrorSchema>;

/** What every channel returns across IPC. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: AppErrorData };

/** An error with a stable code, raised anywhere in main and turned into an envelope at the edge. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: AppErrorData['details'];

  constructor(code: ErrorCode, message: string, details?: AppErrorData['details']) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  /** The plain data that crosses IPC. */
  toData(): AppErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Whether a value is an AppError carrying the given code. */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
