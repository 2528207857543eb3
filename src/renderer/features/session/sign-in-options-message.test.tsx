import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api';
import { SignInOptionsMessage } from './sign-in-options-status';
import type { SignInOptionsView } from './sign-in-options-view';

// Whatever the lookup's state, its message offers exactly one Try again when asked to, and none
// (only the note) when another Try again on the page covers it.

const views: SignInOptionsView[] = [
  { kind: 'slow', text: 'Asking the cluster…', detail: 'It has not answered yet.' },
  { kind: 'away', title: 'Could not reach the cluster', detail: 'Closed.', hint: 'Later.' },
  { kind: 'failed' },
];

function tryAgainButtons(html: string): number {
  return html.match(/<button[^>]*>Try again<\/button>/g)?.length ?? 0;
}

/** The message of a lookup in `view` whose last answer was a 500 from PVE. */
function rendered(view: SignInOptionsView, retry: boolean, note?: string): string {
  const lookup = {
    view,
    error: new ApiError('PVE_ERROR', 'internal error'),
    askAgain: () => undefined,
  };
  return renderToStaticMarkup(<SignInOptionsMessage lookup={lookup} retry={retry} note={note} />);
}

describe('SignInOptionsMessage', () => {
  it.each(views.map((view) => [view.kind, view] as const))(
    'offers one Try again for a %s lookup when asked to',
    (_kind, view) => {
      expect(tryAgainButtons(rendered(view, true))).toBe(1);
    },
  );

  it.each(views.map((view) => [view.kind, view] as const))(
    'offers none for a %s lookup when another covers it, and says so',
    (_kind, view) => {
      const html = rendered(
        view,
        false,
        'Try again above also asks the cluster again how you can sign in.',
      );
      expect(tryAgainButtons(html)).toBe(0);
      expect(html).toContain('Try again above also asks the cluster again');
    },
  );
});
