import { useState, type ReactNode } from 'react';
import type { InstanceRef, PowerAction } from '../../../shared/contract';
import { isApiError } from '../../api';
import { ErrorMessage } from '../../components/error-message';
import { useSelectedTask, useTaskFeed } from '../tasks/task-feed-context';
import { TaskProgress } from '../tasks/task-progress';
import { isPowerActionAvailable, powerButtons } from './power-labels';
import { StopConfirmDialog } from './stop-confirm-dialog';
import { usePowerAction } from './use-power-action';

/** Props of the power controls. */
export interface PowerControlsProps {
  instance: InstanceRef & { name: string; status: string; lock: string | null };
}

/** Start, shut down, reboot and stop buttons, with the running task's progress and outcome. */
export function PowerControls({ instance }: PowerControlsProps): ReactNode {
  const feed = useTaskFeed();
  const power = usePowerAction(instance);
  const [confirmingStop, setConfirmingStop] = useState(false);
  const [taskMark, setTaskMark] = useState<number | null>(null);
  const guestLabel = instance.name || `guest ${instance.vmid}`;

  const failedUpid = isApiError(power.error) ? power.error.details?.upid : undefined;
  const task = useSelectedTask(
    taskMark === null
      ? null
      : { node: instance.node, since: taskMark, upid: power.data?.task.upid ?? failedUpid },
  );

  function run(action: PowerAction): void {
    setConfirmingStop(false);
    setTaskMark(feed.mark());
    power.mutate(action);
  }

  const busyLabel = powerButtons.find((b) => b.action === power.variables)?.busy;

  return (
    <section className="form" aria-label="Power" data-testid="power-controls">
      <div className="form-actions">
        {powerButtons.map(({ action, label }) => (
          <button
            key={action}
            type="button"
            className={
              action === 'start' ? 'button button-primary button-small' : 'button button-small'
            }
            data-testid={`power-${action}`}
            disabled={
              power.isPending ||
              instance.lock !== null ||
              !isPowerActionAvailable(action, instance.status)
            }
            onClick={() => (action === 'stop' ? setConfirmingStop(true) : run(action))}
          >
            {power.isPending && power.variables === action ? (busyLabel ?? label) : label}
          </button>
        ))}
      </div>

      {power.isSuccess ? (
        <p
          className="message message-success message-small"
          role="status"
          data-testid="power-result"
        >
          {power.data.task.status === 'warnings'
            ? `Done, with warnings (${power.data.task.exitStatus}).`
            : 'Done.'}
        </p>
      ) : null}
      {power.isError ? (
        <ErrorMessage error={power.error} title="The power action failed" testId="power-error" />
      ) : null}
      {taskMark !== null && (power.isPending || task !== null) ? (
        <TaskProgress
          task={task}
          running={power.isPending}
          preparingText="Sending the request to the cluster…"
        />
      ) : null}

      {confirmingStop ? (
        <StopConfirmDialog
          guestLabel={guestLabel}
          onConfirm={() => run('stop')}
          onCancel={() => setConfirmingStop(false)}
        />
      ) : null}
    </section>
  );
}
