// Disk sizes as PVE writes them in configs (`size=32G`). PVE's units are powers of 1024 and a bare
// number is bytes, so `32` is 32 bytes, not 32 GiB.

/** A disk size that cannot be read or written. */
export class SizeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SizeError';
  }
}

const unitBytes = { K: 1024n, M: 1024n ** 2n, G: 1024n ** 3n, T: 1024n ** 4n } as const;
type SizeUnit = keyof typeof unitBytes;
const sizePattern = /^(\d+)(?:\.(\d+))?([KMGT])?$/;

/**
 * Reads a PVE disk size (`528K`, `32G`, `1.5T`, `4096`) into bytes. Fractions of a byte are
 * dropped, as PVE does. Throws SizeError for anything else (`12GB`, `-1G`, `1e3`, ``).
 */
export function parseSize(text: string): number {
  if (typeof text !== 'string') throw new SizeError('a disk size must be text such as 32G');
  const match = sizePattern.exec(text);
  if (!match) {
    throw new SizeError(`"${text}" is not a PVE disk size; expected a number with K, M, G or T`);
  }
  const [, whole = '0', fraction = '', unit] = match;
  const multiplier = unit === undefined ? 1n : unitBytes[unit as SizeUnit];

  // Exact arithmetic: 0.1T must not pick up binary floating-point error on the way to bytes.
  const scale = 10n ** BigInt(fraction.length);
  const bytes = (BigInt(whole + fraction) * multiplier) / scale;
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new SizeError(`"${text}" is larger than any disk ProxDesk can count`);
  }
  return Number(bytes);
}

/**
 * Writes bytes the way PVE prints a size: in the largest of T, G, M and K that divides it evenly,
 * else as bare bytes (`528K`, `4M`, `32G`, `1T`, `1000`). Zero is written as `0`.
 */
export function formatSize(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new SizeError('a disk size must be a whole, non-negative number of bytes');
  }
  if (bytes === 0) return '0';
  const value = BigInt(bytes);
  for (const unit of ['T', 'G', 'M', 'K'] as const) {
    const multiplier = unitBytes[unit];
    if (value % multiplier === 0n) return `${value / multiplier}${unit}`;
  }
  return String(bytes);
}
