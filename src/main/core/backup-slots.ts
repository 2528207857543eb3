// Backups being made. A backup:create that the count approved holds a slot from its approval
// until its vzdump task has ended (the tracked-task rules decide when), so that a second create
// priced meanwhile counts it: the new volume appears on the storage only when the task ends.
// Each core has one book, found through the core's reservation book, which lives as long.

/** Per-user backup slots held by approved, unfinished backup:create calls. */
export class BackupSlots {
  private readonly held = new Map<string, number>();

  /** How many slots the user holds now. */
  pending(userid: string): number {
    return this.held.get(userid) ?? 0;
  }

  /** Holds one slot; the returned function gives it back (calling it again is a no-op). */
  hold(userid: string): () => void {
    this.held.set(userid, this.pending(userid) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.pending(userid) - 1;
      if (left > 0) this.held.set(userid, left);
      else this.held.delete(userid);
    };
  }
}

const books = new WeakMap<object, BackupSlots>();

/** The backup slots of the core that `owner` (its reservation book) belongs to. */
export function backupSlotsOf(owner: object): BackupSlots {
  let book = books.get(owner);
  if (book === undefined) {
    book = new BackupSlots();
    books.set(owner, book);
  }
  return book;
}
