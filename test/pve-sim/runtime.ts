import type { SimFaults } from './faults.js';
import type { ApiSchema } from './schema-index.js';
import type { SimState } from './state.js';
import type { TaskRunner } from './tasks.js';
import type { TicketAuthority } from './tickets.js';

/** Everything a request handler may use: the live state and the simulator's services. */
export interface SimRuntime {
  state: SimState;
  tickets: TicketAuthority;
  tasks: TaskRunner;
  faults: SimFaults;
  /** The official schema when loaded; null when schema checking is off. */
  schema: ApiSchema | null;
  nowMs: () => number;
  /** SHA-256 fingerprint of the certificate the simulator serves (PVE lists it per node). */
  fingerprint: string;
  /** Where a node is served, whether its listener is up, and its certificate; null if unknown. */
  nodeNetwork: (name: string) => { ip: string; up: boolean; fingerprint: string } | null;
  loginFailureDelayMs: number;
}
