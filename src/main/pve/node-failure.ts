import { AppError } from '../../shared/errors';
import { PinMismatchError } from './errors';

// Whether a request that failed on one node may be sent to another. Only a failure raised while
// the socket was being set up (refused, DNS, connect timeout, reset during the handshake) proves
// that no byte of the request left; after that, a write may have been applied.

/** A failure of the connector: the request was never written to the socket. */
export class ConnectFailure extends Error {
  /** The code of the underlying failure, so retries and error mapping see it unchanged. */
  readonly code: string | undefined;

  constructor(cause: Error) {
    super(cause.message, { cause });
    this.name = 'ConnectFailure';
    const code = (cause as { code?: unknown }).code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/**
 * Marks a connector error as a connect failure. Certificate refusals are left as they are: a
 * node that presents the wrong certificate did answer, and is refused, not unreachable.
 */
export function asConnectFailure(error: Error): Error {
  if (error instanceof PinMismatchError || error instanceof AppError) return error;
  return new ConnectFailure(error);
}

/** When a request to a node failed: before anything was sent, or during the exchange. */
export type FailurePhase = 'connect' | 'exchange';

/** A node did not answer a request (PVE_UNREACHABLE or PVE_TIMEOUT), and when that happened. */
export class NodeUnreachableError extends AppError {
  constructor(
    mapped: AppError,
    readonly phase: FailurePhase,
    readonly nodeUrl: string,
    /** Short words for people: `refused the connection`, `did not answer in time`, ... */
    readonly reason: string,
  ) {
    super(mapped.code, mapped.message, mapped.details);
    this.name = 'NodeUnreachableError';
  }
}

/** The mapped error of a failed request, as a NodeUnreachableError when the node did not answer. */
export function nodeFailure(mapped: AppError, raw: unknown, nodeUrl: string): AppError {
  if (mapped.code !== 'PVE_UNREACHABLE' && mapped.code !== 'PVE_TIMEOUT') return mapped;
  const chain = causes(raw);
  const connect = chain.find((item): item is ConnectFailure => item instanceof ConnectFailure);
  const code = connect?.code ?? codeOf(chain);
  return new NodeUnreachableError(
    mapped,
    connect ? 'connect' : 'exchange',
    nodeUrl,
    reasonOf(code),
  );
}

function reasonOf(code: string | undefined): string {
  switch (code ?? '') {
    case 'ECONNREFUSED':
      return 'refused the connection';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'could not be found (DNS)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'has no network route';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'closed the connection';
    default:
      return 'did not answer in time';
  }
}

function codeOf(chain: unknown[]): string | undefined {
  for (const item of chain) {
    const code = (item as { code?: unknown } | null)?.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function causes(error: unknown): unknown[] {
  const seen: unknown[] = [];
  let item = error;
  while (item !== null && item !== undefined && typeof item === 'object' && seen.length < 16) {
    if (seen.includes(item)) break;
    seen.push(item);
    item = (item as { cause?: unknown }).cause;
  }
  return seen;
}
