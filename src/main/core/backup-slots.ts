// Backups being made. A backup:create that the count approved holds a slot from its approval
// until its vzdump task has ended (the tracked-task rules decide when), so that a second create
// priced meanwhile counts it: the new volume appears on the storage only when the task ends.
// Each core has one book, found through the core's reservation book, which lives as long.
// Slots are kept per guest, so a guest PVE shows locked for a backup is counted once whether
// ProxDesk or a lab job runs it (see backupsBeingMade).

/** Per-user backup slots held by approved, unfinished backup:create calls, by guest. */
export class BackupSlots {
  private readonly held = new Map<string, Map<number, number>>();

  /** How many slots the user holds now. */
  pending(userid: string): number {
    let count = 0;
    for (const slots of this.held.get(userid)?.values() ?? []) count += slots;
    return count;
  }

  /** The guests the user holds a slot for now. */
  guests(userid: string): ReadonlySet<number> {
    return new Set(this.held.get(userid)?.keys() ?? []);
  }

  /** Holds one slot for a backup of `vmid`; the returned function gives it back (once). */
  hold(userid: string, vmid: number): () => void {
    const mine = this.held.get(userid) ?? new Map<number, number>();
    this.held.set(userid, mine);
    mine.set(vmid, (mine.get(vmid) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (mine.get(vmid) ?? 0) - 1;
      if (left > 0) mine.set(vmid, left);
      else mine.delete(vmid);
      if (mine.size === 0 && this.held.get(userid) === mine) this.held.delete(userid);
    };
  }
}

/**
 * The user's backups being made: the slots ProxDesk holds, and one for each of the user's guests
 * PVE shows locked for a backup that ProxDesk holds no slot for (a lab's scheduled job, or one
 * started in the PVE web UI), whose volume likewise appears only when it ends.
 */
export function backupsBeingMade(
  slots: BackupSlots,
  userid: string,
  guests: ReadonlyArray<{ vmid: number; config: Readonly<Record<string, unknown>> }>,
): number {
  const ours = slots.guests(userid);
  const elsewhere = guests.filter(
    (guest) => guest.config.lock === 'backup' && !ours.has(guest.vmid),
  );
  return slots.pending(userid) + elsewhere.length;
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
