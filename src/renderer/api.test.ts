import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, callChannel, isApiError, subscribe } from './api';
import { createFakeBridge, installBridge } from './test-bridge';

let uninstall: () => void = () => undefined;
afterEach(() => uninstall());

describe('callChannel', () => {
  it('passes channel and input to the bridge and resolves with the data of an ok envelope', async () => {
    const fake = createFakeBridge(() =>
      Promise.resolve({ ok: true, data: { version: '1.2.3', defaultClusterUrl: null } }),
    );
    uninstall = installBridge(fake.bridge);

    const info = await callChannel('cluster:realms', { url: 'https://pve1:8006' });

    expect(info).toEqual({ version: '1.2.3', defaultClusterUrl: null });
    expect(fake.calls).toEqual([
      { channel: 'cluster:realms', input: { url: 'https://pve1:8006' } },
    ]);
  });

  it('rejects with an ApiError carrying the code, message and details of an error envelope', async () => {
    const shortfall = {
      resource: 'storage:local-lvm',
      label: 'local-lvm',
      unit: 'bytes',
      limit: 10,
      used: 8,
      requested: 4,
      shortfall: 2,
    };
    const fake = createFakeBridge(() =>
      Promise.resolve({
        ok: false,
        error: {
          code: 'QUOTA_EXCEEDED',
          message: 'Too big.',
          details: { shortfalls: [shortfall] },
        },
      }),
    );
    uninstall = installBridge(fake.bridge);

    const error: unknown = await callChannel('quota:usage').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(isApiError(error, 'QUOTA_EXCEEDED')).toBe(true);
    expect((error as ApiError).message).toBe('Too big.');
    expect((error as ApiError).details).toEqual({ shortfalls: [shortfall] });
  });

  it('turns an error envelope with an unknown code into INTERNAL rather than trusting it', async () => {
    uninstall = installBridge(
      createFakeBridge(() =>
        Promise.resolve({ ok: false, error: { code: 'NOT_A_REAL_CODE', message: 'Refused.' } }),
      ).bridge,
    );

    await expect(callChannel('session:status')).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('rejects with INTERNAL when the answer is not an envelope', async () => {
    uninstall = installBridge(createFakeBridge(() => Promise.resolve('hello')).bridge);

    await expect(callChannel('session:status')).rejects.toMatchObject({
      name: 'ApiError',
      code: 'INTERNAL',
    });
  });

  it('rejects with INTERNAL naming the channel when IPC itself fails', async () => {
    uninstall = installBridge(createFakeBridge(() => Promise.reject(new Error('gone'))).bridge);

    await expect(callChannel('instance:list')).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'The call to instance:list did not reach the main process.',
    });
  });

  it('rejects with INTERNAL when there is no bridge', async () => {
    uninstall = installBridge(undefined);

    await expect(callChannel('app:info')).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('subscribe', () => {
  it('delivers events until the returned function is called', () => {
    const fake = createFakeBridge();
    uninstall = installBridge(fake.bridge);
    const seen: string[] = [];

    const stop = subscribe('cluster:changed', (payload) => seen.push(payload.reason));
    fake.emit('cluster:changed', { reason: 'first' });
    stop();
    fake.emit('cluster:changed', { reason: 'second' });

    expect(seen).toEqual(['first']);
    expect(fake.listenerCount()).toBe(0);
  });

  it('does nothing without a bridge', () => {
    uninstall = installBridge(undefined);

    expect(() => subscribe('cluster:changed', () => undefined)()).not.toThrow();
  });
});
