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
import { ClusterProfiles } from '../store/cluster-profiles';
import { MemorySecretStore, type SecretStore } from '../store/secrets';
import { RememberedTokens } from './remembered-tokens';
import { KeptTickets } from './kept-ticket';
import type { Scheduler } from './scheduler';
import type { CoreContext, Handler } from './context';
import { clusterHandlers } from './handlers/cluster';
import { clusterTrustHandlers } from './handlers/cluster-trust';
import { clusterProfileHandlers } from './handlers/cluster-profiles';
import { diskHandlers } from './handlers/disks';
import { powerHandlers } from './handlers/power';
import { destroyHandlers } from './handlers/destroy';
import { resourceHandlers } from './handlers/resources';
import { taskHandlers } from './handlers/tasks';
import { instanceHandlers } from './handlers/instances';
import { quotaHandlers } from './handlers/quota';
import { quotaAdminHandlers } from './handlers/quota-admin';
import { networkHandlers } from './handlers/network';
import { pciHandlers } from './handlers/pci';
import { diskSlotHandlers } from './handlers/disk-slots';
import { diskCreateMoveHandlers } from './handlers/disk-create-move';
import { quotaConstraintHandlers } from './handlers/quota-constraints';
import { instanceCreateHandlers } from './handlers/instance-create';
import { sessionHandlers } from './handlers/session';
import { elevatedHandlers } from './handlers/elevated';
import { backupHandlers } from './handlers/backups';
import { commitGuard, ElevatedMode } from './elevated-mode';
import { QuotaService } from './quota-service';
import { SessionManager } from './session';
import { BackgroundTasks } from './tracked-task';
import { resumeAfterSignIn } from './background-tasks';
import { describeInputIssues, nonPlainInputIssue } from './input-issues';
import { WriteLedger } from '../pve/write-ledger';
import { sessionEndedError } from './session-resume';
import { withInputFieldNames } from './pve-field-names';

/** What the core is built from. Only `dataDir` is required. */
export interface CoreOptions {
  /** Folder for settings (when no store is given) and logs. */
  dataDir: string;
  settings?: KeyValueStore;
  /**
   * Where remembered API-token secrets and the "Stay signed in" ticket go (the OS keychain in the
   * app); memory only by default.
   */
  secrets?: SecretStore;
  /** Runs the ticket renewal timer; tests pass one they drive. */
  scheduler?: Scheduler;
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
  /**
   * How long a task's status polls may fail because PVE cannot be reached before the change is
   * reported as of unknown outcome (default 10 s).
   */
  taskContactLostGraceMs?: number;
  /** How long a user's usage snapshot is reused for pricing (default 10 s; 0 reads every time). */
  usageMaxAgeMs?: number;
  /** Guest configs read at once while computing usage (default: the node's socket count). */
  usageReadConcurrency?: number;
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
  ...clusterTrustHandlers,
  ...clusterProfileHandlers,
  ...sessionHandlers,
  ...instanceHandlers,
  ...quotaHandlers,
  ...diskHandlers,
  ...powerHandlers,
  ...destroyHandlers,
  ...resourceHandlers,
  ...taskHandlers,
  ...quotaAdminHandlers,
  ...networkHandlers,
  ...pciHandlers,
  ...diskSlotHandlers,
  ...diskCreateMoveHandlers,
  ...quotaConstraintHandlers,
  ...instanceCreateHandlers,
  ...elevatedHandlers,
  ...backupHandlers,
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
  const profiles = new ClusterProfiles(settings, trust, now);
  const secrets = options.secrets ?? new MemorySecretStore();
  const tokens = new RememberedTokens(settings, secrets);
  const sessions = new SessionManager({
    trust,
    profiles,
    tokens,
    kept: new KeptTickets(settings, secrets, now),
    ...(options.scheduler ? { schedule: options.scheduler } : {}),
    log: logger.child('pve'),
    now,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    onChange: (status) => emit('session:changed', status),
    // With a lab token installed, handlers get an API whose commits the token sends.
    routeApi: (session) => elevated.apiFor(session),
  });
  // A ticket kept by "Stay signed in" is renewed now; `session:status` waits for the outcome.
  void sessions.restoreKept();
  const quota = new QuotaService(
    options.policy
      ? { policy: options.policy, file: options.policyFile }
      : { file: options.policyFile ?? join(options.dataDir, 'policy.json') },
    logger.child('quota'),
    {
      usageMaxAgeMs: options.usageMaxAgeMs,
      readConcurrency: options.usageReadConcurrency,
      now,
    },
  );
  // A change ProxDesk committed makes every warm usage snapshot stale.
  events.on('cluster:changed', () => quota.invalidate());
  const background = new BackgroundTasks();
  // A sign-in follows again the tasks its user left unsettled at sign-out.
  events.on('session:changed', (status: EventPayload<'session:changed'>) => {
    if (status.signedIn) void resumeAfterSignIn(sessions, background, log);
  });
  const elevated = new ElevatedMode(
    settings,
    secrets,
    (userid) => commitGuard(quota, userid),
    logger.child('elevated'),
    (url) => {
      const profile = profiles.findByUrl(url);
      return profile ? { id: profile.id, name: profile.name } : { id: url, name: url };
    },
  );
  const context: CoreContext = {
    sessions,
    tokens,
    trust,
    profiles,
    quota,
    // Cached usage is dropped before a held change is released, so it always includes it.
    reservations: new ReservationBook(() => quota.invalidate()),
    background,
    elevated,
    log,
    now,
    emit,
    settings: {
      version: options.version ?? '0.0.0',
      defaultClusterUrl: options.defaultClusterUrl ?? null,
      taskDeadlineMs: options.taskDeadlineMs ?? 10 * 60_000,
      taskPollMinMs: options.taskPollMinMs ?? 250,
      taskContactLostGraceMs: options.taskContactLostGraceMs ?? 10_000,
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
    const notPlain = nonPlainInputIssue(input);
    if (notPlain !== null) {
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: `Invalid input. ${notPlain.path}: ${notPlain.message}`,
          details: { fields: { [notPlain.path]: notPlain.message } },
        },
      };
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
    // Records the writes this call sends, so a session that ends midway can tell whether the
    // call may run again after the user signs in again (see session-resume.ts).
    const ledger = new WriteLedger();
    try {
      const handler = handlers[channel] as Handler<C>;
      const result = await ledger.run(() => handler(parsed.data as never, context));
      // Parsing the output strips anything a handler added by mistake before it crosses IPC.
      const data = channels[channel].output.parse(result) as ChannelOutput<C>;
      return { ok: true, data };
    } catch (thrown) {
      const error =
        thrown instanceof AppError
          ? withInputFieldNames(channel, sessionEndedError(thrown, ledger))
          : thrown;
      if (error instanceof AppError) {
        // A session whose ticket PVE refuses, or whose node now presents another certificate,
        // cannot be used again: drop it so the app goes back to sign-in and shows why.
        if (
          error.code === 'SESSION_EXPIRED' ||
          (error.code === 'CERT_MISMATCH' && !channel.startsWith('cluster:'))
        ) {
          sessions.expire();
        }
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
      background.close();
      events.removeAllListeners();
      await sessions.close();
      if (ownsLogger) await logger.close();
    },
  };
}
