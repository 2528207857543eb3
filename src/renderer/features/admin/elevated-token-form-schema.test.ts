import { describe, expect, it } from 'vitest';
import { readElevatedTokenForm } from './elevated-token-form-schema';

describe('readElevatedTokenForm', () => {
  it('accepts a full token id and a UUID secret, trimmed and lower-cased', () => {
    const read = readElevatedTokenForm({
      tokenId: ' proxdesk@pve!commit ',
      secret: ' 7C9E6679-7425-40DE-944B-E07FC1F90AE7 ',
    });

    expect(read).toEqual({
      ok: true,
      values: { tokenId: 'proxdesk@pve!commit', secret: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
    });
  });

  it('names each bad field once: empty, no token part, not a UUID', () => {
    expect(readElevatedTokenForm({ tokenId: '', secret: '' })).toEqual({
      ok: false,
      errors: {
        tokenId: 'Enter the token id, like proxdesk@pve!commit.',
        secret: 'Enter the token secret.',
      },
    });
    expect(readElevatedTokenForm({ tokenId: 'proxdesk@pve', secret: 'hunter2' })).toEqual({
      ok: false,
      errors: {
        tokenId: 'expected user@realm!tokenid',
        secret: 'The secret is the UUID PVE showed when the token was made.',
      },
    });
  });
});
