import { parseGuestVolumes } from '../../pve/volumes';
import type { HandlerGroup } from '../context';
import { planDiskCreate, planDiskMove } from '../disk-planners';
import { commitPricedChange, committedTask } from '../priced-commit';

/** Creating disks, CD drives and mount points, and moving disks between storages. */
export const diskCreateMoveHandlers: HandlerGroup<'disk:create' | 'disk:move'> = {
  'disk:create': async (input, context) => {
    const ref = { node: input.node, type: input.type, vmid: input.vmid };
    const outcome = await commitPricedChange(context, {
      planner: planDiskCreate(input),
      what: `add a disk on ${input.storage} to ${ref.vmid}`,
      commit: ({ api, detail }) => {
        const params = { [detail.key]: detail.value, digest: detail.guest.config.digest };
        const what = `add ${detail.key} to ${ref.vmid}`;
        const changed = `added ${detail.key} to ${ref.vmid}`;
        // A VM allocates through the asynchronous config write; a container's write is synchronous.
        return ref.type === 'qemu'
          ? { what, changed, task: () => api.updateQemuConfigAsync(ref.node, ref.vmid, params) }
          : { what, changed, write: () => api.updateConfig(ref.node, ref.type, ref.vmid, params) };
      },
    });
    const { api, detail } = outcome;
    // The disk exists; a failed read-back must not report it as failed (and invite a retry).
    const config = await api.config(ref.node, ref.type, ref.vmid).catch(() => null);
    const created = config
      ? parseGuestVolumes(ref.type, config).volumes.find((v) => v.key === detail.key)
      : undefined;
    return {
      key: detail.key,
      volume: created?.volume ?? null,
      task: outcome.changed ? outcome.task : null,
    };
  },

  'disk:move': async (input, context) => {
    const ref = { node: input.node, type: input.type, vmid: input.vmid };
    const outcome = await commitPricedChange(context, {
      planner: planDiskMove(input),
      what: `move ${input.disk} of ${ref.vmid} to ${input.targetStorage}`,
      commit: ({ api, detail }) => ({
        // The digest makes PVE refuse the move if the config changed since it was priced.
        task: () =>
          api.moveVolume(ref.node, ref.type, ref.vmid, {
            key: input.disk,
            storage: input.targetStorage,
            delete: input.deleteSource,
            digest: detail.guest.config.digest,
          }),
        changed: `moved ${input.disk} of ${ref.vmid}`,
      }),
    });
    const { api, detail } = outcome;
    const task = committedTask(outcome);
    // The move is done; a failed read-back must not report it as failed (and invite a retry).
    const source = detail.volume.volume;
    const config = await api.config(ref.node, ref.type, ref.vmid).catch(() => null);
    const volumes = config ? parseGuestVolumes(ref.type, config).volumes : [];
    const moved = volumes.find((v) => v.key === input.disk);
    const kept = volumes.find((v) => v.kind === 'unused' && v.volume === source);
    return {
      disk: input.disk,
      fromStorage: detail.volume.storage,
      toStorage: input.targetStorage,
      volume: moved?.volume ?? '',
      keptAs: input.deleteSource ? null : (kept?.key ?? detail.keptAs),
      task,
    };
  },
};
