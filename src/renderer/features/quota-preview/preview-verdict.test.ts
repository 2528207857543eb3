import { describe, expect, it } from 'vitest';
import type { QuotaPreview } from '../../../shared/quota-schemas';
import { ApiError } from '../../api';
import { blocksConfirm, previewVerdict, type PreviewQueryState } from './preview-verdict';

const fits: QuotaPreview = { approved: true, items: [] };
const short: QuotaPreview = { approved: false, items: [] };
const settled: PreviewQueryState = {
  wanted: true,
  settled: true,
  data: undefined,
  dataIsEarlier: false,
  error: null,
};

describe('previewVerdict', () => {
  it('is idle while the form describes no change', () => {
    expect(previewVerdict({ ...settled, wanted: false, data: short })).toEqual({ status: 'idle' });
  });

  it('says fits or refused for the current values once they are priced', () => {
    expect(previewVerdict({ ...settled, data: fits })).toEqual({ status: 'fits', preview: fits });
    expect(previewVerdict({ ...settled, data: short })).toEqual({
      status: 'refused',
      preview: short,
    });
  });

  it('keeps the last figures as checking while new values wait or are priced', () => {
    expect(previewVerdict({ ...settled, settled: false, data: short })).toEqual({
      status: 'checking',
      last: short,
    });
    expect(previewVerdict({ ...settled, data: short, dataIsEarlier: true })).toEqual({
      status: 'checking',
      last: short,
    });
    expect(previewVerdict(settled)).toEqual({ status: 'checking', last: null });
  });

  it('marks a policy refusal among errors, and no other error', () => {
    const refusal = new ApiError('QUOTA_EXCEEDED', 'sata is not allowed on tank');
    const missing = new ApiError('NOT_FOUND', 'no such disk');

    expect(previewVerdict({ ...settled, error: refusal })).toEqual({
      status: 'error',
      error: refusal,
      refusal: true,
    });
    expect(previewVerdict({ ...settled, error: missing })).toMatchObject({ refusal: false });
  });
});

describe('blocksConfirm', () => {
  it('blocks only a change the preview says does not fit or cannot be priced against a quota', () => {
    const verdicts = [
      previewVerdict({ ...settled, data: short }),
      previewVerdict({ ...settled, error: new ApiError('QUOTA_EXCEEDED', 'no') }),
      previewVerdict({ ...settled, error: new ApiError('QUOTA_UNDEFINED', 'tank is not active') }),
      previewVerdict({ ...settled, data: fits }),
      previewVerdict({ ...settled, settled: false, data: short }),
      previewVerdict({ ...settled, error: new ApiError('PVE_UNREACHABLE', 'down') }),
      previewVerdict({ ...settled, wanted: false }),
    ];

    expect(verdicts.map(blocksConfirm)).toEqual([true, true, true, false, false, false, false]);
  });
});
