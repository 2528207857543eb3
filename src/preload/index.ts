import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ProxdeskBridge } from '../shared/contract';
import { eventPrefix, isChannelName, isEventName } from '../shared/names';

// The only thing the renderer gets: a frozen object with two functions. Channel and event names
// are checked here too, so a compromised page cannot reach any other IPC channel.

const bridge: ProxdeskBridge = Object.freeze({
  invoke(channel, input) {
    if (!isChannelName(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'INVALID_INPUT', message: 'Unknown channel.' },
      });
    }
    return ipcRenderer.invoke(channel, input) as never;
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error('Unknown event.');
    const forward = (_event: IpcRendererEvent, payload: unknown): void =>
      listener(payload as never);
    ipcRenderer.on(`${eventPrefix}${event}`, forward);
    return () => {
      ipcRenderer.removeListener(`${eventPrefix}${event}`, forward);
    };
  },
} satisfies ProxdeskBridge);

contextBridge.exposeInMainWorld('proxdesk', bridge);
