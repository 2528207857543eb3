import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The Electron binary the `electron` package has downloaded, or null. Reads the package's own
 * `path.txt` instead of requiring the package, because requiring it starts a download when the
 * binary is missing, and that download cannot succeed on machines without internet.
 */
export function findElectronBinary(): string | null {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const name =
      process.platform === 'win32'
        ? 'electron.exe'
        : process.platform === 'darwin'
          ? 'Electron.app/Contents/MacOS/Electron'
          : 'electron';
    return existsSync(join(dist, name)) ? join(dist, name) : null;
  }
  const packageDir = resolve(import.meta.dirname, '../node_modules/electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}
