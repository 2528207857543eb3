import { requirePrivileges } from '../acl.js';
import { serverError } from '../api-error.js';
import type { GuestType } from '../disks.js';
import { requireGuest } from '../guests.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import { instanceLock, type InstanceState } from '../state.js';

// Power actions (`status/start`, `shutdown`, `reboot`, `stop`) for qemu and lxc, each an
// asynchronous task. Where PVE refuses matters to clients, so it is reproduced:
// - qemu checks the guest's state inside the task: starting a running VM fails the task with
//   `VM <id> already running`; shutting down or stopping a stopped VM ends OK and does nothing.
//   Only reboot checks first and answers 500 `VM <id> not running`.
// - lxc checks before the task: 500 `CT <id> already running` / `CT <id> not running`.
// - A lock is checked inside the task for both (`VM is locked (backup)`).

type Action = 'start' | 'shutdown' | 'reboot' | 'stop';

const taskTypes: Record<GuestType, Record<Action, string>> = {
  qemu: { start: 'qmstart', shutdown: 'qmshutdown', reboot: 'qmreboot', stop: 'qmstop' },
  lxc: { start: 'vzstart', shutdown: 'vzshutdown', reboot: 'vzreboot', stop: 'vzstop' },
};

const logLines: Record<Action, (label: string) => string[]> = {
  start: (label) => [`starting ${label}`, `${label} started`],
  shutdown: (label) => [`requesting clean shutdown of ${label}`, `${label} powered off`],
  reboot: (label) => [`rebooting ${label}`, `${label} is back up`],
  stop: (label) => [`stopping ${label} immediately`, `${label} stopped`],
};

function assertUnlocked(guest: InstanceState): void {
  const lock = instanceLock(guest);
  if (lock !== null) throw new Error(`${guest.type === 'qemu' ? 'VM' : 'CT'} is locked (${lock})`);
}

/** Checks PVE makes before it starts the task; they fail the request with a 500. */
function refuseUpFront(type: GuestType, action: Action, guest: InstanceState): void {
  const running = guest.status === 'running';
  if (type === 'lxc') {
    if (action === 'start' && running) throw serverError(`CT ${guest.vmid} already running`);
    if (action !== 'start' && !running) throw serverError(`CT ${guest.vmid} not running`);
  } else if (action === 'reboot' && !running) {
    throw serverError(`VM ${guest.vmid} not running`);
  }
}

function power(type: GuestType, action: Action) {
  return (ctx: RequestContext): RouteResult => {
    const p = new ParamReader({ ...ctx.params, ...ctx.pathParams });
    const vmid = p.vmid();
    p.integer('timeout', 0, Number.MAX_SAFE_INTEGER);
    p.done();

    const { state, tasks, nowMs } = ctx.runtime;
    const node = ctx.pathParams.node ?? '';
    const guest = requireGuest(state, node, type, vmid);
    refuseUpFront(type, action, guest);

    const label = `${type === 'qemu' ? 'VM' : 'CT'} ${vmid}`;
    const task = tasks.start({
      node,
      type: taskTypes[type][action],
      id: String(vmid),
      user: ctx.userid ?? '',
      progress: logLines[action](label),
      finish: () => {
        assertUnlocked(guest);
        const running = guest.status === 'running';
        if (action === 'start') {
          if (running) throw new Error(`${label} already running`);
          guest.status = 'running';
          guest.startedAtSeconds = Math.floor(nowMs() / 1000);
        } else if (action === 'reboot') {
          guest.startedAtSeconds = Math.floor(nowMs() / 1000);
        } else if (running) {
          guest.status = 'stopped';
          guest.startedAtSeconds = null;
        }
        return [];
      },
    });
    return { data: task.upid };
  };
}

const powerPermission = (ctx: RequestContext): void =>
  requirePrivileges(ctx.runtime.state, ctx.userid ?? '', `/vms/${ctx.pathParams.vmid ?? ''}`, [
    'VM.PowerMgmt',
  ]);

/** Routes for the power actions of qemu and lxc guests. */
export const powerRoutes: Route[] = (['qemu', 'lxc'] as const).flatMap((type) =>
  (['start', 'shutdown', 'reboot', 'stop'] as const).map((action): Route => ({
    method: 'POST',
    template: `/nodes/{node}/${type}/{vmid}/status/${action}`,
    auth: 'ticket',
    permission: powerPermission,
    handle: power(type, action),
  })),
);
