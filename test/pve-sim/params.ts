import { parameterError } from './api-error.js';

// The simulator's own parameter checks, so handlers refuse bad input in PVE's 400 shape even when
// the official schema is not loaded.

/** Rules for one text parameter. */
export interface TextRule {
  pattern?: RegExp;
  maxLength?: number;
  values?: readonly string[];
  /** The reason given when the pattern does not match. */
  why?: string;
}

/** Reads and checks parameters, collecting every error; `done()` throws them as one 400. */
export class ParamReader {
  private readonly errors: Record<string, string> = {};

  constructor(private readonly values: Record<string, unknown>) {}

  /** An optional text parameter, or undefined when absent or invalid. */
  text(name: string, rule: TextRule = {}): string | undefined {
    const raw = this.values[name];
    if (raw === undefined) return undefined;
    const value = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
    if (typeof value !== 'string') return this.fail(name, `type check ('string') failed`);
    if (rule.maxLength !== undefined && value.length > rule.maxLength) {
      return this.fail(name, `value may only be ${rule.maxLength} characters long`);
    }
    if (rule.values && !rule.values.includes(value)) {
      return this.fail(
        name,
        `value '${value}' does not have a value in the enumeration '${rule.values.join(', ')}'`,
      );
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      return this.fail(name, rule.why ?? 'value does not match the regex pattern');
    }
    return value;
  }

  /** A required text parameter; records an error (and returns '') when absent or invalid. */
  requiredText(name: string, rule: TextRule = {}): string {
    if (this.values[name] === undefined) {
      this.fail(name, 'property is missing and it is not optional');
      return '';
    }
    return this.text(name, rule) ?? '';
  }

  /** An optional integer parameter within [min, max]. */
  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.values[name];
    if (raw === undefined) return undefined;
    const text = typeof raw === 'number' ? String(raw) : raw;
    if (typeof text !== 'string' || !/^[+-]?\d+$/.test(text)) {
      const shown = typeof text === 'string' ? text : JSON.stringify(text);
      return this.fail(name, `type check ('integer') failed - got '${shown}'`);
    }
    const value = Number(text);
    if (value < min) return this.fail(name, `value must have a minimum value of ${min}`);
    if (value > max) return this.fail(name, `value must have a maximum value of ${max}`);
    return value;
  }

  /** The `vmid` path parameter as a number (0 after recording an error). */
  vmid(): number {
    const text = this.values.vmid;
    if (typeof text !== 'string' || !/^[1-9][0-9]{2,8}$/.test(text)) {
      this.fail('vmid', 'value does not look like a valid VM ID');
      return 0;
    }
    return Number(text);
  }

  /** Throws every collected error as PVE's 400, or returns when all parameters were fine. */
  done(): void {
    if (Object.keys(this.errors).length > 0) throw parameterError({ ...this.errors });
  }

  private fail(name: string, message: string): undefined {
    this.errors[name] ??= message;
    return undefined;
  }
}
