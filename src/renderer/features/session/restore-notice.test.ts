import { describe, expect, it } from 'vitest';
import { restoreNotice } from './restore-notice';

describe('restoreNotice', () => {
  it('names the user and says why the kept sign-in was dropped', () => {
    const failed = {
      userid: 'alice@pve',
      clusterUrl: 'https://pve1.lab:8006',
      reason: 'it had expired.',
    };

    expect(restoreNotice(failed)).toBe(
      'ProxDesk could not keep you signed in as alice@pve because it had expired. Sign in again.',
    );
  });
});
