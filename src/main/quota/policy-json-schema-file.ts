import { format, resolveConfig } from 'prettier';
import { policyJsonSchemaText } from './policy-json-schema';

// The text of docs/policy.schema.json: the generated schema as Prettier formats it there. Only the
// generating script and its test use this; the app itself never loads Prettier.

/** The JSON Schema formatted with the Prettier settings that apply to `target`. */
export async function formattedPolicyJsonSchema(target: string): Promise<string> {
  const options = (await resolveConfig(target)) ?? {};
  return format(policyJsonSchemaText(), { ...options, parser: 'json' });
}
