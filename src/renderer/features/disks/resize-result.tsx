import type { ReactNode } from 'react';
import { formatBytes } from '../../../shared/units';
import type { ResizeResult } from './use-resize-disk';

/** The outcome of a successful resize: the disk's new size, and PVE's warnings if any. */
export function ResizeResultView({
  result,
  previousSizeBytes,
}: {
  result: ResizeResult;
  previousSizeBytes: number;
}): ReactNode {
  return (
    <div className="message message-success" role="status" data-testid="resize-result">
      <p className="message-title">
        {result.disk} is now {formatBytes(result.sizeBytes)}
      </p>
      <p>
        {result.task.status === 'warnings'
          ? `PVE finished with warnings (${result.task.exitStatus}); check the task log below.`
          : `It was ${formatBytes(previousSizeBytes)}. The volume on ${result.storage} has grown and your quota usage is up to date.`}
      </p>
    </div>
  );
}
