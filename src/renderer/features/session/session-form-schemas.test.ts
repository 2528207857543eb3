import { describe, expect, it } from 'vitest';
import { secondFactorFormSchema } from './second-factor-form-schema';
import { tokenFormSchema } from './token-form-schema';

function issues(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}): Record<string, string> {
  if (result.success) return {};
  return Object.fromEntries(
    (result.error?.issues ?? []).map((issue) => [String(issue.path[0]), issue.message]),
  );
}

describe('secondFactorFormSchema', () => {
  it('accepts six digits, with the space authenticator apps show dropped', () => {
    expect(secondFactorFormSchema.parse({ method: 'totp', code: '123 456' })).toEqual({
      method: 'totp',
      code: '123456',
    });
  });

  it('asks for the code in words, and refuses anything but six digits', () => {
    expect(issues(secondFactorFormSchema.safeParse({ method: 'totp', code: '' }))).toEqual({
      code: 'Enter the code from your authenticator app.',
    });
    expect(issues(secondFactorFormSchema.safeParse({ method: 'totp', code: '12345a' }))).toEqual({
      code: 'The code is six digits.',
    });
  });

  it('accepts a recovery key and refuses text that is not one', () => {
    expect(
      secondFactorFormSchema.parse({ method: 'recovery', code: ' 4f1c-9a2e-77b0-c3d5 ' }),
    ).toEqual({
      method: 'recovery',
      code: '4f1c-9a2e-77b0-c3d5',
    });
    expect(
      issues(secondFactorFormSchema.safeParse({ method: 'recovery', code: 'x&y=1' })).code,
    ).toMatch(/groups of four/);
  });
});

describe('tokenFormSchema', () => {
  const secret = '5D2C4B8E-1F3A-4C6D-9E7B-0A1B2C3D4E5F';

  it('accepts a token id and a UUID secret, lower-casing the secret', () => {
    expect(
      tokenFormSchema([]).parse({ tokenId: ' alice@pve!desk ', secret, remember: true }),
    ).toEqual({ tokenId: 'alice@pve!desk', secret: secret.toLowerCase(), remember: true });
  });

  it('refuses a token id without realm or token part', () => {
    const schema = tokenFormSchema([]);
    expect(issues(schema.safeParse({ tokenId: 'alice!desk', secret, remember: false }))).toEqual({
      tokenId: 'expected user@realm!tokenid',
    });
    expect(issues(schema.safeParse({ tokenId: 'alice@pve', secret, remember: false }))).toEqual({
      tokenId: 'expected user@realm!tokenid',
    });
  });

  it('needs a secret unless one is remembered for that token', () => {
    const values = { tokenId: 'alice@pve!desk', secret: '', remember: false };

    expect(issues(tokenFormSchema([]).safeParse(values))).toEqual({
      secret: 'Enter the token secret.',
    });
    expect(tokenFormSchema(['alice@pve!desk']).parse(values)).toEqual({
      ...values,
      secret: undefined,
    });
  });

  it('refuses a secret that is not a UUID', () => {
    expect(
      issues(
        tokenFormSchema([]).safeParse({ tokenId: 'alice@pve!desk', secret: 'pw', remember: false }),
      ),
    ).toEqual({ secret: 'The secret is the UUID PVE showed when the token was made.' });
  });
});
