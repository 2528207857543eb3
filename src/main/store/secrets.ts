/**
 * Named secrets (API-token secrets) kept apart from ordinary settings. The app keeps them
 * encrypted with the OS keychain; tests use the in-memory store. Passwords are never kept.
 */
export interface SecretStore {
  /** The secret stored under `name`, or null when there is none. */
  get(name: string): string | null;
  /** Stores a secret; throws when the store cannot keep it safely. */
  set(name: string, value: string): void;
  delete(name: string): void;
  /** Whether `set` can keep a secret now; false when the OS offers no encrypted storage. */
  available(): boolean;
}

/** A secret store that forgets everything when the process ends: for tests and for when no keychain is wanted. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  get(name: string): string | null {
    return this.values.get(name) ?? null;
  }

  set(name: string, value: string): void {
    this.values.set(name, value);
  }

  delete(name: string): void {
    this.values.delete(name);
  }

  available(): boolean {
    return true;
  }
}
