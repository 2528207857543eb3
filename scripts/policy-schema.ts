// Writes docs/policy.schema.json from the zod policy schema, formatted as Prettier formats it (so
// `npm run format` leaves it alone); a unit test fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formattedPolicyJsonSchema } from '../src/main/quota/policy-json-schema-file';

const target = resolve(import.meta.dirname, '../docs/policy.schema.json');
writeFileSync(target, await formattedPolicyJsonSchema(target));
console.log(`wrote ${target}`);
