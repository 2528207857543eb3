import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The small key-value interface that settings live behind (electron-store in the app). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /**
   * A number that changes with every write through this store, so a reader may keep what it
   * parsed from a value until the next write instead of parsing it on every read.
   */
  revision(): number;
}

/** A store that lives in memory only, for tests. */
export class MemoryStore implements KeyValueStore {
  private readonly values = new Map<string, unknown>();
  private writes = 0;

  get(key: string): unknown {
    return structuredClone(this.values.get(key));
  }

  set(key: string, value: unknown): void {
    this.values.set(key, structuredClone(value));
    this.writes += 1;
  }

  delete(key: string): void {
    this.values.delete(key);
    this.writes += 1;
  }

  revision(): number {
    return this.writes;
  }
}

/**
 * A store kept in one JSON file, written atomically (temp file, then rename). Used where
 * electron-store cannot be loaded: the plain-Node core in tests, the browser bridge and the demo.
 */
export class JsonFileStore implements KeyValueStore {
  private values: Record<string, unknown>;
  private writes = 0;

  constructor(private readonly file: string) {
    this.values = readJsonObject(file);
  }

  get(key: string): unknown {
    return structuredClone(this.values[key]);
  }

  set(key: string, value: unknown): void {
    this.values = { ...this.values, [key]: structuredClone(value) };
    this.flush();
  }

  delete(key: string): void {
    this.values = Object.fromEntries(Object.entries(this.values).filter(([name]) => name !== key));
    this.flush();
  }

  revision(): number {
    return this.writes;
  }

  private flush(): void {
    this.writes += 1;
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.values, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
  }
}

function readJsonObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${file} does not hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
