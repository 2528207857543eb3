import type { EventPayload } from '../../src/shared/contract';
import { MemoryStore } from '../../src/main/store/key-value-store';
import type { SimNode } from '../pve-sim';
import { startLab, type Lab } from './lab';

// A simulated cluster of two nodes, each on its own listener, for the cluster-profile tests.

/** Alice's sign-in on the bundled lab. */
export const alice = { realm: 'pve', username: 'alice', password: 'alice-lab-pass' };

/** A two-node cluster, one listener per node; alice may read the cluster status. */
export async function twoNodeLab(settings = new MemoryStore(), rootCa = false): Promise<Lab> {
  const lab = await startLab({ nodeListeners: true, rootCa }, { settings });
  // Reading /cluster/status needs Sys.Audit on `/`; the lab grants it to alice here.
  lab.sim.state.acl.push({ path: '/', ugid: 'alice@pve', roleid: 'PVEAuditor', propagate: true });
  return lab;
}

/** The lab's two node listeners. */
export function nodes(lab: Lab): [SimNode, SimNode] {
  const [pve1, pve2] = lab.sim.nodes;
  if (!pve1 || !pve2) throw new Error('the lab has fewer than two nodes');
  return [pve1, pve2];
}

/** Pins pve1, signs alice in on it and adds pve2 to the profile with its confirmed pin. */
export async function signInWithBothNodes(lab: Lab): Promise<string> {
  const [pve1, pve2] = nodes(lab);
  await lab.call('cluster:trust', { url: pve1.url, fingerprint: pve1.fingerprint });
  await lab.call('session:login', { url: pve1.url, ...alice });
  // Discovery offers pve2 and names the node in use.
  const { profileId } = await lab.call('cluster:discover');
  await lab.call('cluster:add-node', {
    profileId,
    url: pve2.url,
    name: 'pve2',
    fingerprint: pve2.fingerprint,
  });
  return profileId;
}

/** Every session:changed event the core sends from now on. */
export function sessionEvents(lab: Lab): Array<EventPayload<'session:changed'>> {
  const seen: Array<EventPayload<'session:changed'>> = [];
  lab.core.on('session:changed', (status) => seen.push(status));
  return seen;
}
