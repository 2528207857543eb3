import { hashKey, type QueryClient } from '@tanstack/react-query';
import type { SessionStatus } from '../shared/contract';
import { subscribe } from './api';
import { instanceKeys } from './features/instances/instance-queries';
import { quotaKeys } from './features/quota/quota-queries';
import { sessionKeys } from './features/session/session-queries';
import type { TaskFeed } from './features/tasks/task-feed';

/**
 * Forgets everything the signed-in user could see: every query and mutation in the cache except
 * the session status, which is set to the signed-out status instead. That one query is kept, not
 * recreated, because the app shell observes it: an observer of a removed query is never told about
 * the next sign-in.
 */
export function clearUserData(client: QueryClient, status: SessionStatus): void {
  const statusHash = hashKey(sessionKeys.status());
  client.setQueryData(sessionKeys.status(), status);
  client.removeQueries({ predicate: (query) => query.queryHash !== statusHash });
  client.getMutationCache().clear();
}

/** What the event wiring needs from the app. */
export interface BridgeEventTargets {
  client: QueryClient;
  tasks: TaskFeed;
  /** Called after a sign-out or expiry was announced and the cache was cleared. */
  onSignedOut: () => void;
}

/** Turns events from main into cache updates; returns the function that stops listening. */
export function connectBridgeEvents({
  client,
  tasks,
  onSignedOut,
}: BridgeEventTargets): () => void {
  const stops = [
    subscribe('session:changed', (status) => {
      if (status.signedIn) {
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
