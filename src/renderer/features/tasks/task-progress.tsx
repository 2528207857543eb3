import { useEffect, useRef, type ReactNode } from 'react';
import { ProgressBar } from '../../components/progress-bar';
import type { TaskRecord } from './task-feed';

/** Props of the progress panel of a call that runs a PVE task. */
export interface TaskProgressProps {
  /** The task, once its first progress event arrived. */
  task: TaskRecord | null;
  /** Whether the call is still in flight. */
  running: boolean;
  /** What the call is doing before PVE has started a task, e.g. "Checking your quota…". */
  preparingText: string;
}

function statusLine(task: TaskRecord | null, running: boolean, preparingText: string): string {
  if (task === null) return running ? preparingText : 'No task output was received.';
  if (task.state === 'running') return `PVE is running the task on ${task.node}…`;
  if (running) return `The task on ${task.node} finished; reading the result…`;
  return `The task on ${task.node} finished: ${task.exitStatus ?? 'no exit status'}.`;
}

/** Shows a task's state and its log lines as they stream in. */
export function TaskProgress({ task, running, preparingText }: TaskProgressProps): ReactNode {
  const logRef = useRef<HTMLPreElement>(null);
  const lineCount = task?.lines.length ?? 0;

  useEffect(() => {
    // Keep the newest line in view, as a terminal would.
    const log = logRef.current;
    if (log !== null) log.scrollTop = log.scrollHeight;
  }, [lineCount]);

  return (
    <section className="task" aria-label="Task progress" data-testid="task-progress">
      <p className="task-status" role="status" aria-live="polite">
        {statusLine(task, running, preparingText)}
      </p>
      {running ? <ProgressBar label="Task in progress" /> : null}
      {task !== null && task.lines.length > 0 ? (
        <pre
          ref={logRef}
          className="task-log"
          role="log"
          aria-label="Task log"
          data-testid="task-log"
        >
          {task.lines.join('\n')}
        </pre>
      ) : null}
      {task !== null ? (
        <p className="task-upid" title="PVE task id">
          {task.upid}
        </p>
      ) : null}
    </section>
  );
}
