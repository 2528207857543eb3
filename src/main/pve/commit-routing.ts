import { AppError, isAppError } from '../../shared/errors';
import { PveApi } from './api';
import type { Credentials } from './connection';

// Elevated mode: the user's own PVE account is read-only on their pools, and the changes ProxDesk
// approves are committed with a privileged API token the lab admin installed. The routing is
// decided here, per PveApi method, so handlers keep calling `api.*` without knowing about it:
// every read (listings, configs, usage, ownership) goes with the user's session, so a user only
// ever works on what their own account can see; only commits, and reading the tasks the token
// started, go with the token.

/** What a commit changes, so the caller can check it with the user's own session first. */
export type CommitTarget =
  | { kind: 'guest'; node: string; type: 'qemu' | 'lxc'; vmid: number }
  | { kind: 'new-guest'; node: string; type: 'qemu' | 'lxc'; vmid: number; pool: string | null };

/** How one API method is sent when a lab token is installed. */
type Route<A extends unknown[]> =
  /** With the user's own credentials. */
  | { kind: 'read' }
  /** With the token, after the target passed the check made with the user's session. */
  | { kind: 'commit'; target: (args: A) => CommitTarget }
  /** With the token when the token started the task, else with the user's credentials. */
  | { kind: 'task'; upid: (args: A) => string };

/** The names of PveApi's methods. */
type ApiMethod = {
  [K in keyof PveApi]: PveApi[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof PveApi];

const read = { kind: 'read' } as const;

function guest(node: string, type: 'qemu' | 'lxc', vmid: number): CommitTarget {
  return { kind: 'guest', node, type, vmid };
}

/**
 * The route of every PveApi method. Typed as a complete map, so a method added to PveApi does not
 * compile until it is classified here: a new write must not go out with the wrong credentials.
 */
export const apiRoutes: { [K in ApiMethod]: Route<Parameters<PveApi[K]>> } = {
  domains: read,
  guests: read,
  resources: read,
  users: read,
  nodePciDevices: read,
  pciMappings: read,
  clusterStatus: read,
  config: read,
  storageContent: read,
  nodeStorages: read,
  backupVolumes: read,
  nextId: read,
  nodeTasks: read,
  ownPermissions: read,
  createGuest: {
    kind: 'commit',
    target: ([node, type, params]) => ({
      kind: 'new-guest',
      node,
      type,
      vmid: params.vmid,
      pool: typeof params.pool === 'string' ? params.pool : null,
    }),
  },
  resize: { kind: 'commit', target: ([node, type, vmid]) => guest(node, type, vmid) },
  updateQemuConfigAsync: { kind: 'commit', target: ([node, vmid]) => guest(node, 'qemu', vmid) },
  moveVolume: { kind: 'commit', target: ([node, type, vmid]) => guest(node, type, vmid) },
  powerAction: { kind: 'commit', target: ([node, type, vmid]) => guest(node, type, vmid) },
  destroyGuest: { kind: 'commit', target: ([node, type, vmid]) => guest(node, type, vmid) },
  backupGuest: { kind: 'commit', target: ([node, type, vmid]) => guest(node, type, vmid) },
  deleteBackup: { kind: 'commit', target: ([node, owner]) => guest(node, owner.type, owner.vmid) },
  updateConfig: { kind: 'commit', target: ([node, type, vmid]) => guest(node, type, vmid) },
  taskStatus: { kind: 'task', upid: ([, upid]) => upid },
  taskLog: { kind: 'task', upid: ([, upid]) => upid },
};

/** The user (or token id) a UPID names as the task's owner: its eighth field. */
export function taskOwner(upid: string): string | null {
  const parts = upid.split(':');
  return parts[0] === 'UPID' && parts.length >= 9 ? (parts[7] ?? null) : null;
}

/** What routing needs besides the user's API. */
export interface CommitRouting {
  /** The installed lab token. */
  token: Extract<Credentials, { kind: 'token' }>;
  /**
   * Throws when the user may not make this commit through ProxDesk. Called with the routed API,
   * whose reads go with the user's session, so the check never uses the token.
   */
  allow: (target: CommitTarget, api: PveApi) => Promise<void>;
}

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * A 401 to the token is about the lab's token, not the user's session: signing in again would not
 * help, so it is reported as what it is.
 */
function tokenRefused(error: unknown, tokenId: string): unknown {
  if (!isAppError(error, 'PVE_AUTH') && !isAppError(error, 'SESSION_EXPIRED')) return error;
  return new AppError(
    'PVE_AUTH',
    `PVE refused the lab token ${tokenId} that commits approved changes on this computer; it may have been revoked or have expired. Ask the lab admin to install a valid one.`,
    error.details?.status === undefined ? undefined : { status: error.details.status },
  );
}

function isApiMethod(name: string | symbol): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiRoutes, name);
}

/**
 * The user's API with commits sent by the lab token. Reads, and any method not in the map, go
 * with the user's credentials: a call nobody classified can only do what the user may do.
 */
export function routeCommits(user: PveApi, routing: CommitRouting): PveApi {
  const committer = new PveApi(user.connection, () => routing.token);
  const routed: PveApi = new Proxy(user, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || !isApiMethod(property)) return value;
      const own = (value as AnyMethod).bind(target);
      const send = (Reflect.get(committer, property, committer) as AnyMethod).bind(committer);
      const viaToken: AnyMethod = (...args) =>
        send(...args).catch((error: unknown) => {
          throw tokenRefused(error, routing.token.tokenId);
        });
      const route = apiRoutes[property] as Route<unknown[]>;
      switch (route.kind) {
        case 'read':
          return own;
        case 'commit':
          return async (...args: unknown[]): Promise<unknown> => {
            await routing.allow(route.target(args), routed);
            return viaToken(...args);
          };
        case 'task':
          return (...args: unknown[]): Promise<unknown> =>
            taskOwner(route.upid(args)) === routing.token.tokenId
              ? viaToken(...args)
              : own(...args);
      }
    },
  });
  return routed;
}
