import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { KeyValueStore } from './key-value-store';
import type { SecretStore } from './secrets';

/** The part of Electron's `safeStorage` this store uses; passed in so the core stays Electron-free. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which keyring backs the encryption. */
  getSelectedStorageBackend?(): string;
}

const secretsKey = 'secrets.encrypted';
const storedSchema = z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/));

/**
 * Secrets encrypted with the OS keychain through Electron's `safeStorage`; the ciphertext is kept
 * base64-encoded in the settings store. When the OS offers no encryption, nothing is stored:
 * keeping a secret in plain text would be worse than asking again. On Linux without a keyring,
 * Electron falls back to `basic_text`, a key built into Chromium; that counts as no encryption.
 */
export class SafeStorageSecretStore implements SecretStore {
  constructor(
    private readonly settings: KeyValueStore,
    private readonly safeStorage: SafeStorageLike,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  get(name: string): string | null {
    const encrypted = this.all()[name];
    if (encrypted === undefined || !this.encryptionAvailable()) return null;
    try {
      return this.safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
    } catch {
      // Encrypted under another OS account or keyring: unusable, so it is as good as absent.
      return null;
    }
  }

  set(name: string, value: string): void {
    if (!this.encryptionAvailable()) {
      throw new AppError(
        'INVALID_INPUT',
        'This computer offers no encrypted storage (OS keychain), so ProxDesk will not remember the secret. Sign in without remembering it.',
        { fields: { remember: 'no encrypted storage on this computer' } },
      );
    }
    const encrypted = this.safeStorage.encryptString(value).toString('base64');
    this.settings.set(secretsKey, { ...this.all(), [name]: encrypted });
  }

  delete(name: string): void {
    const all = this.all();
    if (!(name in all)) return;
    this.settings.set(
      secretsKey,
      Object.fromEntries(Object.entries(all).filter(([key]) => key !== name)),
    );
  }

  available(): boolean {
    return this.encryptionAvailable();
  }

  private encryptionAvailable(): boolean {
    if (!this.safeStorage.isEncryptionAvailable()) return false;
    if (this.platform !== 'linux') return true;
    const backend = this.safeStorage.getSelectedStorageBackend?.();
    return backend !== 'basic_text' && backend !== 'unknown';
  }

  private all(): Record<string, string> {
    const parsed = storedSchema.safeParse(this.settings.get(secretsKey) ?? {});
    return parsed.success ? parsed.data : {};
  }
}
