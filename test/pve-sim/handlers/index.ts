import type { Route } from '../router.js';
import { accessRoutes } from './access.js';
import { clusterRoutes } from './cluster.js';
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

/** Every endpoint the simulator serves. */
export const allRoutes: readonly Route[] = [
  ...accessRoutes,
  ...clusterRoutes,
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
];
