import { describe, expect, it } from 'vitest';
import { privilegesAt, privilegeTreeSchema } from './own-permissions';

describe('privilegesAt', () => {
  const tree = privilegeTreeSchema.parse({
    '/': { 'Sys.Audit': 1, 'VM.Audit': 1 },
    '/vms': { 'VM.Audit': 1, 'VM.Backup': 1, 'VM.Console': 0 },
    '/vms/100': { 'VM.Audit': 1 },
    '/storage': { 'Datastore.Audit': 1 },
  });

  it('gives a listed path exactly what PVE lists for it', () => {
    expect([...privilegesAt(tree, '/vms/100')].sort()).toEqual(['VM.Audit']);
  });

  it('inherits only the propagating privileges of the nearest listed path above', () => {
    expect([...privilegesAt(tree, '/vms/101')].sort()).toEqual(['VM.Audit', 'VM.Backup']);
    expect([...privilegesAt(tree, '/storage/local')]).toEqual(['Datastore.Audit']);
  });

  it('gives nothing below a top-level path PVE did not list, rather than what / holds', () => {
    expect([...privilegesAt(tree, '/pool/alice')]).toEqual([]);
    expect([...privilegesAt({ '/': { 'VM.Backup': 1 } }, '/vms/100')]).toEqual([]);
  });

  it('does not take a key of the object prototype for a listed path', () => {
    expect([...privilegesAt(tree, '/vms/constructor')].sort()).toEqual(['VM.Audit', 'VM.Backup']);
  });
});
