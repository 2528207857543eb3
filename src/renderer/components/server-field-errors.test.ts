import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import {
  fieldErrorsFrom,
  messageRepeatsPlacedReason,
  unplacedFieldErrors,
} from './server-field-errors';

const rateFields = { rateMBps: 'rateMBps', bridge: 'bridge' } as const;

describe('fieldErrorsFrom', () => {
  it('puts a PVE refusal, already named by main, under the matching form field', () => {
    const error = new ApiError('PVE_VALIDATION', 'PVE refused the values.', {
      status: 400,
      fields: { rateMBps: 'value must have a maximum value of 100' },
    });

    expect(fieldErrorsFrom(error, rateFields)).toEqual({
      rateMBps: 'value must have a maximum value of 100',
    });
  });

  it('shows our own INVALID_INPUT and QUOTA_EXCEEDED fields the same way', () => {
    const invalid = new ApiError('INVALID_INPUT', 'Invalid input.', {
      fields: { bridge: 'not a bridge name' },
    });
    const quota = new ApiError('QUOTA_EXCEEDED', 'Over quota.', {
      fields: { rateMBps: 'over the network quota' },
    });

    expect(fieldErrorsFrom(invalid, rateFields)).toEqual({ bridge: 'not a bridge name' });
    expect(fieldErrorsFrom(quota, rateFields)).toEqual({
      rateMBps: 'over the network quota',
    });
  });

  it('maps an input name to a differently named form field, joining two reasons', () => {
    const error = new ApiError('PVE_VALIDATION', 'PVE refused the values.', {
      fields: { memoryMiB: 'too small', 'memory.current': 'not a number' },
    });

    expect(
      fieldErrorsFrom(error, {
        memoryMiB: 'memory',
        'memory.current': 'memory',
      }),
    ).toEqual({ memory: 'too small; not a number' });
  });

  it('leaves out fields the form does not have, and anything that is not an ApiError', () => {
    const error = new ApiError('PVE_VALIDATION', 'PVE refused the values.', {
      fields: { balloon: 'unknown', toString: 'x' },
    });

    expect(fieldErrorsFrom(error, rateFields)).toEqual({});
    expect(fieldErrorsFrom(new Error('boom'), rateFields)).toEqual({});
    expect(fieldErrorsFrom(null, rateFields)).toEqual({});
  });
});

describe('unplacedFieldErrors', () => {
  it('keeps only the reasons of input fields the form does not show', () => {
    const error = new ApiError('INVALID_INPUT', 'Invalid input.', {
      fields: { rateMBps: 'too high', profileId: 'unknown profile', bridge: 'not a bridge name' },
    });

    expect(unplacedFieldErrors(error, rateFields)).toEqual([['profileId', 'unknown profile']]);
  });

  it('keeps every reason when the form shows none, and none for an error without fields', () => {
    const error = new ApiError('PVE_VALIDATION', 'PVE refused the values.', {
      fields: { 'net1.tag': 'out of range' },
    });

    expect(unplacedFieldErrors(error, {})).toEqual([['net1.tag', 'out of range']]);
    expect(unplacedFieldErrors(new ApiError('CONFLICT', 'Changed meanwhile.'), rateFields)).toEqual(
      [],
    );
    expect(unplacedFieldErrors(new Error('plain'), rateFields)).toEqual([]);
  });

  it('does not treat an inherited property name as a field the form shows', () => {
    const error = new ApiError('INVALID_INPUT', 'Invalid input.', {
      fields: { toString: 'odd field name' },
    });

    expect(unplacedFieldErrors(error, rateFields)).toEqual([['toString', 'odd field name']]);
  });
});

describe('messageRepeatsPlacedReason', () => {
  it('is true only when the message is the reason of a field the form shows', () => {
    const reason = 'This is not a PEM certificate.';
    const placed = new ApiError('INVALID_INPUT', reason, { fields: { caPem: reason } });
    const other = new ApiError('INVALID_INPUT', 'Invalid input.', { fields: { caPem: reason } });

    expect(messageRepeatsPlacedReason(placed, { caPem: 'caPem' })).toBe(true);
    expect(messageRepeatsPlacedReason(placed, {})).toBe(false);
    expect(messageRepeatsPlacedReason(other, { caPem: 'caPem' })).toBe(false);
    expect(messageRepeatsPlacedReason(new Error(reason), { caPem: 'caPem' })).toBe(false);
  });
});
