import { AppError } from '../../shared/errors';
import { GiB, KiB, MiB, TiB } from '../../shared/units';

// Quantities as a lab admin writes them in the quota policy, turned into base units (a count,
// bytes, bytes per second). The accepted forms are deliberately few and unambiguous:
//   - counts: a whole number, 16 or "16";
//   - bytes: a number with a binary unit, "200GiB", "512 MiB", "1.5TiB", "4096B", rounded to the
//     nearest byte. Decimal units (KB, MB, GB, TB) are refused, because PVE's own sizes are binary
//     and "GB" is read both ways; a bare number is refused too, since 200 could mean bytes or GiB.
//     0 needs no unit;
//   - rates: PVE's MB/s (which PVE applies as MiB/s), "200MB/s" or "12.5 MiB/s"; 0 needs no unit.
// "No limit" is not a quantity: the policy says it by leaving `max` out or setting it to null.

/** What a quota resource is measured in. */
export type QuantityUnit = 'count' | 'bytes' | 'bytesPerSecond';

const byteUnits: Readonly<Record<string, number>> = { B: 1, KiB, MiB, GiB, TiB };
const rateUnits: Readonly<Record<string, number>> = { 'MB/s': MiB, 'MiB/s': MiB };
const withUnit = /^(\d+)(?:\.(\d+))?\s?([A-Za-z/]+)$/;
const bytesExpected = 'a size such as "200GiB" (units B, KiB, MiB, GiB, TiB)';
const rateExpected = 'a rate such as "200MB/s" (PVE\'s MB/s, which is a MiB/s)';

/** Reads a policy quantity into its base unit; throws AppError INVALID_INPUT explaining the form. */
export function parseQuantity(text: string | number, unit: QuantityUnit): number {
  switch (unit) {
    case 'count':
      return parseCount(text);
    case 'bytes':
      return parseWithUnit(text, byteUnits, bytesExpected);
    case 'bytesPerSecond':
      return parseWithUnit(text, rateUnits, rateExpected);
  }
}

function refuse(message: string): never {
  throw new AppError('INVALID_INPUT', message);
}

function parseCount(text: string | number): number {
  const value = typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : text;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    refuse(`${describe(text)} is not a count; expected a whole number of 0 or more`);
  }
  return value;
}

function parseWithUnit(
  text: string | number,
  units: Readonly<Record<string, number>>,
  expected: string,
): number {
  if (text === 0 || text === '0') return 0;
  if (typeof text !== 'string') refuse(`${describe(text)} has no unit; expected ${expected}`);
  const match = withUnit.exec(text.trim());
  if (!match) refuse(`${describe(text)} is not ${expected}`);

  const [, whole = '0', fraction = '', unitName = ''] = match;
  const multiplier = Object.hasOwn(units, unitName) ? units[unitName] : undefined;
  if (multiplier === undefined) {
    const hint = /^[KMGT]B$/.test(unitName) ? `; write ${unitName[0]}iB for the binary unit` : '';
    refuse(`${describe(text)} has an unknown unit "${unitName}"${hint}; expected ${expected}`);
  }

  // Exact decimal arithmetic, so that "1.1GiB" is not off by a byte from floating point.
  const scaled = BigInt(whole + fraction) * BigInt(multiplier);
  const scale = 10n ** BigInt(fraction.length);
  // A fraction of a byte rounds to the nearest byte, as PVE's own conversion of `rate` does.
  const remainder = scaled % scale;
  const value = scaled / scale + (remainder * 2n >= scale ? 1n : 0n);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) refuse(`${describe(text)} is too large`);
  return Number(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  return `a value of type ${value === null ? 'null' : typeof value}`;
}
