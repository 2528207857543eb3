import type {
  ChannelName,
  ChannelOutput,
  ChannelRequest,
  EventName,
  EventPayload,
  ProxdeskBridge,
} from '../shared/contract';
import { appErrorSchema, type AppErrorData, type ErrorCode } from '../shared/errors';

/** A failed channel call, carrying the stable code and details main sent. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: AppErrorData['details'];

  constructor(code: ErrorCode, message: string, details?: AppErrorData['details']) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

/** Whether a value is an ApiError, optionally with one of the given codes. */
export function isApiError(error: unknown, ...codes: ErrorCode[]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}

function bridge(): ProxdeskBridge {
  const candidate = globalThis.window?.proxdesk;
  if (candidate === undefined) {
    throw new ApiError('INTERNAL', 'ProxDesk cannot reach its main process (no bridge).');
  }
  return candidate;
}

/** Calls a channel and resolves with its data, or rejects with an ApiError. */
export async function callChannel<C extends ChannelName>(
  channel: C,
  input?: ChannelRequest<C>,
): Promise<ChannelOutput<C>> {
  let envelope: unknown;
  try {
    envelope = await bridge().invoke(channel, input);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // A rejected invoke means IPC itself failed, not the operation; say so rather than guess.
    throw new ApiError('INTERNAL', `The call to ${channel} did not reach the main process.`);
  }

  if (typeof envelope !== 'object' || envelope === null || !('ok' in envelope)) {
    throw new ApiError('INTERNAL', `The main process sent an unreadable answer to ${channel}.`);
  }
  if (envelope.ok === true && 'data' in envelope) {
    return envelope.data as ChannelOutput<C>;
  }

  // The error half is parsed so the code the UI switches on is always one of the known ones.
  const parsed = appErrorSchema.safeParse('error' in envelope ? envelope.error : undefined);
  if (!parsed.success) {
    throw new ApiError('INTERNAL', `The main process sent an unreadable error for ${channel}.`);
  }
  throw new ApiError(parsed.data.code, parsed.data.message, parsed.data.details);
}

/** Listens to an event from main; returns the function that stops listening. */
export function subscribe<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  const candidate = globalThis.window?.proxdesk;
  if (candidate === undefined) return () => undefined;
  return candidate.on(event, listener);
}
