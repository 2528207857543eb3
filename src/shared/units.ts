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

/** Formats a byte count for people: `32 GiB`, `1.5 TiB`, `512 MiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1);
  return `${bytes < 0 ? '-' : ''}${rounded} ${byteUnits[unit]}`;
}

/** Formats a rate in bytes per second as PVE's MB/s: `12.5 MB/s`. */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return '—';
  return `${bytesPerSecondToPveRate(bytesPerSecond)} MB/s`;
}

/** Formats a quantity in the unit a quota resource is measured in. */
export function formatQuantity(value: number, unit: 'count' | 'bytes' | 'bytesPerSecond'): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'bytesPerSecond':
      return formatRate(value);
    case 'count':
      return String(value);
  }
}
