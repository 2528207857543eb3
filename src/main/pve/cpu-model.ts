import { PropertyStringError, parsePropertyString } from './property-string';

// A VM's `cpu` option is a property string whose default key is `cputype`: `host`,
// `x86-64-v2-AES,flags=+aes`, or `cputype=host,hidden=1`. A value without `cputype`
// (`flags=+aes` alone) names no model, so the VM runs qemu-server's default model, exactly as a
// VM without a `cpu` option does. Containers have no `cpu` option: they run on the host's CPU.

/** A CPU model name as PVE accepts it (`x86-64-v2-AES`, `host`, `custom-fast`). */
export const cpuModelPattern = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

/**
 * The CPU model a VM's `cpu` config value names; null when the value is absent or names no model.
 * Throws PropertyStringError for a value that is not a readable property string or whose model is
 * not a model name.
 */
export function readCpuModel(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new PropertyStringError('expected a property string');
  const model = parsePropertyString(value, 'cputype').get('cputype');
  if (model === undefined) return null;
  if (!cpuModelPattern.test(model)) {
    throw new PropertyStringError(`"${model}" is not a CPU model name`);
  }
  return model;
}
