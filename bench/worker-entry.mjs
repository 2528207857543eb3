// Worker threads do not inherit tsx's loader, so each bench worker starts here: the loader is
// registered, then the TypeScript module named in workerData.module (relative to this folder).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(new URL(workerData.module, import.meta.url).href);
