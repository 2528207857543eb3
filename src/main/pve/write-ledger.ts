import { AsyncLocalStorage } from 'node:async_hooks';

// Whether an operation may be run again after its session ended depends on one question: could
// any change it sent have reached the cluster? The ledger answers it from what actually went over
// the wire. Every request other than a GET that is sent while an operation runs is written down
// before it leaves, and its HTTP status once PVE answers. PVE checks the ticket before it does
// anything else, so a write answered 401 changed nothing; any other answer, and a write that got
// no answer at all, may have changed something.

/** One write an operation sent: its status, or null while (or because) no answer came. */
export interface LedgerEntry {
  method: string;
  path: string;
  status: number | null;
}

const current = new AsyncLocalStorage<WriteLedger>();

/** The writes one operation sent to PVE, in order. */
export class WriteLedger {
  private readonly entries: LedgerEntry[] = [];

  /** Runs `work` with this ledger recording every write it (and anything it awaits) sends. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return current.run(this, work);
  }

  /** The writes recorded so far. */
  writes(): readonly LedgerEntry[] {
    return this.entries;
  }

  /** True when no write was sent, or every one was answered 401 (refused before any work). */
  nothingCommitted(): boolean {
    return this.entries.every((entry) => entry.status === 401);
  }

  /** Records a write about to be sent; the caller sets its status when the answer arrives. */
  add(entry: LedgerEntry): LedgerEntry {
    this.entries.push(entry);
    return entry;
  }
}

/**
 * Notes a request about to be sent, in the ledger of the operation sending it (if any). Returns
 * the function that records PVE's status. GETs change nothing, and a ticket request (sign-in or
 * renewal) changes nothing on the cluster, so neither is recorded.
 */
export function noteRequest(method: string, path: string): (status: number) => void {
  const ledger = current.getStore();
  if (ledger === undefined || method === 'GET' || path === '/access/ticket') return () => undefined;
  const entry = ledger.add({ method, path, status: null });
  return (status) => {
    entry.status = status;
  };
}
