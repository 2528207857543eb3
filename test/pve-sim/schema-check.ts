import type { ApiSchema, SchemaParameters, SchemaProperty } from './schema-index.js';
import { checkNamedFormat, perlPatternToRegExp } from './schema-formats.js';

// Checks request parameters against the official schema the way PVE's parameter verification
// does: unknown and missing parameters, types, enums, ranges, lengths, patterns, named formats,
// and property strings whose format is an object of keys.

/** One schema problem: the parameter (`net0.rate` inside a property string) and why. */
export interface SchemaIssue {
  param: string;
  message: string;
}

/** The outcome of checking one request. */
export interface SchemaCheckResult {
  /** The endpoint template, or null when PVE has no such endpoint. */
  endpoint: string | null;
  issues: SchemaIssue[];
}

const notInSchema =
  'property is not defined in schema and the schema does not allow additional properties';
const missing = 'property is missing and it is not optional';

/** Index ranges of `name[n]` properties whose description does not state them. */
const indexRanges: Record<string, number> = {
  net: 31,
  unused: 255,
  hostpci: 15,
  ipconfig: 31,
  numa: 7,
  mp: 255,
  dev: 255,
  virtiofs: 9,
  link: 7,
  acmedomain: 4,
};

function indexLimit(base: string, property: SchemaProperty): number {
  const description = property.description ?? '';
  const upTo = /n can be up to (\d+)/.exec(description) ?? /\(n is \d+ to (\d+)/.exec(description);
  return upTo ? Number(upTo[1]) : (indexRanges[base] ?? Number.MAX_SAFE_INTEGER);
}

/** The schema property for a parameter name, resolving `scsi5` to `scsi[n]`. */
function propertyFor(
  properties: Record<string, SchemaProperty>,
  name: string,
): SchemaProperty | null {
  const direct = properties[name];
  if (direct) return direct;
  const indexed = /^(.*?)(\d+)$/.exec(name);
  if (!indexed) return null;
  const [, base = '', digits = ''] = indexed;
  const property = properties[`${base}[n]`];
  if (!property || (digits.length > 1 && digits.startsWith('0'))) return null;
  return Number(digits) <= indexLimit(base, property) ? property : null;
}

function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return null;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

function checkType(type: string | undefined, value: unknown, text: string | null): string | null {
  const failed = `type check ('${type ?? 'string'}') failed - got ${describe(value)}`;
  if (text === null) return failed;
  switch (type ?? 'string') {
    case 'integer':
      return /^[+-]?\d+$/.test(text) ? null : failed;
    case 'number':
      return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) ? null : failed;
    case 'boolean':
      return /^(1|true|yes|on|0|false|no|off)$/i.test(text) ? null : failed;
    default:
      return null;
  }
}

/** Checks one value against one property; returns the issues (sub-keys of property strings dotted). */
function checkValue(name: string, property: SchemaProperty, value: unknown): SchemaIssue[] {
  if (property.type === 'array') {
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    return property.items
      ? items.flatMap((item) => checkValue(name, property.items ?? {}, item))
      : [];
  }
  const text = scalarText(value);
  const typeError = checkType(property.type, value, text);
  if (typeError || text === null) return [{ param: name, message: typeError ?? 'invalid value' }];
  const fail = (message: string): SchemaIssue[] => [{ param: name, message }];

  if (property.enum && !property.enum.includes(text)) {
    return fail(
      `value '${text}' does not have a value in the enumeration '${property.enum.join(', ')}'`,
    );
  }
  if (property.type === 'integer' || property.type === 'number') {
    const number = Number(text);
    if (property.minimum !== undefined && number < property.minimum) {
      return fail(`value must have a minimum value of ${property.minimum}`);
    }
    if (property.maximum !== undefined && number > property.maximum) {
      return fail(`value must have a maximum value of ${property.maximum}`);
    }
  }
  if (property.maxLength !== undefined && text.length > property.maxLength) {
    return fail(`value may only be ${property.maxLength} characters long`);
  }
  if (property.minLength !== undefined && text.length < property.minLength) {
    return fail(`value must be at least ${property.minLength} characters long`);
  }
  if (property.pattern !== undefined) {
    const regex = perlPatternToRegExp(property.pattern);
    if (regex && !regex.test(text)) return fail('value does not match the regex pattern');
  }
  if (typeof property.format === 'string') {
    const error = checkNamedFormat(property.format, text);
    if (error) return fail(error);
  } else if (property.format) {
    return checkPropertyString(name, property.format, text);
  }
  return [];
}

