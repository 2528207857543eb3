import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import { policySchema, type Policy } from './policy-schema';

// Reading the quota policy: validation with the path of every bad field, and loading from a file.
// A bad policy is refused as a whole; the caller keeps whichever policy was in force before.

export {
  policySchema,
  storageBuses,
  type Policy,
  type PolicyEntry,
  type StorageBus,
} from './policy-schema';
export { resolveUserLimits } from './limits';
export type { UserLimits } from './limits';

/** One bad field of a policy: where (`users.alice@pve.memory.max`) and what is wrong. */
export interface PolicyIssue {
  path: string;
  message: string;
}

/** Validates a policy document (already parsed from JSON) and converts its quantities. */
export function parsePolicy(
  json: unknown,
): { ok: true; policy: Policy } | { ok: false; issues: PolicyIssue[] } {
  const reserved = prototypeKeyIssues(json);
  const result = policySchema.safeParse(json);
  if (result.success && reserved.length === 0) return { ok: true, policy: result.data };
  const issues = result.success ? [] : result.error.issues.flatMap(describeIssue);
  return { ok: false, issues: [...issues, ...reserved] };
}

/**
 * The `__proto__` keys of a document. JSON.parse keeps such a key as an own property, but zod's
 * records skip it without a word, so without this check it would be dropped silently.
 */
function prototypeKeyIssues(json: unknown): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value: json, path: [] }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value !== 'object' || value === null) continue;
    if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) {
      issues.push({
        path: joinPath([...path, '__proto__']),
        message: 'is not a valid name here: this name is reserved',
      });
    }
    for (const [key, child] of Object.entries(value))
      stack.push({ value: child, path: [...path, key] });
  }
  return issues.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reads and validates a policy file; throws AppError POLICY_INVALID listing every bad field. */
export function loadPolicyFile(file: string): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const why = code === 'ENOENT' ? 'it does not exist' : 'it could not be read';
    throw new AppError('POLICY_INVALID', `The quota policy ${file} was not loaded: ${why}.`);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? ` (${error.message})` : '';
    throw new AppError('POLICY_INVALID', `The quota policy ${file} is not valid JSON${detail}.`);
  }

  const parsed = parsePolicy(json);
  if (parsed.ok) return parsed.policy;
  const listed = parsed.issues.map((issue) => `${issue.path || '(top level)'}: ${issue.message}`);
  throw new AppError(
    'POLICY_INVALID',
    `The quota policy ${file} has ${listed.length === 1 ? 'an error' : `${listed.length} errors`}: ${listed.join('; ')}.`,
    { fields: Object.fromEntries(parsed.issues.map((issue) => [issue.path, issue.message])) },
  );
}

function joinPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

/** One zod issue as one or more policy issues, each naming the exact field. */
function describeIssue(issue: z.core.$ZodIssue): PolicyIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: joinPath([...issue.path, key]),
      message: 'is not a field of the policy; check its spelling',
    }));
  }
  if (issue.code === 'invalid_key') {
    const why = issue.issues.map((inner) => inner.message).join('; ');
    return [{ path: joinPath(issue.path), message: `is not a valid name here: ${why}` }];
  }
  return [{ path: joinPath(issue.path), message: issue.message }];
}
