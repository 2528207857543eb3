import type { Route } from '../router.js';
import { accessRoutes } from './access.js';
import { clusterRoutes } from './cluster.js';
import { clusterStatusRoutes } from './cluster-status.js';
import { guestRoutes } from './guests.js';
import { resizeRoutes } from './resize.js';
import { storageRoutes } from './storage.js';
import { taskRoutes } from './tasks.js';
import { configUpdateRoutes } from './config-update.js';
import { powerRoutes } from './power.js';
import { destroyRoutes } from './destroy.js';
import { taskListRoutes } from './task-list.js';
import { userRoutes } from './users.js';
import { moveVolumeRoutes } from './move-volume.js';
import { diskCreateRoutes } from './disk-create.js';
import { pciRoutes } from './pci.js';
import { instanceCreateRoutes } from './instance-create.js';
import { nodeStorageRoutes } from './node-storage.js';
import { permissionRoutes } from './permissions.js';
import { backupRoutes } from './backup.js';

/** Every endpoint the simulator serves. */
export const allRoutes: readonly Route[] = [
  ...accessRoutes,
  ...clusterRoutes,
  ...clusterStatusRoutes,
  ...guestRoutes,
  ...storageRoutes,
  ...resizeRoutes,
  ...taskRoutes,
  ...powerRoutes,
  ...destroyRoutes,
  ...configUpdateRoutes,
  ...taskListRoutes,
  ...userRoutes,
  ...moveVolumeRoutes,
  ...diskCreateRoutes,
  ...pciRoutes,
  ...permissionRoutes,
  ...instanceCreateRoutes,
  ...nodeStorageRoutes,
  ...backupRoutes,
];
