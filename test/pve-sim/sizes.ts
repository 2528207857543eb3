// Byte sizes as PVE writes them in configs and accepts them in resize requests.

const unitBytes = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 } as const;

/** A size unit PVE understands: KiB, MiB, GiB, TiB (PVE writes them K, M, G, T). */
export type SizeUnit = keyof typeof unitBytes;

const sizePattern = /^(\d+(?:\.\d+)?)([KMGT])?$/;

/**
 * Parses a PVE size (`32G`, `528K`, `1.5T`) into whole bytes, or null when malformed.
 * PVE reads a bare number as bytes and drops any fraction of a byte.
 */
export function parseSizeBytes(text: string): number | null {
  const match = sizePattern.exec(text);
  if (!match) return null;
  const unit = match[2] as SizeUnit | undefined;
  const bytes = Math.floor(Number(match[1]) * (unit ? unitBytes[unit] : 1));
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** A resize request's size: absolute, or relative to the current size when it starts with `+`. */
export interface SizeChange {
  relative: boolean;
  bytes: number;
}

/** Parses a resize `size` parameter (`+2G`, `40G`), or null when malformed. */
export function parseSizeChange(text: string): SizeChange | null {
  const relative = text.startsWith('+');
  const bytes = parseSizeBytes(relative ? text.slice(1) : text);
  return bytes === null ? null : { relative, bytes };
}

/**
 * Formats bytes the way PVE prints a disk size: in the largest unit that divides it evenly
 * (`528K`, `631M`, `32G`, `1T`), or as bare bytes when not even a KiB does.
 */
export function formatSize(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`not a byte count: ${bytes}`);
  const units: SizeUnit[] = ['T', 'G', 'M', 'K'];
  for (const unit of units) {
    if (bytes > 0 && bytes % unitBytes[unit] === 0) return `${bytes / unitBytes[unit]}${unit}`;
  }
  return String(bytes);
}
