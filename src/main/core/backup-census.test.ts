import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { PveApi } from '../pve/api';
import type { BackupVolume, NodeStorage } from '../pve/api-schemas';
import { readBackups, readingOf, takeBackupCensus } from './backup-usage';

const nas: NodeStorage = { storage: 'nas', content: 'backup', shared: true, active: true };
const local: NodeStorage = { storage: 'local', content: 'iso,backup', shared: false, active: true };

function volume(storage: string, vmid: number): BackupVolume {
  const volid = `${storage}:backup/vzdump-qemu-${vmid}-2026_12_01-08_00_00.vma.zst`;
  return { volid, vmid, size: 1024, format: 'vma.zst' };
}

/**
 * An api whose nodes list `rows` and whose listings hold `volumes` (by `node storage`), recording
 * every request; a node in `lost` is not reached at all, one in `lostLater` only for listings.
 */
function fakeApi(
  rows: Record<string, NodeStorage[]>,
  volumes: Record<string, BackupVolume[]>,
  asked: string[],
  options: { lost?: string[]; lostLater?: string[] } = {},
): PveApi {
  const unreachable = (node: string): AppError =>
    new AppError('PVE_UNREACHABLE', `no route to ${node}`, { status: 595 });
  return {
    nodeStorages: async (node: string) => {
      asked.push(`storages ${node}`);
      if (options.lost?.includes(node) === true) throw unreachable(node);
      return rows[node] ?? [];
    },
    backupVolumes: async (node: string, storage: string) => {
      asked.push(`content ${node} ${storage}`);
      if (options.lostLater?.includes(node) === true) throw unreachable(node);
      return volumes[`${node} ${storage}`] ?? [];
    },
  } as unknown as PveApi;
}

describe('takeBackupCensus and readingOf', () => {
  it('lists each node once and each storage once for many readings of overlapping nodes', async () => {
    const asked: string[] = [];
    const api = fakeApi(
      { pve1: [nas, local], pve2: [nas, local], pve3: [local] },
      { 'pve1 nas': [volume('nas', 100)], 'pve3 local': [volume('local', 300)] },
      asked,
    );

    const census = await takeBackupCensus(api, ['pve3', 'pve1', 'pve2', 'pve1']);
    const forPve3 = readingOf(census, ['pve3']);
    const forPve2 = readingOf(census, ['pve2']);

    expect(asked.sort()).toEqual([
      'content pve1 local',
      'content pve1 nas',
      'content pve2 local',
      'content pve3 local',
      'storages pve1',
      'storages pve2',
      'storages pve3',
    ]);
    expect(forPve3.listings.map((l) => [l.node, l.storage, l.volumes.length])).toEqual([
      ['pve3', 'local', 1],
    ]);
    // The shared storage was listed through pve1; a reading of pve2 alone still holds it.
    expect(forPve2.listings.map((l) => [l.node, l.storage, l.volumes.length])).toEqual([
      ['pve2', 'nas', 1],
      ['pve2', 'local', 0],
    ]);
  });

  it('gives a reading of the census nodes equal to what readBackups gives', async () => {
    const rows = { pve1: [nas, { ...local, active: false }], pve2: [nas, local] };
    const held = { 'pve1 nas': [volume('nas', 100)], 'pve2 local': [volume('local', 101)] };

    const direct = await readBackups(fakeApi(rows, held, []), ['pve1', 'pve2']);
    const census = await takeBackupCensus(fakeApi(rows, held, []), ['pve1', 'pve2']);

    expect(readingOf(census, ['pve2', 'pve1'])).toEqual(direct);
    expect(direct.inactive).toEqual([{ node: 'pve1', storage: 'local', shared: false }]);
  });

  it('leaves a node PVE cannot reach unreached only in the readings that include it', async () => {
    const api = fakeApi({ pve1: [local], pve2: [local] }, {}, [], { lost: ['pve2'] });

    const census = await takeBackupCensus(api, ['pve1', 'pve2']);

    expect(readingOf(census, ['pve1', 'pve2']).unreached).toEqual(['pve2']);
    expect(readingOf(census, ['pve1']).unreached).toEqual([]);
    expect(readingOf(census, ['pve1']).listings).toHaveLength(1);
  });

  it('names the node a lost shared listing went through, in every reading that needs it', async () => {
    const api = fakeApi({ pve1: [nas], pve2: [nas] }, {}, [], { lostLater: ['pve1'] });

    const census = await takeBackupCensus(api, ['pve1', 'pve2']);
    const forPve2 = readingOf(census, ['pve2']);

    expect(forPve2.unreached).toEqual(['pve1']);
    expect(forPve2.listings).toEqual([]);
  });

  it('refuses a reading of a node the census did not read', async () => {
    const census = await takeBackupCensus(fakeApi({ pve1: [local] }, {}, []), ['pve1']);

    expect(() => readingOf(census, ['pve9'])).toThrow('the backup census did not read node pve9');
  });
});
