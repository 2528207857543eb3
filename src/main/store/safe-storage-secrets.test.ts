import { describe, expect, it } from 'vitest';
import { MemoryStore } from './key-value-store';
import { SafeStorageSecretStore, type SafeStorageLike } from './safe-storage-secrets';
import { MemorySecretStore } from './secrets';

/** A stand-in for the OS keychain: reversible, but visibly not the plain text. */
function fakeSafeStorage(available = true): SafeStorageLike & { available: boolean } {
  return {
    available,
    isEncryptionAvailable() {
      return this.available;
    },
    encryptString: (plain) => Buffer.from(`enc:${[...plain].reverse().join('')}`, 'utf8'),
    decryptString: (encrypted) => {
      const text = encrypted.toString('utf8');
      if (!text.startsWith('enc:')) throw new Error('not ours');
      return [...text.slice(4)].reverse().join('');
    },
  };
}

const secret = '5d2c4b8e-1f3a-4c6d-9e7b-0a1b2c3d4e5f';

describe('SafeStorageSecretStore', () => {
  it('keeps only the base64 ciphertext in the settings and gives the secret back', () => {
    const settings = new MemoryStore();
    const store = new SafeStorageSecretStore(settings, fakeSafeStorage());

    store.set('token:a', secret);

    const stored = settings.get('secrets.encrypted') as Record<string, string>;
    expect(Object.keys(stored)).toEqual(['token:a']);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(Buffer.from(stored['token:a'] ?? '', 'base64').toString('utf8')).toMatch(/^enc:/);
    expect(store.get('token:a')).toBe(secret);
    expect(store.get('token:b')).toBeNull();
  });

  it('refuses to store when the OS offers no encryption, and stores nothing', () => {
    const settings = new MemoryStore();
    const store = new SafeStorageSecretStore(settings, fakeSafeStorage(false));

    expect(() => store.set('token:a', secret)).toThrow(/no encrypted storage/);
    expect(settings.get('secrets.encrypted')).toBeUndefined();
  });

  it("counts Linux's basic_text fallback as no encryption, and a real keyring as encryption", () => {
    const basic = { ...fakeSafeStorage(), getSelectedStorageBackend: () => 'basic_text' };
    const keyring = { ...fakeSafeStorage(), getSelectedStorageBackend: () => 'gnome_libsecret' };

    const onBasic = new SafeStorageSecretStore(new MemoryStore(), basic, 'linux');
    const onKeyring = new SafeStorageSecretStore(new MemoryStore(), keyring, 'linux');
    onKeyring.set('token:a', secret);

    expect(() => onBasic.set('token:a', secret)).toThrow(/no encrypted storage/);
    expect(onKeyring.get('token:a')).toBe(secret);
  });

  it('says whether it can store: not without OS encryption, not on basic_text', () => {
    const basic = { ...fakeSafeStorage(), getSelectedStorageBackend: () => 'basic_text' };

    expect(new SafeStorageSecretStore(new MemoryStore(), fakeSafeStorage()).available()).toBe(true);
    expect(new SafeStorageSecretStore(new MemoryStore(), fakeSafeStorage(false)).available()).toBe(
      false,
    );
    expect(new SafeStorageSecretStore(new MemoryStore(), basic, 'linux').available()).toBe(false);
  });

  it('deletes one secret and keeps the others', () => {
    const store = new SafeStorageSecretStore(new MemoryStore(), fakeSafeStorage());
    store.set('token:a', secret);
    store.set('token:b', 'other');

    store.delete('token:a');
    store.delete('token:absent');

    expect(store.get('token:a')).toBeNull();
    expect(store.get('token:b')).toBe('other');
  });

  it('treats a ciphertext it cannot decrypt, or damaged settings, as no secret', () => {
    const settings = new MemoryStore();
    const store = new SafeStorageSecretStore(settings, fakeSafeStorage());
    settings.set('secrets.encrypted', { 'token:a': Buffer.from('garbage').toString('base64') });

    expect(store.get('token:a')).toBeNull();
    settings.set('secrets.encrypted', 'not an object');
    expect(store.get('token:a')).toBeNull();
  });
});

describe('MemorySecretStore', () => {
  it('stores, reads and deletes by name', () => {
    const store = new MemorySecretStore();

    store.set('x', 'one');
    const read = store.get('x');
    store.delete('x');

    expect(read).toBe('one');
    expect(store.get('x')).toBeNull();
  });
});
