// Units used across the app. Inside ProxDesk every size is in bytes and every rate in bytes per
// second; conversions happen once, at the PVE and UI edges, with the functions below.

/** Bytes in one KiB, MiB, GiB and TiB. */
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;

/**
 * Bytes per second in one of PVE's "MB/s". PVE's network `rate` is documented as megabytes per
 * second but applied as rate * 1024 * 1024 bytes, so its MB is a MiB.
 */
export const PVE_MBPS = MiB;

/** Converts whole GiB to bytes. */
export function gibToBytes(gib: number): number {
  return gib * GiB;
}

/** Converts a PVE network rate (MB/s) to bytes per second. */
export function pveRateToBytesPerSecond(rateMBps: number): number {
  return Math.round(rateMBps * PVE_MBPS);
}

/** Converts bytes per second to a PVE network rate (MB/s), with PVE's three decimals. */
export function bytesPerSecondToPveRate(bytesPerSecond: number): number {
  return Math.round((bytesPerSecond / PVE_MBPS) * 1000) / 1000;
}

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * Which way a shown figure is rounded, on its magnitude. `down` never shows more than there is
 * (what is left of a quota), `up` never less (how much is missing); `nearest` is the default.
 */
export type Rounding = 'nearest' | 'down' | 'up';

/** Rounds a non-negative value to `decimals` places in the given direction. */
function roundTo(value: number, decimals: number, rounding: Rounding): number {
  const scale = 10 ** decimals;
  // The epsilon keeps a value that is exact but stored as 2.0000000001 from rounding up to 2.1.
  switch (rounding) {
    case 'nearest':
      return Math.round(value * scale) / scale;
    case 'down':
      return Math.floor(value * scale + 1e-9) / scale;
    case 'up':
      return Math.ceil(value * scale - 1e-9) / scale;
  }
}

/** Formats a byte count for people: `32 GiB`, `1.5 TiB`, `512 MiB`. */
export function formatBytes(bytes: number, rounding: Rounding = 'nearest'): string {
  if (!Number.isFinite(bytes)) return '—';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (rounding === 'nearest') {
    const rounded = value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1);
    return `${bytes < 0 ? '-' : ''}${rounded} ${byteUnits[unit]}`;
  }
  let rounded = roundTo(value, value >= 100 ? 0 : 1, rounding);
  // Rounding up 1023.95 KiB gives 1024 KiB, which reads better as 1 MiB.
  if (rounded >= 1024 && unit < byteUnits.length - 1) {
    rounded = roundTo(rounded / 1024, 1, rounding);
    unit += 1;
  }
  return `${bytes < 0 ? '-' : ''}${rounded} ${byteUnits[unit]}`;
}

/** Formats a rate in bytes per second as PVE's MB/s: `12.5 MB/s`. */
export function formatRate(bytesPerSecond: number, rounding: Rounding = 'nearest'): string {
  if (!Number.isFinite(bytesPerSecond)) return '—';
  if (rounding === 'nearest') return `${bytesPerSecondToPveRate(bytesPerSecond)} MB/s`;
  const rate = roundTo(Math.abs(bytesPerSecond) / PVE_MBPS, 3, rounding);
  return `${bytesPerSecond < 0 ? '-' : ''}${rate} MB/s`;
}

/** Formats a quantity in the unit a quota resource is measured in. */
export function formatQuantity(
  value: number,
  unit: 'count' | 'bytes' | 'bytesPerSecond',
  rounding: Rounding = 'nearest',
): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(value, rounding);
    case 'bytesPerSecond':
      return formatRate(value, rounding);
    case 'count':
      return String(value);
  }
}
