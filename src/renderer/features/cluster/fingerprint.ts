/**
 * Splits a colon-separated fingerprint into rows of `perRow` bytes, so two people can read it
 * aloud or compare it by eye a row at a time. Anything that is not hex pairs is returned as one row.
 */
export function fingerprintRows(fingerprint: string, perRow = 8): string[] {
  const bytes = fingerprint.trim().toUpperCase().split(':');
  if (bytes.length < 2 || !bytes.every((byte) => /^[0-9A-F]{2}$/.test(byte)) || perRow < 1) {
    return [fingerprint];
  }
  const rows: string[] = [];
  for (let start = 0; start < bytes.length; start += perRow) {
    rows.push(bytes.slice(start, start + perRow).join(':'));
  }
  return rows;
}

/** Formats a certificate date for people; shows the text as given when it is not a date. */
export function formatCertificateDate(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Whether a certificate's validity period includes the given moment; null when unreadable. */
export function isCurrentlyValid(
  validFrom: string,
  validTo: string,
  nowMs: number,
): boolean | null {
  const from = new Date(validFrom).getTime();
  const to = new Date(validTo).getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  return from <= nowMs && nowMs <= to;
}
