import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { Credentials, PveCall, PveCaller, PveConnection } from './connection';
import { NodeUnreachableError } from './node-failure';

// A signed-in session's way to the cluster: calls go to the node in use, and when that node stops
// answering they move to another node of the same profile. PVE tickets are valid on every node of
// a cluster, so the session goes on. Each node is reached only through its own connection, which
// checks that node's own pin or root CA, so a node with another certificate is never used.

/** A node of a cluster profile. */
export interface ClusterNode {
  url: string;
  /** The PVE node name, once known. */
  name: string | null;
}

/** How a node's certificate was checked. */
export type NodeTrust = 'pin' | 'ca';

/** A move from the node in use to another one. */
export interface NodeSwitch {
  from: ClusterNode;
  to: ClusterNode;
  /** Why the old node was left, e.g. `refused the connection`. */
  reason: string;
  verifiedBy: NodeTrust;
  atMs: number;
}

/** A node tried while looking for one that answers, and why it was not used. */
export interface NodeAttempt {
  url: string;
  name: string | null;
  reason: string;
  pinnedFingerprint?: string;
  presentedFingerprint?: string;
}

/** A profile node that was never shown to be a member of the cluster: no call is sent to it. */
export class UnprovenNodeError extends Error {
  constructor(readonly url: string) {
    super(`${url} was never shown to be a node of this cluster.`);
    this.name = 'UnprovenNodeError';
  }
}

/** What a cluster connection is built from. */
export interface ClusterConnectionOptions {
  /** The node the session was signed in on. */
  startUrl: string;
  /** The profile's nodes in the user's order, read at each failover so added nodes count. */
  nodes: () => ClusterNode[];
  /**
   * A node's connection, checked against its own trust; throws CERT_NOT_TRUSTED without one, and
   * UnprovenNodeError for a node whose membership of the cluster was never shown.
   */
  connect: (url: string) => { connection: PveConnection; trust: NodeTrust };
  onSwitch: (change: NodeSwitch) => void;
  log: Logger;
  now: () => number;
}

/** The connection of a session to a cluster profile, with failover between its nodes. */
export class ClusterConnection implements PveCaller {
  private current: string;

  constructor(private readonly options: ClusterConnectionOptions) {
    this.current = options.startUrl;
  }

  /** The node in use. */
  get baseUrl(): string {
    return this.current;
  }

  /** Sends a call to the node in use, moving to another node only when that is safe. */
  async call<S extends z.ZodType>(
    call: PveCall,
    schema: S,
    credentials: Credentials | null = null,
  ): Promise<z.output<S>> {
    const first = this.current;
    const tried: NodeAttempt[] = [];
    let left: NodeUnreachableError | null = null;
    for (const url of this.order(first)) {
      let target: { connection: PveConnection; trust: NodeTrust };
      try {
        target = this.options.connect(url);
      } catch (error) {
        if (url === first) throw error;
        tried.push(this.attempt(url, error));
        continue;
      }
      try {
        const result = await target.connection.call(call, schema, credentials);
        if (url !== first) this.switchTo(first, url, target.trust, left);
        return result;
      } catch (error) {
        if (url === first) {
          if (!mayLeave(error, call)) throw error;
          left = error;
          tried.push(this.attempt(url, error));
          continue;
        }
        if (
          isRefusedNode(error) ||
          (error instanceof NodeUnreachableError && maySend(error, call))
        ) {
          tried.push(this.attempt(url, error));
          continue;
        }
        // This node answered (with a failure), so it is the one in use from now on.
        if (!(error instanceof NodeUnreachableError)) this.switchTo(first, url, target.trust, left);
        throw error;
      }
    }
    throw this.unreachable(call, tried);
  }

  /** The node in use, then the profile's others; they are looked up only when it fails. */
  private *order(first: string): Generator<string> {
    yield first;
    const urls = this.options.nodes().map((node) => node.url);
    const at = urls.indexOf(first);
    yield* at < 0 ? urls : [...urls.slice(at + 1), ...urls.slice(0, at)];
  }

  private node(url: string): ClusterNode {
    return this.options.nodes().find((node) => node.url === url) ?? { url, name: null };
  }

  private switchTo(
    from: string,
    to: string,
    verifiedBy: NodeTrust,
    left: NodeUnreachableError | null,
  ): void {
    // Parallel calls that all failed over announce the move once.
    if (this.current !== from) return;
    this.current = to;
    const change: NodeSwitch = {
      from: this.node(from),
      to: this.node(to),
      reason: left?.reason ?? 'stopped answering',
      verifiedBy,
      atMs: this.options.now(),
    };
    this.options.log.warn(
      `${from} ${change.reason}; now using ${to} (checked by its ${verifiedBy})`,
    );
    this.options.onSwitch(change);
  }

  private attempt(url: string, error: unknown): NodeAttempt {
    const { name } = this.node(url);
    if (error instanceof NodeUnreachableError) return { url, name, reason: error.reason };
    if (error instanceof UnprovenNodeError) {
      return {
        url,
        name,
        reason: 'was never shown to be a node of this cluster, so it was not used',
      };
    }
    if (error instanceof AppError && error.code === 'CERT_MISMATCH') {
      return {
        url,
        name,
        reason: 'presented a different certificate from the one pinned for it, so it was not used',
        ...(error.details?.pinnedFingerprint
          ? { pinnedFingerprint: error.details.pinnedFingerprint }
          : {}),
        ...(error.details?.presentedFingerprint
          ? { presentedFingerprint: error.details.presentedFingerprint }
          : {}),
      };
    }
    if (error instanceof AppError && error.code === 'CERT_NOT_TRUSTED') {
      return { url, name, reason: 'has no confirmed certificate yet, so it was not used' };
    }
    if (error instanceof AppError && error.code === 'TLS_ERROR') {
      return { url, name, reason: 'failed the certificate check, so it was not used' };
    }
    return { url, name, reason: error instanceof AppError ? error.message : 'failed' };
  }

  private unreachable(call: PveCall, tried: NodeAttempt[]): AppError {
    const list = tried
      .map((attempt) => `${attempt.name ?? new URL(attempt.url).host} ${attempt.reason}`)
      .join('; ');
    this.options.log.warn(`${call.method} ${call.path}: no node answered (${list})`);
    const mismatch = tried.find((attempt) => attempt.presentedFingerprint !== undefined);
    return new AppError('CLUSTER_UNREACHABLE', `No node of this cluster could be used: ${list}.`, {
      nodes: tried,
      ...(mismatch?.pinnedFingerprint ? { pinnedFingerprint: mismatch.pinnedFingerprint } : {}),
      ...(mismatch?.presentedFingerprint
        ? { presentedFingerprint: mismatch.presentedFingerprint }
        : {}),
    });
  }
}

/**
 * Whether a call that failed on the node in use may go to another node: a connect failure proves
 * nothing was sent; a read is also safe after the node reset it, as reads change nothing. A write
 * whose connection died after it was sent may have been applied, so it is never sent again.
 */
function mayLeave(error: unknown, call: PveCall): error is NodeUnreachableError {
  if (call.signal?.aborted === true || !(error instanceof NodeUnreachableError)) return false;
  return maySend(error, call) && (error.phase === 'connect' || error.code === 'PVE_UNREACHABLE');
}

function maySend(error: NodeUnreachableError, call: PveCall): boolean {
  return error.phase === 'connect' || call.method === 'GET';
}

function isRefusedNode(error: unknown): boolean {
  return (
    error instanceof AppError && (error.code === 'CERT_MISMATCH' || error.code === 'TLS_ERROR')
  );
}
