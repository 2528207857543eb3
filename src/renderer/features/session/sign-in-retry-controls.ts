import type { SignInOptionsView } from './sign-in-options-view';

// Which "Try again" the sign-in page offers. A kept sign-in the start could not restore and a
// lookup of the sign-in options that failed or hangs usually fail for one cause, the cluster being
// away, so the page offers one Try again for both: the kept sign-in's, which then asks the
// options again too. Whichever comes back works: a restored sign-in opens the workspace, the
// options let the user sign in with a password.

/** Where the two things the page can try again stand. */
export interface SignInRetryState {
  /** The notice offers to try the kept sign-in again (the cluster was away, so it is still kept). */
  keptSignInRetry: boolean;
  /** The kept sign-in is being tried again right now; its button reads "Trying…" meanwhile. */
  restoring: boolean;
  /** What the status of the sign-in options lookup shows. */
  options: SignInOptionsView['kind'];
}

/** The Try again controls to show, and what the kept sign-in's one does. */
export interface SignInRetryControls {
  /** The notice shows the kept sign-in's Try again. */
  restoreRetry: boolean;
  /** The kept sign-in's Try again also asks the cluster for the sign-in options again. */
  restoreAsksOptions: boolean;
  /** The options' status shows its own Try again. */
  optionsRetry: boolean;
  /** Said in the options' status in place of its own Try again, or null. */
  optionsNote: string | null;
}

/** The lookup states whose status offers to ask again: it failed, or has waited too long. */
function optionsCanRetry(kind: SignInOptionsView['kind']): boolean {
  switch (kind) {
    case 'slow':
    case 'away':
    case 'failed':
      return true;
    case 'asking':
    case 'ready':
      return false;
  }
}

/** The controls for the page's state; never two "Try again" at once. */
export function signInRetryControls(state: SignInRetryState): SignInRetryControls {
  const optionsStuck = optionsCanRetry(state.options);
  const restoreAsksOptions = state.keptSignInRetry && optionsStuck;
  // While the kept sign-in is tried its button cannot be pressed, so a lookup that hangs or fails
  // meanwhile keeps its own way to ask again.
  const optionsRetry = optionsStuck && (!state.keptSignInRetry || state.restoring);
  return {
    restoreRetry: state.keptSignInRetry,
    restoreAsksOptions,
    optionsRetry,
    optionsNote:
      optionsStuck && !optionsRetry
        ? 'Try again above also asks the cluster again how you can sign in.'
        : null,
  };
}
