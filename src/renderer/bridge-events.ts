import { hashKey, type QueryClient } from '@tanstack/react-query';
import type { SessionStatus } from '../shared/contract';
import { subscribe } from './api';
import { appKeys } from './features/app/app-queries';
import { clusterKeys } from './features/cluster/cluster-queries';
import { instanceKeys } from './features/instances/instance-queries';
import { quotaKeys } from './features/quota/quota-queries';
import { sessionKeys } from './features/session/session-queries';
import type { TaskFeed } from './features/tasks/task-feed';

/**
 * Forgets everything the signed-in user could see: every query and mutation in the cache except
 * the session status, which is set to the signed-out status instead, and what belongs to no user
 * (the app's info and a cluster's sign-in realms, which the sign-in page is already loading). The
 * status query is kept, not recreated, because the app shell observes it: an observer of a
 * removed query is never told about the next sign-in.
 */
export function clearUserData(client: QueryClient, status: SessionStatus): void {
  const statusHash = hashKey(sessionKeys.status());
  client.setQueryData(sessionKeys.status(), status);
  client.removeQueries({
    predicate: (query) => {
      const [domain] = query.queryKey;
      return (
        query.queryHash !== statusHash && domain !== appKeys.all[0] && domain !== clusterKeys.all[0]
      );
    },
  });
  client.getMutationCache().clear();
}

/** What the event wiring needs from the app. */
export interface BridgeEventTargets {
  client: QueryClient;
  tasks: TaskFeed;
  /** Called after a sign-out or expiry was announced and the cache was cleared. */
  onSignedOut: () => void;
  /**
   * Called first when a session ends that this window did not sign out of. Returning true keeps
   * the cache (the page stays behind a sign-in prompt) and only marks the session as ended.
   */
  onSessionLost?: (ended: Extract<SessionStatus, { signedIn: true }>) => boolean;
}

/** Turns events from main into cache updates; returns the function that stops listening. */
export function connectBridgeEvents({
  client,
  tasks,
  onSignedOut,
  onSessionLost,
}: BridgeEventTargets): () => void {
  const stops = [
    subscribe('session:changed', (status) => {
      if (status.signedIn) {
        client.setQueryData(sessionKeys.status(), status);
        return;
      }
      // The sign-out call clears the cache itself; its event must not clear it again under the
      // sign-in page that has started loading by then.
      const known = client.getQueryData<SessionStatus>(sessionKeys.status());
      if (known !== undefined && !known.signedIn) return;
      if (known?.signedIn === true && onSessionLost?.(known) === true) {
        client.setQueryData(sessionKeys.status(), status);
        return;
      }
      clearUserData(client, status);
      onSignedOut();
    }),
    subscribe('cluster:changed', () => {
      void client.invalidateQueries({ queryKey: instanceKeys.all });
      void client.invalidateQueries({ queryKey: quotaKeys.all });
    }),
    subscribe('task:progress', (progress) => tasks.push(progress)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
