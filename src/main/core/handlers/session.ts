import type { HandlerGroup } from '../context';

/** Signing in and out. */
export const sessionHandlers: HandlerGroup<'session:login' | 'session:logout' | 'session:status'> =
  {
    'session:login': async (input, { sessions }) => sessions.login(input),
    'session:logout': async (_input, { sessions }) => sessions.logout(),
    'session:status': async (_input, { sessions }) => sessions.status(),
  };
