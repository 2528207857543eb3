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

  it('says a sign-in kept over an unreachable cluster is still kept and can be tried again', () => {
    const failed = {
      userid: 'alice@pve',
      clusterUrl: 'https://pve1.lab:8006',
      reason: 'the cluster could not be reached.',
      stillKept: true as const,
    };

    expect(restoreNotice(failed)).toBe(
      'ProxDesk could not restore your sign-in as alice@pve because the cluster could not be reached. It is still kept: try again once the cluster is back, or sign in with your password.',
    );
  });
});
