import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, net, protocol, safeStorage, session, shell } from 'electron';
import { createCore, type Core } from './core';
import { registerIpc } from './ipc/adapter';
import { appOrigin } from './ipc/sender-check';
import { createLogger } from './log/logger';
import { createElectronSettingsStore } from './store/electron-settings-store';
import { SafeStorageSecretStore } from './store/safe-storage-secrets';

// The Electron entry: lifecycle, the one window, and the security settings around it. The rest
// of main lives in the core, which has no Electron imports.

const rendererDir = join(import.meta.dirname, '../renderer');
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** Serves the built renderer on app://proxdesk/, refusing any path outside its folder. */
function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'proxdesk') return new Response('Not found', { status: 404 });
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(rendererDir, relative));
    if (!file.startsWith(rendererDir + sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy);
    return new Response(response.body, { status: response.status, headers });
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'ProxDesk',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${appOrigin}/index.html`);
  return window;
}

function lockDown(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${appOrigin}/`)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the PVE web UI open in the user's browser, never inside the app.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

/**
 * Holds the lock that makes this the only ProxDesk running for the OS account. Quota
 * reservations live in the main process, so two processes for the same user would each approve
 * against their own reservations and could together commit past the quota. A second start
 * brings the running window forward instead.
 */
function claimSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  return true;
}

async function start(): Promise<void> {
  if (!claimSingleInstance()) {
    app.quit();
    return;
  }
  await app.whenReady();
  lockDown();
  serveRenderer();
  const dataDir = app.getPath('userData');
  const logger = createLogger({ directory: join(dataDir, 'logs') });
  const settings = createElectronSettingsStore();
  const core: Core = createCore({
    dataDir,
    logger,
    settings,
    // Remembered API-token secrets are encrypted with the OS keychain before they are stored.
    secrets: new SafeStorageSecretStore(settings, safeStorage),
    policyFile: process.env.PROXDESK_POLICY ?? join(dataDir, 'policy.json'),
    defaultClusterUrl: process.env.PROXDESK_CLUSTER_URL ?? null,
    version: app.getVersion(),
  });
  registerIpc({
    ipcMain,
    core,
    log: logger.child('ipc'),
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    void core.close();
  });
}

void start();
