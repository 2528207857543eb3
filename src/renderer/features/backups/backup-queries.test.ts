import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../shared/errors';
import { ApiError } from '../../api';
import { staleAfterFailure } from './backup-queries';

describe('staleAfterFailure', () => {
  it.each<ErrorCode>([
    'QUOTA_EXCEEDED',
    'QUOTA_UNDEFINED',
    'TASK_FAILED',
    'TASK_TIMEOUT',
    'OUTCOME_UNKNOWN',
    'NOT_FOUND',
    'CONFLICT',
    'LOCKED',
  ])('reads the panel again after %s, which may leave the count or the guest changed', (code) => {
    expect(staleAfterFailure(new ApiError(code, 'refused'))).toBe(true);
  });

  it.each<ErrorCode>(['INVALID_INPUT', 'NOT_OWNED', 'CLUSTER_UNREACHABLE'])(
    'leaves the panel as it is after %s, which changed nothing',
    (code) => {
      expect(staleAfterFailure(new ApiError(code, 'refused'))).toBe(false);
    },
  );

  it('leaves the panel as it is after an error that is not from main', () => {
    expect(staleAfterFailure(new Error('network'))).toBe(false);
  });
});
