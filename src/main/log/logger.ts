import { mkdirSync } from 'node:fs';
import { pino, type DestinationStream } from 'pino';
import { createStream } from 'rotating-file-stream';
import { redactSecrets } from './redact';

/** A leveled logger for one area of main (`pve`, `quota`, `core`, `ipc`). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger for a sub-area; its lines start with `[area]`. */
  child(area: string): Logger;
  /** Flushes and closes the destination. */
  close(): Promise<void>;
}

/** Where and how much to log. */
export interface LoggerOptions {
  /** Folder for rotated log files; omit to log nowhere but `destination`. */
  directory?: string;
  /** Any writable destination (tests capture lines with it). */
  destination?: { write(line: string): unknown };
  level?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** Creates the main-process logger. Every line passes the secret filter before it is written. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const targets: Array<{ write(line: string): unknown; end?: (cb: () => void) => void }> = [];
  if (options.directory) {
    mkdirSync(options.directory, { recursive: true });
    targets.push(
      createStream('proxdesk.log', {
        path: options.directory,
        size: '5M',
        maxFiles: 5,
        mode: 0o600,
      }),
    );
  }
  if (options.destination) targets.push(options.destination);
  let closed = false;
  const destination: DestinationStream = {
    write(line: string): void {
      // Work that outlives the app's shutdown (a task poll already on the wire) may still log;
      // its lines have nowhere to go once the files are closed, and must not crash the process.
      if (closed) return;
      const safe = redactSecrets(line);
      for (const target of targets) target.write(safe);
    },
  };
  const root = pino({ level: options.level ?? 'info', base: undefined }, destination);
  const close = async (): Promise<void> => {
    closed = true;
    await Promise.all(
      targets.map((t) => new Promise<void>((resolve) => (t.end ? t.end(resolve) : resolve()))),
    );
  };
  return wrap(root, [], close);
}

function wrap(base: pino.Logger, areas: string[], close: () => Promise<void>): Logger {
  const prefix = areas.map((area) => `[${area}]`).join(' ');
  const line = (message: string): string => (prefix ? `${prefix} ${message}` : message);
  return {
    debug: (message, fields) => base.debug(fields ?? {}, line(message)),
    info: (message, fields) => base.info(fields ?? {}, line(message)),
    warn: (message, fields) => base.warn(fields ?? {}, line(message)),
    error: (message, fields) => base.error(fields ?? {}, line(message)),
    child: (area) => wrap(base, [...areas, area], close),
    close,
  };
}
