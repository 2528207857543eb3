import type { z } from 'zod';

/** Turns zod issues into one message per input field, keyed by the field's dotted path. */
export function describeInputIssues(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.') || 'input';
    fields[path] ??= issue.message;
  }
  return fields;
}
