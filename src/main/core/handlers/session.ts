import type { HandlerGroup } from '../context';

/** Signing in (password, second factor, API token) and out. */
export const sessionHandlers: HandlerGroup<
  | 'session:login'
  | 'session:second-factor'
  | 'session:login-token'
  | 'session:remembered-tokens'
  | 'session:forget-token'
  | 'session:logout'
  | 'session:status'
  | 'session:restore'
> = {
  'session:login': async (input, { sessions }) => sessions.login(input),
  'session:second-factor': async (input, { sessions }) => sessions.secondFactor(input),
  'session:login-token': async (input, { sessions }) => sessions.loginWithToken(input),
  'session:remembered-tokens': async (input, { tokens }) => tokens.list(input.url),
  'session:forget-token': async (input, { tokens }) => tokens.forget(input.url, input.tokenId),
  'session:logout': async (_input, { sessions, background }) => {
    // Followers use the signed-out user's ticket, so they stop; their tasks keep their
    // reservations and are followed again when the same user signs in again.
    background.stopFollowing();
    return sessions.logout();
  },
  'session:status': async (_input, { sessions }) => {
    // At start, the answer waits for the kept sign-in ("Stay signed in") to be restored or dropped.
    await sessions.restored();
    return sessions.status();
  },
  'session:restore': async (_input, { sessions }) => sessions.retryRestore(),
};
