import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { TaskSummary } from '../../../shared/contract';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/spinner';
import { taskStateLabel, taskTypeLabel } from './task-labels';
import { taskLogQuery } from './task-queries';

/** Props of the task log dialog. */
export interface TaskLogDialogProps {
  task: TaskSummary;
  onClose: () => void;
}

/** One task's log, as PVE recorded it. */
export function TaskLogDialog({ task, onClose }: TaskLogDialogProps): ReactNode {
  const log = useQuery(taskLogQuery(task.upid));
  const state = log.data
    ? log.data.running
      ? 'Running'
      : taskStateLabel({ ...task, exitStatus: log.data.exitStatus })
    : taskStateLabel(task);

  return (
    <Dialog
      title={`${taskTypeLabel(task.type)} of guest ${task.vmid ?? '—'}`}
      onClose={onClose}
      testId="task-log-dialog"
    >
      <p className="dialog-lead">
        On {task.node} by {task.user}: <span data-testid="task-log-state">{state}</span>
      </p>
      {log.isPending ? <Loading>Reading the task log…</Loading> : null}
      {log.isError ? (
        <ErrorMessage
          error={log.error}
          title="Could not read the task log"
          onRetry={() => void log.refetch()}
          testId="task-log-error"
        />
      ) : null}
      {log.data ? (
        <pre className="task-log" role="log" aria-label="Task log" data-testid="task-log-lines">
          {log.data.lines.map((line) => line.text).join('\n') || 'The task logged nothing.'}
          {log.data.truncated ? '\n… (the rest of the log is not shown)' : ''}
        </pre>
      ) : null}
      <p className="task-upid" title="PVE task id">
        {task.upid}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
