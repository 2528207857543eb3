import { GiB } from '../../../shared/units';
import { parseGuestVolumes } from '../../pve/volumes';
import type { HandlerGroup } from '../context';
import { planDiskResize } from '../disk-planners';
import { commitPricedChange, committedTask } from '../priced-commit';

/** Disk changes. */
export const diskHandlers: HandlerGroup<'disk:resize'> = {
  'disk:resize': async (input, context) => {
    const ref = { node: input.node, type: input.type, vmid: input.vmid };
    const outcome = await commitPricedChange(context, {
      planner: planDiskResize(input),
      what: `resize ${input.disk} of ${ref.vmid}`,
      commit: ({ api, detail }) => ({
        // The digest makes PVE refuse the resize if the config changed since it was priced.
        task: () =>
          api.resize(ref.node, ref.type, ref.vmid, {
            disk: input.disk,
            size: `+${input.addGiB}G`,
            digest: detail.guest.config.digest,
          }),
        changed: `resized ${input.disk} of ${ref.vmid}`,
      }),
    });
    const { api, detail } = outcome;
    const task = committedTask(outcome);

    // The resize is done; a failed read-back must not report it as failed (and invite a retry).
    const expectedBytes = (detail.volume.sizeBytes ?? 0) + input.addGiB * GiB;
    const config = await api.config(ref.node, ref.type, ref.vmid).catch(() => null);
    const resized = config
      ? parseGuestVolumes(ref.type, config).volumes.find((v) => v.key === input.disk)
      : undefined;
    return {
      disk: input.disk,
      storage: detail.volume.storage,
      sizeBytes: resized?.sizeBytes ?? expectedBytes,
      task,
    };
  },
};
