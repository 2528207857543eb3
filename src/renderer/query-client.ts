import { QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api';
import { sessionKeys } from './features/session/session-queries';

/** Creates the app's query cache, with defaults that suit calls over IPC rather than HTTP. */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // Any query may be the first to find that the session ended; the session query then
      // learns it from main and the shell shows the sign-in page.
      onError: (error) => {
        if (isApiError(error, 'SESSION_EXPIRED', 'NOT_SIGNED_IN')) {
          void client.invalidateQueries({ queryKey: sessionKeys.all });
        }
      },
    }),
    defaultOptions: {
      queries: {
        // Main already retries idempotent PVE reads; a second layer would only delay the error.
        retry: false,
        // Focus changes of a desktop window are not a reason to hit the cluster again; events
        // from main say when data changed.
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
