import { resolve } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary';

const binary = findElectronBinary();
const noBinaryReason =
  'skipped: no Electron binary on this machine (the electron package downloads it on first use, which needs internet)';

describe('Electron launch', () => {
  it('opens the ProxDesk window with the sandboxed bridge and no Node in the page', async (context) => {
    context.skip(binary === null, noBinaryReason);
    const app = await electron.launch({
      executablePath: binary as string,
      args: [resolve(import.meta.dirname, '../..')],
      env: { ...process.env, PROXDESK_CLUSTER_URL: 'https://127.0.0.1:8006' },
    });
    try {
      const window = await app.firstWindow();

      const title = await window.title();
      const shape = await window.evaluate(() => ({
        bridge: Object.keys((window as unknown as { proxdesk: object }).proxdesk).sort(),
        frozen: Object.isFrozen((window as unknown as { proxdesk: object }).proxdesk),
        node: typeof (globalThis as { require?: unknown }).require,
        url: location.href,
      }));

      expect(title).toBe('ProxDesk');
      expect(shape).toEqual({
        bridge: ['invoke', 'on'],
        frozen: true,
        node: 'undefined',
        url: 'app://proxdesk/index.html',
      });
    } finally {
      await app.close();
    }
  });
});
