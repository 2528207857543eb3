import { describe, expect, it } from 'vitest';
import { failoverText } from './failover-notice';

const change = {
  from: { url: 'https://10.0.0.1:8006', name: 'pve1' },
  to: { url: 'https://10.0.0.2:8006', name: 'pve2' },
  reason: 'refused the connection',
  verifiedBy: 'pin' as const,
  at: '2026-03-01T10:00:00.000Z',
};

describe('failoverText', () => {
  it('names both nodes, the reason and how the new node was checked', () => {
    expect(failoverText(change)).toBe(
      'pve1 stopped answering (refused the connection); now using pve2 (certificate checked against its pin).',
    );
    expect(failoverText({ ...change, verifiedBy: 'ca' })).toBe(
      "pve1 stopped answering (refused the connection); now using pve2 (certificate checked against the cluster's root CA).",
    );
  });

  it('uses the host and port of a node whose name is not known', () => {
    expect(failoverText({ ...change, from: { url: 'https://10.0.0.1:8006', name: null } })).toMatch(
      /^10\.0\.0\.1:8006 stopped answering/,
    );
  });
});
