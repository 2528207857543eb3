import { z } from 'zod';
import { policySchema } from './policy-schema';

// The JSON Schema of the policy document, generated from the zod schema so the two never drift.
// It describes what an admin writes (the input side: defaults are optional, quantities are the
// strings and numbers the policy accepts), for editors that complete and check JSON as one types.
// `npm run policy:schema` writes it to docs/policy.schema.json.

/** The policy's JSON Schema as formatted text, exactly as docs/policy.schema.json holds it. */
export function policyJsonSchemaText(): string {
  const schema = z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' });
  const document = {
    $id: 'https://proxdesk.example/schemas/policy-v1.json',
    title: 'ProxDesk quota policy, version 1',
    description: 'See docs/policy.md for what each field means.',
    ...schema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
