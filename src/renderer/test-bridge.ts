import type { ChannelName, EventName, EventPayload, ProxdeskBridge } from '../shared/contract';
import type { Envelope } from '../shared/errors';

/** A bridge for unit tests: answers invokes with a given function and lets tests emit events. */
export interface FakeBridge {
  bridge: ProxdeskBridge;
  calls: { channel: ChannelName; input: unknown }[];
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  listenerCount: () => number;
}

/** Creates a fake bridge whose invokes resolve with what `answer` returns for each call. */
export function createFakeBridge(
  answer: (channel: ChannelName, input: unknown) => Promise<unknown> = () =>
    Promise.resolve({ ok: true, data: null }),
): FakeBridge {
  const calls: FakeBridge['calls'] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const bridge = {
    invoke: (channel: ChannelName, input?: unknown) => {
      calls.push({ channel, input });
      return answer(channel, input) as Promise<Envelope<never>>;
    },
    on: (event: EventName, listener: (payload: never) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => {
        set.delete(listener as (payload: unknown) => void);
      };
    },
  } as ProxdeskBridge;
  return {
    bridge,
    calls,
    emit: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    listenerCount: () => [...listeners.values()].reduce((total, set) => total + set.size, 0),
  };
}

/** Installs a bridge as `window.proxdesk` for the duration of a test; returns the undo. */
export function installBridge(bridge: ProxdeskBridge | undefined): () => void {
  const host = globalThis as { window?: unknown };
  const previous = host.window;
  host.window = bridge === undefined ? {} : { proxdesk: bridge };
  return () => {
    host.window = previous;
  };
}
