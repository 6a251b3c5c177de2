import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, SCHEMA_FILE, SCHEMA_URL } from '../../scripts/gen-schema.ts';
import { RULE_IDS } from '../../src/checks/index.ts';
import { configSchema } from '../../src/config.ts';

describe('schema/lbguard.schema.json', () => {
  it('is what the zod schema generates (run `npm run docs` when this fails)', () => {
    // Assert
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(configJsonSchema());
  });

  it('describes every top-level key, allows no other, and completes rule ids', () => {
    // Act
    const schema = JSON.parse(configJsonSchema()) as {
      properties: Record<string, unknown> & { rules: { propertyNames: { enum: string[] } } };
      additionalProperties: boolean;
    };

    // Assert
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(configSchema.shape).sort());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.rules.propertyNames.enum).toEqual([...RULE_IDS].sort());
  });

  it('is named in docs/configuration.md for editors', () => {
    // Assert
    expect(readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')).toContain(
      `# yaml-language-server: $schema=${SCHEMA_URL}`,
    );
  });
});
