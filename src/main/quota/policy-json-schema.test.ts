import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyJsonSchemaText } from './policy-json-schema';
import { formattedPolicyJsonSchema } from './policy-json-schema-file';

const committed = join(import.meta.dirname, '../../../docs/policy.schema.json');

describe('docs/policy.schema.json', () => {
  it('is what `npm run policy:schema` generates from the zod schema today', async () => {
    expect(readFileSync(committed, 'utf8')).toBe(await formattedPolicyJsonSchema(committed));
  });

  it('describes the document: version 1, strict objects, quantities with their units', () => {
    const schema = JSON.parse(policyJsonSchemaText()) as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, unknown>;
    };
    const text = JSON.stringify(schema);

    expect(schema.required).toEqual(['version']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual([
      'description',
      'groups',
      'pools',
      'unset',
      'users',
      'version',
    ]);
    expect(text).toContain('(B|KiB|MiB|GiB|TiB)');
    expect(text).toContain('(MB/s|MiB/s)');
  });
});
