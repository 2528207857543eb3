import type {
  DefaultError,
  QueryKey,
  QueryKeyWithDataTag,
  UnusedSkipTokenOptions,
} from '@tanstack/react-query';

/** What `queryOptions` returns for a query that resolves with `T` under the key `K`. */
export type AppQueryOptions<T, K extends QueryKey> = UnusedSkipTokenOptions<T, DefaultError, T, K> &
  QueryKeyWithDataTag<K, T, DefaultError>;
