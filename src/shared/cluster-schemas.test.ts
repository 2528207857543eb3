import { describe, expect, it } from 'vitest';
import { renameProfileInputSchema } from './cluster-schemas';

function nameIssues(name: string): string[] {
  const parsed = renameProfileInputSchema.safeParse({ profileId: 'p1', name });
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
}

describe('profile names', () => {
  it('refuses invisible, direction-changing and broken characters', () => {
    const invisible = 'a name has no invisible or direction-changing characters';

    expect(nameIssues('lab\u202Etxt.exe')).toEqual([invisible]);
    expect(nameIssues('\u200B')).toEqual([invisible]);
    expect(nameIssues('lab\u200Dname')).toEqual([invisible]);
    expect(nameIssues('lab\u2028two')).toEqual([invisible]);
    expect(nameIssues('lab\uD800')).toEqual(['a name has no broken characters (lone surrogates)']);
    expect(nameIssues('\uDC00lab')).toEqual(['a name has no broken characters (lone surrogates)']);
    expect(nameIssues('lab\u0007')).toEqual(['a name has no control characters']);
  });

  it('refuses a name that is empty after trimming', () => {
    expect(nameIssues('   ')).toEqual(['give the profile a name']);
    expect(nameIssues('')).toEqual(['give the profile a name']);
  });

  it('keeps letters of any script and emoji, trimmed', () => {
    const parsed = renameProfileInputSchema.parse({ profileId: 'p1', name: '  Über-Labor 🚀 ' });

    expect(parsed.name).toBe('Über-Labor 🚀');
  });
});
