import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { selectTask, type TaskFeed, type TaskRecord, type TaskSelector } from './task-feed';

const TaskFeedContext = createContext<TaskFeed | null>(null);

/** Makes one task feed available to the views below. */
export function TaskFeedProvider({
  feed,
  children,
}: {
  feed: TaskFeed;
  children: ReactNode;
}): ReactNode {
  return <TaskFeedContext value={feed}>{children}</TaskFeedContext>;
}

/** The app's task feed. */
export function useTaskFeed(): TaskFeed {
  const feed = useContext(TaskFeedContext);
  if (feed === null) throw new Error('useTaskFeed needs a TaskFeedProvider above it.');
  return feed;
}

/** The task a call in flight is running, updated as its progress events arrive. */
export function useSelectedTask(selector: TaskSelector | null): TaskRecord | null {
  const feed = useTaskFeed();
  const snapshot = useSyncExternalStore(feed.subscribe, feed.getSnapshot);
  return selector === null ? null : selectTask(snapshot, selector);
}
