// What the sign-in page shows while it asks a cluster for its sign-in options (the realms), and
// when that fails. The options can only come from the cluster, so a cluster that is away or does
// not answer is said so plainly, with its address and a way to ask again, not left as a spinner.

/** How long the lookup may go unanswered before the page says the cluster has not answered yet. */
export const slowAnswerMs = 5_000;

// The codes main gives when no node of the cluster answered at all.
const awayCodes: ReadonlySet<string> = new Set([
  'PVE_UNREACHABLE',
  'CLUSTER_UNREACHABLE',
  'PVE_TIMEOUT',
]);

/** Where the realm lookup stands, as the page's query has it. */
export interface SignInOptionsState {
  /** The cluster's address as shown to people (`pve1.lab:8006`). */
  host: string;
  status: 'pending' | 'error' | 'success';
  /** The error's code and message when `status` is `error`. */
  error: { code: string | undefined; message: string } | null;
  /** How long the current lookup has waited for an answer. */
  waitedMs: number;
}

/** What to show for the lookup: a line, a message with a Try again, or nothing (the form shows). */
export type SignInOptionsView =
  | { kind: 'asking'; text: string }
  | { kind: 'slow'; text: string; detail: string }
  | { kind: 'away'; title: string; detail: string; hint: string }
  | { kind: 'failed' }
  | { kind: 'ready' };

/** The view of the lookup's state; see SignInOptionsView. */
export function signInOptionsView(state: SignInOptionsState): SignInOptionsView {
  switch (state.status) {
    case 'success':
      return { kind: 'ready' };
    case 'pending': {
      const text = `Asking the cluster at ${state.host} how you can sign in…`;
      if (state.waitedMs < slowAnswerMs) return { kind: 'asking', text };
      return {
        kind: 'slow',
        text,
        detail: `${state.host} has not answered yet. It may be down, or slow to answer.`,
      };
    }
    case 'error':
      if (state.error === null || !awayCodes.has(state.error.code ?? '')) return { kind: 'failed' };
      return {
        kind: 'away',
        title: `ProxDesk could not reach the cluster at ${state.host}`,
        detail: state.error.message,
        hint: 'The ways to sign in come from the cluster, so they show once it answers.',
      };
  }
}
