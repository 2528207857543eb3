// Faults a test can switch on at any time through `sim.faults`; the server and the task runner
// read them on every request and task. README.md describes each one.

/** Answers matching requests with a fixed status instead of serving them. */
export interface StatusOverride {
  status: number;
  /** The reason phrase and the body's `message`. */
  message: string;
  /** Only requests with this method (any method when absent). */
  method?: string;
  /** Only this path (without /api2/json): an exact string or a pattern (every path when absent). */
  path?: string | RegExp;
  /** How many requests to answer this way before the override removes itself (forever when absent). */
  remaining?: number;
  /** Per-parameter reasons for the body's `errors` map, as PVE sends with a 400. */
  errors?: Record<string, string>;
}

/** The switchable faults of a running simulator. */
export interface SimFaults {
  /** The next task that starts fails with this error text (then the fault clears itself). */
  failNextTask?: string;
  /** The next task that starts succeeds with this many warnings (then the fault clears itself). */
  warnNextTask?: number;
  /** Tasks started while this is on never stop. */
  hangTasks?: boolean;
  /** Every connection is dropped before it is answered, as if the node were switched off. */
  down?: boolean;
  /** Answers matching requests with a fixed status (e.g. 596) instead of serving them. */
  statusOverride?: StatusOverride;
  /** Replaces the start-up latencyMs while set. */
  latencyMs?: number;
}

/** The override that applies to a request, if any; counts it down and clears it when used up. */
export function takeStatusOverride(
  faults: SimFaults,
  method: string,
  path: string,
): StatusOverride | null {
  const override = faults.statusOverride;
  if (!override) return null;
  if (override.method !== undefined && override.method.toUpperCase() !== method) return null;
  if (typeof override.path === 'string' && override.path !== path) return null;
  if (override.path instanceof RegExp && !override.path.test(path)) return null;
  if (override.remaining !== undefined) {
    if (override.remaining <= 0) {
      delete faults.statusOverride;
      return null;
    }
    override.remaining -= 1;
    if (override.remaining <= 0) delete faults.statusOverride;
  }
  return override;
}
