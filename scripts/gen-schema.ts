// schema/lbguard.schema.json: the JSON Schema of .github/lbguard.yml, generated from the zod schema
// that reads it (src/config.ts), so editors complete and check what lbguard itself accepts.
// `npm run docs` writes it; test/config/schema.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RULE_IDS } from '../src/checks/index.ts';
import { configSchema } from '../src/config.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema/lbguard.schema.json', import.meta.url));
export const SCHEMA_URL = 'https://raw.githubusercontent.com/lbguard/lbguard/main/schema/lbguard.schema.json';

export function configJsonSchema(): string {
  // io: input, what a user writes (before defaults); refinements (a CIDR check) stay lbguard's.
  const schema = z.toJSONSchema(configSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' });
  // rules: keys are rule ids, so an editor can complete them and flag a misspelt one.
  const properties = schema.properties ?? {};
  properties.rules = { ...(properties.rules as object), propertyNames: { enum: [...RULE_IDS].sort() } };
  const out = {
    $id: SCHEMA_URL,
    title: 'lbguard configuration (.github/lbguard.yml)',
    description:
      'Generated from src/config.ts by scripts/gen-schema.ts; docs/configuration.md explains every key.',
    ...schema,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

if (import.meta.main) {
  writeFileSync(SCHEMA_FILE, configJsonSchema());
  console.log('wrote schema/lbguard.schema.json');
}
