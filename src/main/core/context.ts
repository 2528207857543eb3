import type {
  ChannelInput,
  ChannelName,
  ChannelOutput,
  EventName,
  EventPayload,
} from '../../shared/contract';
import type { Logger } from '../log/logger';
import type { ReservationBook } from '../quota/reservations';
import type { ClusterProfiles } from '../store/cluster-profiles';
import type { TrustStore } from '../store/trust-store';
import type { QuotaService } from './quota-service';
import type { RememberedTokens } from './remembered-tokens';
import type { ElevatedMode } from './elevated-mode';
import type { SessionManager } from './session';
import type { BackgroundTasks } from './tracked-task';

/** Everything a handler may use. Built once by createCore. */
export interface CoreContext {
  sessions: SessionManager;
  /** API-token secrets the user chose to remember (ids only ever leave main). */
  tokens: RememberedTokens;
  trust: TrustStore;
  /** Cluster profiles: each cluster's nodes, trusted one by one. */
  profiles: ClusterProfiles;
  quota: QuotaService;
  reservations: ReservationBook;
  /** Tasks still followed after their call returned; stopped on sign-out and close. */
  background: BackgroundTasks;
  /** Lab tokens that commit approved changes, per cluster (elevated mode). */
  elevated: ElevatedMode;
  log: Logger;
  now: () => number;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  settings: {
    version: string;
    defaultClusterUrl: string | null;
    taskDeadlineMs: number;
    taskPollMinMs: number;
    /** How long a task's polls may fail for want of contact before its outcome is unknown. */
    taskContactLostGraceMs: number;
    probeTimeoutMs: number;
  };
}

/** A channel's handler: parsed input in, output out; failures are thrown as AppError. */
export type Handler<C extends ChannelName> = (
  input: ChannelInput<C>,
  context: CoreContext,
) => Promise<ChannelOutput<C>>;

/** A handler for some of the channels. */
export type HandlerGroup<C extends ChannelName> = { [K in C]: Handler<K> };
