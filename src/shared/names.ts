// Channel and event names as plain data, for the preload: a sandboxed preload can load nothing
// but Electron's own modules, so it must not pull in the schemas. `contract.ts` checks at compile
// time that these lists and its declarations name exactly the same channels and events.

/** Every IPC channel name. */
export const channelNames = [
  'app:info',
  'cluster:probe',
  'cluster:trust',
  'cluster:repin',
  'cluster:trust-ca',
  'cluster:realms',
  'cluster:profiles',
  'cluster:discover',
  'cluster:add-node',
  'cluster:rename-profile',
  'session:login',
  'session:second-factor',
  'session:login-token',
  'session:remembered-tokens',
  'session:forget-token',
  'session:logout',
  'session:status',
  'session:restore',
  'instance:list',
  'instance:get',
  'quota:usage',
  'quota:preview',
  'quota:admin',
  'policy:import',
  'disk:resize',
  'instance:power',
  'instance:destroy',
  'instance:resources',
  'task:list',
  'task:log',
  'net:create',
  'net:modify',
  'net:delete',
  'pci:list',
  'pci:attached',
  'pci:attach',
  'pci:modify',
  'pci:detach',
  'disk:detach',
  'disk:attach',
  'disk:delete',
  'quota:constraints',
  'disk:create',
  'disk:move',
  'storage:media',
  'instance:create',
  'elevated:status',
  'elevated:install',
  'elevated:remove',
  'backup:count',
  'backup:list',
  'backup:create',
  'backup:delete',
] as const;

/** Every event name. */
export const eventNames = ['task:progress', 'session:changed', 'cluster:changed'] as const;

/** The name of an IPC channel. */
export type ChannelName = (typeof channelNames)[number];
/** The name of an event. */
export type EventName = (typeof eventNames)[number];

/** The IPC channel prefix that events travel on, so they never collide with invoke channels. */
export const eventPrefix = 'event:';

/** Whether a value is a declared channel name. */
export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (channelNames as readonly string[]).includes(value);
}

/** Whether a value is a declared event name. */
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (eventNames as readonly string[]).includes(value);
}
