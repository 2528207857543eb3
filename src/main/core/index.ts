export { createCore, type Core, type CoreOptions } from './create-core';
