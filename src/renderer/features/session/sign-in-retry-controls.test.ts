import { describe, expect, it } from 'vitest';
import type { SignInOptionsView } from './sign-in-options-view';
import { signInRetryControls } from './sign-in-retry-controls';

const note = 'Try again above also asks the cluster again how you can sign in.';
const stuckKinds = ['slow', 'away', 'failed'] as const;
const allKinds: SignInOptionsView['kind'][] = ['asking', 'slow', 'away', 'failed', 'ready'];

describe('signInRetryControls', () => {
  it.each(stuckKinds)(
    'offers one Try again, the kept sign-in’s, that also asks the options when they are %s',
    (options) => {
      const controls = signInRetryControls({ keptSignInRetry: true, restoring: false, options });

      expect(controls).toEqual({
        restoreRetry: true,
        restoreAsksOptions: true,
        optionsRetry: false,
        optionsNote: note,
      });
    },
  );

  it.each(['asking', 'ready'] as const)(
    'keeps the kept sign-in’s Try again to the sign-in alone while the options are %s',
    (options) => {
      const controls = signInRetryControls({ keptSignInRetry: true, restoring: false, options });

      expect(controls).toEqual({
        restoreRetry: true,
        restoreAsksOptions: false,
        optionsRetry: false,
        optionsNote: null,
      });
    },
  );

  it.each(stuckKinds)(
    'leaves the options their own Try again when no kept sign-in can be tried (%s)',
    (options) => {
      const controls = signInRetryControls({ keptSignInRetry: false, restoring: false, options });

      expect(controls).toEqual({
        restoreRetry: false,
        restoreAsksOptions: false,
        optionsRetry: true,
        optionsNote: null,
      });
    },
  );

  it('shows no Try again at all when nothing failed and no kept sign-in waits', () => {
    expect(
      signInRetryControls({ keptSignInRetry: false, restoring: false, options: 'ready' }),
    ).toEqual({
      restoreRetry: false,
      restoreAsksOptions: false,
      optionsRetry: false,
      optionsNote: null,
    });
  });

  it('gives a lookup that hangs its own Try again while the kept sign-in is being tried', () => {
    const controls = signInRetryControls({
      keptSignInRetry: true,
      restoring: true,
      options: 'slow',
    });

    expect(controls).toEqual({
      restoreRetry: true,
      restoreAsksOptions: true,
      optionsRetry: true,
      optionsNote: null,
    });
  });

  it('offers exactly one Try again to press whenever anything can be tried again', () => {
    for (const keptSignInRetry of [false, true]) {
      for (const restoring of [false, true]) {
        for (const options of allKinds) {
          const controls = signInRetryControls({ keptSignInRetry, restoring, options });
          // The kept sign-in's button reads "Trying…" and is disabled while it runs.
          const restorePressable = controls.restoreRetry && !restoring;
          const pressable = Number(restorePressable) + Number(controls.optionsRetry);
          const stuck = (stuckKinds as readonly string[]).includes(options);
          const expected = (keptSignInRetry && !restoring) || stuck ? 1 : 0;

          expect({ keptSignInRetry, restoring, options, pressable }).toEqual({
            keptSignInRetry,
            restoring,
            options,
            pressable: expected,
          });
        }
      }
    }
  });
});
