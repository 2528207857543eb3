import { describe, expect, it } from 'vitest';
import { signInFormSchema } from './sign-in-form-schema';

function messages(values: Record<string, string | boolean>): Record<string, string> {
  const result = signInFormSchema.safeParse(values);
  if (result.success) return {};
  return Object.fromEntries(
    result.error.issues.map((issue) => [String(issue.path[0]), issue.message]),
  );
}

describe('signInFormSchema', () => {
  it('accepts a realm, a user name (trimmed) and a password', () => {
    expect(signInFormSchema.parse({ realm: 'pve', username: ' alice ', password: 'pw' })).toEqual({
      realm: 'pve',
      username: 'alice',
      password: 'pw',
      staySignedIn: false,
    });
  });

  it('carries a ticked "Stay signed in" and refuses anything but a boolean', () => {
    const values = { realm: 'pve', username: 'alice', password: 'pw' };

    expect(signInFormSchema.parse({ ...values, staySignedIn: true }).staySignedIn).toBe(true);
    expect(Object.keys(messages({ ...values, staySignedIn: 'yes' }))).toEqual(['staySignedIn']);
  });

  it('asks for each empty field in words', () => {
    expect(messages({ realm: '', username: '', password: '' })).toEqual({
      realm: 'Choose a realm.',
      username: 'Enter your user name.',
      password: 'Enter your password.',
    });
  });

  it('refuses a user name that carries a realm or a path', () => {
    expect(messages({ realm: 'pve', username: 'alice@pve', password: 'pw' })).toEqual({
      username: 'a user name has no spaces, colons, slashes, @ or !',
    });
    expect(messages({ realm: 'pve', username: '../root', password: 'pw' }).username).toBeDefined();
  });

  it('refuses a password longer than the contract allows', () => {
    expect(
      messages({ realm: 'pve', username: 'alice', password: 'x'.repeat(1025) }).password,
    ).toBeDefined();
  });
});
