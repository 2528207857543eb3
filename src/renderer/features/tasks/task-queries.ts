import { queryOptions } from '@tanstack/react-query';
import type { TaskLogResult, TaskSummary } from '../../../shared/contract';
import { callChannel } from '../../api';
import type { AppQueryOptions } from '../../query-types';

/** Query keys for PVE tasks: all -> lists -> list -> details -> detail(upid). */
export const taskKeys = {
  all: ['tasks'] as const,
  lists: () => [...taskKeys.all, 'list'] as const,
  /** The signed-in user's recent tasks; the contract offers no other filter. */
  list: () => [...taskKeys.lists(), 'own'] as const,
  details: () => [...taskKeys.all, 'log'] as const,
  detail: (upid: string) => [...taskKeys.details(), upid] as const,
};

/** The user's recent tasks; polled while one of them is still running. */
export function taskListQuery(): AppQueryOptions<TaskSummary[], ReturnType<typeof taskKeys.list>> {
  return queryOptions({
    queryKey: taskKeys.list(),
    queryFn: () => callChannel('task:list'),
    staleTime: 10_000,
    refetchInterval: (query) =>
      query.state.data?.some((task) => task.state === 'running') === true ? 3_000 : false,
  });
}

/** One task's log; polled while the task runs. */
export function taskLogQuery(
  upid: string,
): AppQueryOptions<TaskLogResult, ReturnType<typeof taskKeys.detail>> {
  return queryOptions({
    queryKey: taskKeys.detail(upid),
    queryFn: () => callChannel('task:log', { upid }),
    refetchInterval: (query) => (query.state.data?.running === true ? 2_000 : false),
  });
}
