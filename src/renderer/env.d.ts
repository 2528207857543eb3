import type { ProxdeskBridge } from '../shared/contract';

declare global {
  interface Window {
    /** The typed bridge the preload exposes; the renderer's only way to reach main. */
    readonly proxdesk?: ProxdeskBridge;
  }
}

export {};
