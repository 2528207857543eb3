import { Mutex } from 'async-mutex';
import type { ResourceDelta } from './approve';
import { checkDelta, listResources, numericResources } from './checks';

// Approved changes that PVE has not yet confirmed or refused. Each user's approvals run one at a
// time under that user's lock, and an approved change stays reserved until its commit ends, so
// two windows or two quick clicks can never together spend more than the quota. The flow:
//   withUserLock(user, async () => {
//     const pending = book.pending(user);      // first: see below
//     const usage = await readUsageFromCluster();
//     const decision = approveChange(limits, usageWithPending(usage, pending), change);
//     return decision.approved ? book.reserve(user, change) : null;
//   }) -> commit to PVE -> release()
// Take `pending` before reading the cluster: a change released in between has been committed, so
// the read includes it. Taken after the read, a change committed and released during the read
// would be counted nowhere. The same holds for a usage snapshot kept between changes: it must be
// dropped before the reservation of a committed change is released, which `onRelease` is for.

/** Per-user approval locks and the changes held for approved-but-uncommitted requests. */
export class ReservationBook {
  private readonly locks = new Map<string, Mutex>();
  private readonly held = new Map<string, Map<number, ResourceDelta>>();
  private nextId = 1;

  /** `onRelease` runs just before a held change is let go (e.g. to drop cached usage). */
  constructor(private readonly onRelease: (userid: string) => void = () => undefined) {}

  /** Runs `fn` while holding the user's lock. Not re-entrant: do not nest for the same user. */
  withUserLock<T>(userid: string, fn: () => Promise<T>): Promise<T> {
    let lock = this.locks.get(userid);
    if (lock === undefined) {
      lock = new Mutex();
      this.locks.set(userid, lock);
    }
    return lock.runExclusive(fn);
  }

  /** Holds a change for the user; the returned function releases it (calling it again is a no-op). */
  reserve(userid: string, delta: ResourceDelta): () => void {
    const copy = copyDelta(delta);
    let book = this.held.get(userid);
    if (book === undefined) {
      book = new Map();
      this.held.set(userid, book);
    }
    const id = this.nextId++;
    book.set(id, copy);
    return () => {
      const current = this.held.get(userid);
      if (!current?.has(id)) return;
      this.onRelease(userid);
      current.delete(id);
      if (current.size === 0) this.held.delete(userid);
    };
  }

  /** The user's held changes, oldest first, as copies. */
  pending(userid: string): ResourceDelta[] {
    return [...(this.held.get(userid)?.values() ?? [])].map(copyDelta);
  }
}

/** A checked copy, so that a caller changing its object later cannot change what is held. */
function copyDelta(delta: ResourceDelta): ResourceDelta {
  checkDelta(delta);
  const copy: ResourceDelta = { node: delta.node };
  for (const { field } of numericResources) {
    if (delta[field] !== undefined) copy[field] = delta[field];
  }
  if (delta.storageBytes !== undefined) copy.storageBytes = { ...delta.storageBytes };
  for (const { field } of listResources) {
    const value = delta[field];
    if (value !== undefined) copy[field] = { ...value };
  }
  return copy;
}
