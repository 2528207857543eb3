import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventNames, type ChannelName } from '../../src/shared/contract';
import type { Core } from '../../src/main/core';
import { isTrustedSender } from '../../src/main/ipc/sender-check';

// Runs the built renderer in Chromium with the same `window.proxdesk` bridge the preload
// exposes, wired to a real core. Used where no Electron binary can be had: the end-to-end tests
// and the demo's fallback. The page is served on a made-up origin through request interception,
// so nothing listens on the network and the page cannot reach anything else.

/** The origin the renderer is served on in the browser. */
export const bridgeOrigin = 'https://proxdesk.invalid';

const repoRoot = resolve(import.meta.dirname, '../..');
const rendererDir = join(repoRoot, 'out/renderer');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'";

// The page's `window.proxdesk`, shaped like the preload's: a frozen object with invoke and on.
// Given as source text because a transpiled function may reference helpers the page lacks.
const bridgeScript = `
(() => {
  const invoke = window.__proxdeskInvoke;
  const listeners = new Map();
  Object.defineProperty(window, '__proxdeskEmit', {
    value: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  });
  Object.defineProperty(window, 'proxdesk', {
    value: Object.freeze({
      invoke: (channel, input) => invoke(channel, input),
      on: (event, listener) => {
        const set = listeners.get(event) ?? new Set();
        set.add(listener);
        listeners.set(event, set);
        return () => set.delete(listener);
      },
    }),
  });
})();
`;

/** Chromium flags that work on machines with a closed network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The system Chromium, or null when there is none. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => Boolean(path && existsSync(path))) ?? null;
}

/** A browser page running the renderer against a core. */
export interface BrowserBridge {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Options for the bridge. */
export interface BridgeOptions {
  headless?: boolean;
  viewport?: { width: number; height: number };
}

/** Launches Chromium, installs the bridge and opens the renderer. Needs `out/renderer` built. */
export async function openRendererInChromium(
  core: Core,
  options: BridgeOptions = {},
): Promise<BrowserBridge> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build` first.');
  }
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found; install it (apt-get install chromium).');
  const browser = await chromium.launch({
    executablePath,
    headless: options.headless ?? true,
    args: chromiumArgs,
  });
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 820 },
  });

  await context.route(`${bridgeOrigin}/**`, async (route) => {
    const url = new URL(route.request().url());
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(rendererDir, relative));
    if (!file.startsWith(rendererDir + sep) || !existsSync(file)) {
      await route.fulfill({ status: 404, body: 'Not found' });
      return;
    }
    await route.fulfill({
      status: 200,
      body: await readFile(file),
      headers: {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': contentSecurityPolicy,
      },
    });
  });
  // Everything else the page might try to load is refused, as the CSP does in the app.
  await context.route(
    (url) => !url.toString().startsWith(`${bridgeOrigin}/`),
    (route) => route.abort('blockedbyclient'),
  );

  await context.exposeBinding(
    '__proxdeskInvoke',
    async (source, channel: ChannelName, input: unknown) => {
      // The same sender check the IPC adapter makes, against the bridge's origin.
      const frame = { url: source.frame.url(), parent: source.frame.parentFrame() };
      if (!isTrustedSender(frame, bridgeOrigin)) {
        return {
          ok: false,
          error: { code: 'UNTRUSTED_SENDER', message: 'Refused: not the ProxDesk page.' },
        };
      }
      return core.invoke(channel, input);
    },
  );
  await context.addInitScript({ content: bridgeScript });

  const page = await context.newPage();
  const unsubscribers = eventNames.map((name) =>
    core.on(name, (payload) => {
      for (const open of context.pages()) {
        open
          .evaluate(
            ([event, data]) => {
              const host = window as unknown as {
                __proxdeskEmit?: (e: string, p: unknown) => void;
              };
              host.__proxdeskEmit?.(event, data);
            },
            [name, payload] as const,
          )
          .catch(() => undefined);
      }
    }),
  );
  await page.goto(`${bridgeOrigin}/index.html`);

  return {
    browser,
    context,
    page,
    async close() {
      for (const unsubscribe of unsubscribers) unsubscribe();
      await browser.close();
    },
  };
}