/** Checks a property string (`virtio=BC:24:11:2A:10:00,bridge=vmbr0`) against its key format. */
function checkPropertyString(
  name: string,
  format: Record<string, SchemaProperty>,
  text: string,
): SchemaIssue[] {
  const defaultKey = Object.keys(format).find((key) => format[key]?.default_key);
  const values = new Map<string, string>();
  const issues: SchemaIssue[] = [];
  const put = (key: string, value: string): void => {
    if (values.has(key))
      issues.push({ param: `${name}.${key}`, message: 'duplicate key in property string' });
    values.set(key, value);
  };
  for (const item of text === '' ? [] : text.split(',')) {
    const eq = item.indexOf('=');
    if (eq === -1) {
      if (defaultKey === undefined)
        issues.push({ param: name, message: `value without key: '${item}'` });
      else put(defaultKey, item);
      continue;
    }
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    const entry = format[key];
    if (!entry) issues.push({ param: `${name}.${key}`, message: notInSchema });
    else if (entry.keyAlias && entry.alias) {
      put(entry.keyAlias, key);
      put(entry.alias, value);
    } else put(entry.alias ?? key, value);
  }
  for (const [key, value] of values) {
    const entry = format[key];
    if (entry) issues.push(...checkValue(`${name}.${key}`, entry, value));
  }
  for (const [key, entry] of Object.entries(format)) {
    if (entry.alias || entry.optional || values.has(key)) continue;
    issues.push({ param: `${name}.${key}`, message: missing });
  }
  for (const [key, entry] of Object.entries(format)) {
    if (entry.requires && values.has(key) && !values.has(entry.requires)) {
      issues.push({ param: `${name}.${entry.requires}`, message: `required by '${key}'` });
    }
  }
  return issues;
}

/** Checks a parameter object against an endpoint's parameter schema. */
export function checkParameters(
  schema: SchemaParameters | undefined,
  params: Record<string, unknown>,
): SchemaIssue[] {
  const properties = schema?.properties ?? {};
  const issues: SchemaIssue[] = [];
  for (const [name, value] of Object.entries(params)) {
    const property = propertyFor(properties, name);
    if (!property) {
      if (!schema?.additionalProperties) issues.push({ param: name, message: notInSchema });
      continue;
    }
    issues.push(...checkValue(name, property, value));
    if (property.requires && params[property.requires] === undefined) {
      issues.push({
        param: property.requires,
        message: `missing property - '${name}' requires this property`,
      });
    }
  }
  for (const [name, property] of Object.entries(properties)) {
    if (name.endsWith('[n]') || property.optional || params[name] !== undefined) continue;
    issues.push({ param: name, message: missing });
  }
  return issues;
}

/** Checks one request (path parameters included in `params`) against the schema. */
export function checkRequest(
  schema: ApiSchema,
  method: string,
  segments: string[],
  params: Record<string, unknown>,
): SchemaCheckResult {
  const endpoint = schema.find(method, segments);
  if (!endpoint) return { endpoint: null, issues: [] };
  const all = { ...params, ...endpoint.pathParams };
  return { endpoint: endpoint.template, issues: checkParameters(endpoint.method.parameters, all) };
}

/** Groups issues into PVE's 400 `errors` object, one message per top-level parameter. */
export function issuesToErrors(issues: SchemaIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const dot = issue.param.indexOf('.');
    const top = dot === -1 ? issue.param : issue.param.slice(0, dot);
    const text =
      dot === -1
        ? issue.message
        : `invalid format - ${issue.param.slice(dot + 1)}: ${issue.message}`;
    errors[top] = errors[top] === undefined ? text : `${errors[top]}\n${text}`;
  }
  return errors;
}
