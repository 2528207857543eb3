// Secrets that may pass through log lines: PVE tickets, CSRF tokens, API-token secrets, cookies,
// passwords in form bodies. Each pattern below replaces the secret part and keeps what a reader
// needs to follow the log (the user, the header name).

const patterns: ReadonlyArray<readonly [RegExp, string]> = [
  // A PVE ticket: PVE:<user>@<realm>:<hex time>::<base64 signature>, also partial `PVE:!tfa!` ones.
  [/PVE:[^\s:"';,]*:[0-9A-F]{8}::[A-Za-z0-9+/=%]+/gi, 'PVE:[ticket redacted]'],
  [/(PVEAuthCookie=)[^;\s"',]+/gi, '$1[redacted]'],
  // A CSRF prevention token: <hex time>:<base64>.
  [/(CSRFPreventionToken"?\s*[:=]\s*"?)[^\s"',;]+/gi, '$1[redacted]'],
  [/\b[0-9A-F]{8}:[A-Za-z0-9+/]{20,}={0,2}/g, '[csrf redacted]'],
  // An API token header or secret: PVEAPIToken=user@realm!id=<uuid>.
  [/(PVEAPIToken=[^=\s"']+=)[^\s"',;]+/gi, '$1[redacted]'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '[uuid redacted]'],
  [/("?(?:password|secret|ticket|tfa-challenge)"?\s*[:=]\s*)("[^"]*"|[^\s,&}]+)/gi, '$1[redacted]'],
];

/** Removes every PVE credential this module knows the shape of from a piece of text. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of patterns) result = result.replace(pattern, replacement);
  return result;
}
