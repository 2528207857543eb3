import { describe, expect, it } from 'vitest';
import { signInOptionsView, slowAnswerMs, type SignInOptionsState } from './sign-in-options-view';

const asking: SignInOptionsState = {
  host: '127.0.0.1:8006',
  status: 'pending',
  error: null,
  waitedMs: 0,
};

describe('signInOptionsView', () => {
  it('names the cluster it is asking while the answer is on its way', () => {
    expect(signInOptionsView(asking)).toEqual({
      kind: 'asking',
      text: 'Asking the cluster at 127.0.0.1:8006 how you can sign in…',
    });
  });

  it('says the cluster has not answered yet once the lookup has waited too long', () => {
    expect(signInOptionsView({ ...asking, waitedMs: slowAnswerMs - 1 }).kind).toBe('asking');
    expect(signInOptionsView({ ...asking, waitedMs: slowAnswerMs })).toEqual({
      kind: 'slow',
      text: 'Asking the cluster at 127.0.0.1:8006 how you can sign in…',
      detail: '127.0.0.1:8006 has not answered yet. It may be down, or slow to answer.',
    });
  });

  it.each(['PVE_UNREACHABLE', 'CLUSTER_UNREACHABLE', 'PVE_TIMEOUT'])(
    'says the cluster could not be reached, with its address, on %s',
    (code) => {
      const message = '127.0.0.1:8006 refused the connection.';

      const view = signInOptionsView({ ...asking, status: 'error', error: { code, message } });

      expect(view).toEqual({
        kind: 'away',
        title: 'ProxDesk could not reach the cluster at 127.0.0.1:8006',
        detail: '127.0.0.1:8006 refused the connection.',
        hint: 'The ways to sign in come from the cluster, so they show once it answers.',
      });
    },
  );

  it('leaves any other failure to the general error message', () => {
    const error = { code: 'CERT_NOT_TRUSTED', message: 'not trusted' };

    expect(signInOptionsView({ ...asking, status: 'error', error })).toEqual({ kind: 'failed' });
    expect(
      signInOptionsView({ ...asking, status: 'error', error: { code: undefined, message: 'x' } }),
    ).toEqual({ kind: 'failed' });
  });

  it('gives way to the form once the options are read', () => {
    expect(signInOptionsView({ ...asking, status: 'success', waitedMs: 9_000 })).toEqual({
      kind: 'ready',
    });
  });
});
