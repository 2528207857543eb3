import { describe, expect, it } from 'vitest';
import { taskStateLabel, taskTypeLabel } from './task-labels';

describe('task labels', () => {
  it('names known PVE task types in words and leaves unknown ones as PVE wrote them', () => {
    expect(taskTypeLabel('qmshutdown')).toBe('Shut down');
    expect(taskTypeLabel('vzdump')).toBe('Backup');
    expect(taskTypeLabel('srvreload')).toBe('srvreload');
    expect(taskTypeLabel('toString')).toBe('toString');
  });

  it('shows the exit text of failed and warning tasks', () => {
    expect(taskStateLabel({ state: 'failed', exitStatus: 'VM 100 already running' })).toBe(
      'Failed: VM 100 already running',
    );
    expect(taskStateLabel({ state: 'warnings', exitStatus: 'WARNINGS: 2' })).toBe('WARNINGS: 2');
    expect(taskStateLabel({ state: 'running', exitStatus: null })).toBe('Running');
    expect(taskStateLabel({ state: 'ok', exitStatus: 'OK' })).toBe('OK');
  });
});
