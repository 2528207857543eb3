import type { ReactNode } from 'react';
import type { ClusterProfileInfo } from '../../../shared/contract';

type ProfileNode = ClusterProfileInfo['nodes'][number];

/** A node's name, or its host and port while its PVE name is not known. */
export function nodeLabel(node: { url: string; name: string | null }): string {
  return node.name ?? new URL(node.url).host;
}

/** How a node is trusted, in words, with the start of the fingerprint to compare at a glance. */
export function NodeTrustLabel({ node }: { node: ProfileNode }): ReactNode {
  const start = node.fingerprint?.split(':').slice(0, 4).join(':');
  switch (node.trust) {
    case 'pin':
      return (
        <span className="node-trust" data-testid={`node-trust-${node.url}`}>
          <span className="badge">pinned</span> <code className="mono">{start}…</code>
        </span>
      );
    case 'ca':
      return (
        <span className="node-trust" data-testid={`node-trust-${node.url}`}>
          <span className="badge">root CA</span> <code className="mono">{start}…</code>
        </span>
      );
    case 'none':
      return (
        <span className="node-trust" data-testid={`node-trust-${node.url}`}>
          <span className="badge badge-over">not confirmed — not used</span>
        </span>
      );
  }
}
