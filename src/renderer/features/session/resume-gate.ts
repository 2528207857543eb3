import type { ChannelName, ChannelOutput, ChannelRequest } from '../../../shared/contract';
import { ApiError, callChannel, isApiError } from '../../api';
import { pendingChangeText } from './pending-change-text';

// A change the user started must survive the sign-in prompt when the session ends under it. Main
// marks a SESSION_EXPIRED `resumable` only when it can prove the call committed nothing; such a
// call then waits here, its dialog still open with its values, until the same user has signed in
// again (it then runs once more) or someone else signs in (it is dropped). Each wait ends exactly
// once, so a change runs at most once per proven-empty failure, and never after PVE accepted it.

/** A change waiting for the user to sign in again. */
export interface PendingChange {
  id: number;
  channel: ChannelName;
  /** What the change does, for the sign-in prompt. */
  description: string;
}

interface Waiter {
  change: PendingChange;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** The changes waiting for a new sign-in, and the two ways their wait ends. */
export class ResumeGate {
  private waiters: Waiter[] = [];
  private snapshot: readonly PendingChange[] = [];
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  /** Waits until `resume` (resolves: run the change again) or `discard` (rejects). */
  wait(channel: ChannelName, input: unknown): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const change = { id: this.nextId++, channel, description: pendingChangeText(channel, input) };
      this.waiters.push({ change, resolve, reject });
      this.changed();
    });
  }

  /** The waiting changes; the same array until one is added or the waits end. */
  pending(): readonly PendingChange[] {
    return this.snapshot;
  }

  /** Calls `listener` whenever the waiting changes do; returns the function that stops it. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The same user signed in again: every waiting change runs once more. Returns how many. */
  resume(): number {
    return this.settle((waiter) => waiter.resolve());
  }

  /** Someone else signed in, or the user signed out: every waiting change is dropped. */
  discard(): number {
    const reason = new ApiError(
      'SESSION_EXPIRED',
      'The change was not made: the session ended and it was discarded at the next sign-in.',
      { resumable: false },
    );
    return this.settle((waiter) => waiter.reject(reason));
  }

  private settle(end: (waiter: Waiter) => void): number {
    const ending = this.waiters;
    this.waiters = [];
    if (ending.length > 0) this.changed();
    for (const waiter of ending) end(waiter);
    return ending.length;
  }

  private changed(): void {
    this.snapshot = this.waiters.map((waiter) => waiter.change);
    for (const listener of this.listeners) listener();
  }
}

/** The app's one gate: every change dialog's call waits here across a sign-in prompt. */
export const resumeGate = new ResumeGate();

/**
 * Calls a channel that changes something. When main reports that the session ended and that the
 * call provably committed nothing, waits for the user to sign in again and calls it once more.
 */
export async function callResumable<C extends ChannelName>(
  channel: C,
  input: ChannelRequest<C>,
  gate: ResumeGate = resumeGate,
): Promise<ChannelOutput<C>> {
  for (;;) {
    try {
      return await callChannel(channel, input);
    } catch (error) {
      if (!isApiError(error, 'SESSION_EXPIRED') || error.details?.resumable !== true) throw error;
      await gate.wait(channel, input);
    }
  }
}
