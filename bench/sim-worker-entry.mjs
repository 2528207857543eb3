// Worker threads do not inherit tsx's loader, so the worker registers it before loading the
// TypeScript simulator worker.
import { register } from 'tsx/esm/api';

register();
await import('./sim-worker.ts');
