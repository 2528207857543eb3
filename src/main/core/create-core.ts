import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import {
  channels,
  isChannelName,
  type ChannelName,
  type ChannelOutput,
  type EventName,
  type EventPayload,
} from '../../shared/contract';
import { AppError, type Envelope } from '../../shared/errors';
import { createLogger, type Logger } from '../log/logger';
import { ReservationBook } from '../quota/reservations';
import type { Policy } from '../quota/policy';
import { JsonFileStore, type KeyValueStore } from '../store/key-value-store';
import { TrustStore } from '../store/trust-store';
import type { CoreContext, Handler } from './context';
import { clusterHandlers } from './handlers/cluster';
import { diskHandlers } from './handlers/disks';
import { instanceHandlers } from './handlers/instances';
import { quotaHandlers } from './handlers/quota';
import { sessionHandlers } from './handlers/session';
import { QuotaService } from './quota-service';
import { SessionManager } from './session';
import { describeInputIssues } from './input-issues';

/** What the core is built from. Only `dataDir` is required. */
export interface CoreOptions {
  /** Folder for settings (when no store is given) and logs. */
  dataDir: string;
  settings?: KeyValueStore;
  logger?: Logger;
  now?: () => number;
  /** The quota policy itself, or the file to load it from (default `<dataDir>/policy.json`). */
  policy?: Policy;
  policyFile?: string;
  version?: string;
  /** The cluster address the connect form starts with. */
  defaultClusterUrl?: string | null;
  requestTimeoutMs?: number;
  probeTimeoutMs?: number;
  taskDeadlineMs?: number;
  taskPollMinMs?: number;
}

/** The main-process core: every channel's handler behind one `invoke`, and the events. */
export interface Core {
  invoke<C extends ChannelName>(channel: C, input?: unknown): Promise<Envelope<ChannelOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  close(): Promise<void>;
}

type HandlerMap = { [C in ChannelName]: Handler<C> };

// Listing the groups in one typed map makes a channel without a handler a compile error.
const handlers: HandlerMap = {
  ...clusterHandlers,
  ...sessionHandlers,
  ...instanceHandlers,
  ...quotaHandlers,
  ...diskHandlers,
};

/** Builds the core. Runs in plain Node; the Electron adapter, tests and the bridge all use it. */
export function createCore(options: CoreOptions): Core {
  const now = options.now ?? Date.now;
  const ownsLogger = options.logger === undefined;
  const logger = options.logger ?? createLogger({ directory: join(options.dataDir, 'logs') });
  const log = logger.child('core');
  const events = new EventEmitter();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    events.emit(event, payload);
  };
  const settings = options.settings ?? new JsonFileStore(join(options.dataDir, 'settings.json'));
  const trust = new TrustStore(settings, now);
  const sessions = new SessionManager({
    trust,
    log: logger.child('pve'),
    now,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    onChange: (status) => emit('session:changed', status),
  });
  const quota = new QuotaService(
    options.policy
      ? { policy: options.policy }
      : { file: options.policyFile ?? join(options.dataDir, 'policy.json') },
    logger.child('quota'),
  );
  const context: CoreContext = {
    sessions,
    trust,
    quota,
    reservations: new ReservationBook(),
    log,
    now,
    emit,
    settings: {
      version: options.version ?? '0.0.0',
      defaultClusterUrl: options.defaultClusterUrl ?? null,
      taskDeadlineMs: options.taskDeadlineMs ?? 10 * 60_000,
      taskPollMinMs: options.taskPollMinMs ?? 250,
      probeTimeoutMs: options.probeTimeoutMs ?? 10_000,
    },
  };

  async function invoke<C extends ChannelName>(
    channel: C,
    input?: unknown,
  ): Promise<Envelope<ChannelOutput<C>>> {
    if (!isChannelName(channel)) {
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown channel.' } };
    }
    const parsed = channels[channel].input.safeParse(input);
    if (!parsed.success) {
      const fields = describeInputIssues(parsed.error.issues);
      const summary = Object.entries(fields)
        .map(([field, why]) => `${field}: ${why}`)
        .join('; ');
      return {
        ok: false,
        error: { code: 'INVALID_INPUT', message: `Invalid input. ${summary}`, details: { fields } },
      };
    }
    try {
      const handler = handlers[channel] as Handler<C>;
      const result = await handler(parsed.data as never, context);
      // Parsing the output strips anything a handler added by mistake before it crosses IPC.
      const data = channels[channel].output.parse(result) as ChannelOutput<C>;
      return { ok: true, data };
    } catch (error) {
      if (error instanceof AppError) {
        if (error.code === 'SESSION_EXPIRED') sessions.expire();
        log.info(`${channel} -> ${error.code}: ${error.message}`);
        return { ok: false, error: error.toData() };
      }
      log.error(`${channel} failed unexpectedly: ${(error as Error)?.stack ?? 'unknown error'}`);
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: 'Something went wrong inside ProxDesk; the log has the details.',
        },
      };
    }
  }

  return {
    invoke,
    on(event, listener) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    async close() {
      events.removeAllListeners();
      await sessions.close();
      if (ownsLogger) await logger.close();
    },
  };
}
