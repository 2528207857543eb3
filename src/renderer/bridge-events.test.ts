import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { connectBridgeEvents } from './bridge-events';
import { appKeys } from './features/app/app-queries';
import { clusterKeys } from './features/cluster/cluster-queries';
import { instanceKeys } from './features/instances/instance-queries';
import { quotaKeys } from './features/quota/quota-queries';
import { sessionKeys, sessionStatusQuery } from './features/session/session-queries';
import { createTaskFeed } from './features/tasks/task-feed';
import { createFakeBridge, installBridge } from './test-bridge';

const signedIn = {
  signedIn: true as const,
  clusterUrl: 'https://pve1:8006',
  userid: 'alice@pve',
  expiresAt: '2025-05-06T12:00:00.000Z',
};

function setup() {
  const fake = createFakeBridge();
  const uninstall = installBridge(fake.bridge);
  const client = new QueryClient();
  const tasks = createTaskFeed();
  let signedOut = 0;
  const stop = connectBridgeEvents({ client, tasks, onSignedOut: () => (signedOut += 1) });
  return {
    fake,
    client,
    tasks,
    stop,
    uninstall,
    signedOutCount: () => signedOut,
  };
}

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

describe('connectBridgeEvents', () => {
  it('stores a new signed-in status from session:changed without clearing anything', () => {
    const env = setup();
    cleanup = env.uninstall;
    env.client.setQueryData(quotaKeys.usage(), {
      userid: 'alice@pve',
      resources: [],
      problems: [],
    });

    env.fake.emit('session:changed', { ...signedIn, expiresAt: '2025-05-06T14:00:00.000Z' });

    expect(env.client.getQueryData(sessionKeys.status())).toEqual({
      ...signedIn,
      expiresAt: '2025-05-06T14:00:00.000Z',
    });
    expect(env.client.getQueryData(quotaKeys.usage())).toBeDefined();
    expect(env.signedOutCount()).toBe(0);
  });

  it('clears every cached query on sign-out, keeps the signed-out status and tells the app', () => {
    const env = setup();
    cleanup = env.uninstall;
    env.client.setQueryData(sessionKeys.status(), signedIn);
    env.client.setQueryData(instanceKeys.list(), []);
    env.client.setQueryData(quotaKeys.usage(), {
      userid: 'alice@pve',
      resources: [],
      problems: [],
    });

    env.fake.emit('session:changed', { signedIn: false });

    const keys = env.client
      .getQueryCache()
      .getAll()
      .map((query) => query.queryKey);
    expect(keys).toEqual([sessionKeys.status()]);
    expect(env.client.getQueryData(sessionKeys.status())).toEqual({ signedIn: false });
    expect(env.signedOutCount()).toBe(1);
  });

  it('keeps the app info and the sign-in realms, which belong to no user, on sign-out', () => {
    const env = setup();
    cleanup = env.uninstall;
    env.client.setQueryData(sessionKeys.status(), signedIn);
    env.client.setQueryData(appKeys.info(), { version: '1.0.0', defaultClusterUrl: null });
    env.client.setQueryData(clusterKeys.realms('https://pve1:8006'), []);
    env.client.setQueryData(instanceKeys.list(), []);

    env.fake.emit('session:changed', { signedIn: false });

    const keys = env.client
      .getQueryCache()
      .getAll()
      .map((query) => query.queryKey);
    expect(keys).toEqual([
      sessionKeys.status(),
      appKeys.info(),
      clusterKeys.realms('https://pve1:8006'),
    ]);
  });

  it('does not clear again when the sign-out event arrives after the cache was cleared', () => {
    const env = setup();
    cleanup = env.uninstall;
    env.client.setQueryData(sessionKeys.status(), { signedIn: false });
    env.client.setQueryData(clusterKeys.realms('https://pve1:8006'), []);
    env.client.setQueryData(instanceKeys.list(), []);

    env.fake.emit('session:changed', { signedIn: false });

    expect(env.client.getQueryData(instanceKeys.list())).toEqual([]);
    expect(env.signedOutCount()).toBe(0);
  });

  it('keeps an observer of the session status informed of the next sign-in after a sign-out', () => {
    const env = setup();
    cleanup = env.uninstall;
    env.client.setQueryData(sessionKeys.status(), signedIn);
    const observer = new QueryObserver(env.client, sessionStatusQuery());
    const seen: unknown[] = [];
    const leave = observer.subscribe((result) => seen.push(result.data));

    env.fake.emit('session:changed', { signedIn: false });
    env.client.setQueryData(sessionKeys.status(), signedIn);
    leave();

    expect(seen).toEqual([{ signedIn: false }, signedIn]);
  });

  it('drops mutations, whose variables may hold a password, on sign-out', async () => {
    const env = setup();
    cleanup = env.uninstall;
    await env.client
      .getMutationCache()
      .build(env.client, { mutationFn: () => Promise.reject(new Error('PVE_AUTH')) })
      .execute({ password: 'hunter2' })
      .catch(() => undefined);

    env.fake.emit('session:changed', { signedIn: false });

    expect(env.client.getMutationCache().getAll()).toEqual([]);
  });

  it('keeps the cache behind a sign-in prompt when the app asks to, marking only the session ended', () => {
    const fake = createFakeBridge();
    cleanup = installBridge(fake.bridge);
    const client = new QueryClient();
    const lost: unknown[] = [];
    let signedOut = 0;
    connectBridgeEvents({
      client,
      tasks: createTaskFeed(),
      onSignedOut: () => (signedOut += 1),
      onSessionLost: (ended) => {
        lost.push(ended);
        return true;
      },
    });
    client.setQueryData(sessionKeys.status(), signedIn);
    client.setQueryData(instanceKeys.list(), []);

    fake.emit('session:changed', { signedIn: false });

    expect(lost).toEqual([signedIn]);
    expect(client.getQueryData(sessionKeys.status())).toEqual({ signedIn: false });
    expect(client.getQueryData(instanceKeys.list())).toEqual([]);
    expect(signedOut).toBe(0);
  });

  it('marks instance and quota queries stale on cluster:changed, and nothing else', () => {
    const env = setup();
    cleanup = env.uninstall;
    const ref = { node: 'pve1', type: 'qemu' as const, vmid: 101 };
    env.client.setQueryData(sessionKeys.status(), signedIn);
    env.client.setQueryData(instanceKeys.list(), []);
    env.client.setQueryData(instanceKeys.detail(ref), null);
    env.client.setQueryData(quotaKeys.usage(), {
      userid: 'alice@pve',
      resources: [],
      problems: [],
    });

    env.fake.emit('cluster:changed', { reason: 'resized scsi0 of 101' });

    const stale = (key: readonly unknown[]) =>
      env.client.getQueryCache().find({ queryKey: key, exact: true })?.state.isInvalidated;
    expect(stale(instanceKeys.list())).toBe(true);
    expect(stale(instanceKeys.detail(ref))).toBe(true);
    expect(stale(quotaKeys.usage())).toBe(true);
    expect(stale(sessionKeys.status())).toBe(false);
  });

  it('feeds task:progress events to the task feed', () => {
    const env = setup();
    cleanup = env.uninstall;

    env.fake.emit('task:progress', {
      upid: 'UPID:pve1:1',
      node: 'pve1',
      state: 'running',
      lines: ['resizing'],
      exitStatus: null,
    });

    expect(env.tasks.getSnapshot().tasks.map((task) => task.lines)).toEqual([['resizing']]);
  });

  it('stops listening to every event when stopped', () => {
    const env = setup();
    cleanup = env.uninstall;

    env.stop();

    expect(env.fake.listenerCount()).toBe(0);
  });
});
