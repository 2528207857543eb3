import { describe, expect, it } from 'vitest';
import type { AppError } from '../../shared/errors';
import type { ClusterStatusRow } from '../pve/api-schemas';
import { provenMember, type MembershipInput } from './cluster-membership';

const rows: ClusterStatusRow[] = [
  { type: 'cluster', name: 'lab' },
  { type: 'node', name: 'pve1', ip: '10.0.0.1', online: true, local: true },
  { type: 'node', name: 'pve2', ip: '10.0.0.2', online: true, local: false },
  { type: 'node', name: 'pve3', ip: '169.254.0.3', online: true, local: false },
];

function input(url: string, name?: string): MembershipInput {
  return {
    rows,
    url,
    name,
    inUseUrl: 'https://pve1.lab.example:8006',
    profileNodes: [{ url: 'https://pve1.lab.example:8006', name: 'pve1' }],
  };
}

function refusal(membership: MembershipInput): { code: string; message: string } {
  try {
    provenMember(membership);
  } catch (error) {
    return { code: (error as AppError).code, message: (error as AppError).message };
  }
  throw new Error('the address was taken as a member');
}

describe('provenMember', () => {
  it('takes the address the cluster status lists for a node, on the port of the node in use', () => {
    expect(provenMember(input('https://10.0.0.2:8006'))).toBe('pve2');
    expect(provenMember(input('https://[::ffff:10.0.0.2]:8006', 'pve2'))).toBe('pve2');
  });

  it('refuses an address the cluster does not list, whatever certificate it has', () => {
    expect(refusal(input('https://10.0.0.9:8006'))).toEqual({
      code: 'INVALID_INPUT',
      message:
        '10.0.0.9:8006 is not shown to be a node of this cluster: the cluster status lists no node at 10.0.0.9. Nothing was added. Its nodes: pve1 at https://10.0.0.1:8006, pve2 at https://10.0.0.2:8006.',
    });
    expect(refusal(input('https://pve2.lab.example:8006')).code).toBe('INVALID_INPUT');
    expect(refusal(input('https://169.254.0.3:8006')).code).toBe('INVALID_INPUT');
  });

  it("refuses a member's IP on another port, which may be any other server on that host", () => {
    expect(refusal(input('https://10.0.0.2:9443'))).toEqual({
      code: 'INVALID_INPUT',
      message:
        "10.0.0.2:9443 is not shown to be a node of this cluster: the cluster lists 10.0.0.2 as pve2, but PVE serves every node's API on the port of the node in use (8006), and 9443 is not it. Nothing was added. Its nodes: pve1 at https://10.0.0.1:8006, pve2 at https://10.0.0.2:8006.",
    });
  });

  it('refuses a name that is not the one the cluster gives the node at that address', () => {
    expect(refusal(input('https://10.0.0.2:8006', 'pve1'))).toEqual({
      code: 'INVALID_INPUT',
      message: 'The cluster lists 10.0.0.2:8006 as the node pve2, not pve1. Nothing was added.',
    });
  });

  it('refuses a second address for the node in use or a node the profile has', () => {
    const inProfile = {
      ...input('https://10.0.0.2:8006'),
      profileNodes: [
        { url: 'https://pve1.lab.example:8006', name: 'pve1' },
        { url: 'https://pve2.lab.example:8006', name: 'pve2' },
      ],
    };

    expect(refusal(input('https://10.0.0.1:8006'))).toEqual({
      code: 'CONFLICT',
      message:
        'pve1 is already a node of this profile, as https://pve1.lab.example:8006. Nothing was added.',
    });
    expect(refusal(inProfile)).toEqual({
      code: 'CONFLICT',
      message:
        'pve2 is already a node of this profile, as https://pve2.lab.example:8006. Nothing was added.',
    });
  });
});
