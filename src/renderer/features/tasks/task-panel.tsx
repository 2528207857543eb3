import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { TaskSummary } from '../../../shared/contract';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/spinner';
import { taskStateLabel, taskTimeLabel, taskTypeLabel } from './task-labels';
import { TaskLogDialog } from './task-log-dialog';
import { taskListQuery } from './task-queries';

/** Props of the task panel. */
export interface TaskPanelProps {
  /** Only tasks about this guest. */
  vmid: number;
}

/** The recent PVE tasks of one guest, newest first; a click opens the task's log. */
export function TaskPanel({ vmid }: TaskPanelProps): ReactNode {
  const list = useQuery(taskListQuery());
  const [open, setOpen] = useState<TaskSummary | null>(null);
  const tasks = list.data?.filter((task) => task.vmid === vmid) ?? [];

  return (
    <section className="form" aria-label="Recent tasks" data-testid="tasks-panel">
      <h3 className="section-title">Recent tasks</h3>
      {list.isPending ? <Loading>Reading the task list…</Loading> : null}
      {list.isError ? (
        <ErrorMessage
          error={list.error}
          title="Could not read the task list"
          onRetry={() => void list.refetch()}
          testId="tasks-error"
        />
      ) : null}
      {list.isSuccess && tasks.length === 0 ? (
        <p className="empty" data-testid="tasks-empty">
          No recent tasks for this instance.
        </p>
      ) : null}
      {tasks.length > 0 ? (
        <div className="table-scroll">
          <table className="table table-compact table-selectable">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((task) => (
                <tr key={task.upid} data-testid="task-row" data-upid={task.upid}>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => setOpen(task)}
                      data-testid="task-open"
                    >
                      {taskTypeLabel(task.type)}
                    </button>
                  </td>
                  <td>{taskTimeLabel(task.startedAt)}</td>
                  <td data-testid="task-state">{taskStateLabel(task)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {open !== null ? <TaskLogDialog task={open} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}
