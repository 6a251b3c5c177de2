import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { prose, RULES_DOC, renderRulesDoc } from '../scripts/gen-docs.ts';
import { RULES } from '../src/checks/index.ts';
import { CONFIG_PATH, configSchema, parseConfig } from '../src/config.ts';
import { SEVERITIES } from '../src/findings.ts';

const ROOT = join(import.meta.dirname, '..');
// In CI and on the team's machines the shared design folder sits next to the repository.
const CATALOG = join(ROOT, '..', 'shared', 'docs', 'rules.md');

/** `| \`id\` | severity | ...` rows of the catalog's tables; "notice (error when ...)" counts as notice. */
function catalogRules(text: string): Map<string, string> {
  const rules = new Map<string, string>();
  for (const m of text.matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|\s*([a-z]+)/gm)) rules.set(m[1]!, m[2]!);
  return rules;
}

/** Every dotted key of a zod object schema, nested objects included. */
function configKeys(schema: z.ZodType, prefix = ''): string[] {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  if (!(inner instanceof z.ZodObject)) return [];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([k, v]) => [
    `${prefix}${k}`,
    ...configKeys(v, `${prefix}${k}.`),
  ]);
}

describe('docs/rules.md', () => {
  it('is what scripts/gen-docs.ts generates from the registry (run `npm run docs` when this fails)', () => {
    // Arrange
    const expected = renderRulesDoc(RULES);

    // Act
    const actual = existsSync(RULES_DOC) ? readFileSync(RULES_DOC, 'utf8') : '';

    // Assert
    expect(actual, 'docs/rules.md is stale: run `npm run docs`').toBe(expected);
  });

  it('gives every rule an anchor, severity, title, rationale, remediation and evidence', () => {
    // Arrange
    const doc = renderRulesDoc(RULES);

    // Act
    const incomplete = RULES.filter(
      (r) => !r.title.trim() || !r.rationale.trim() || !r.remediation.trim() || r.evidence.length === 0,
    ).map((r) => r.id);

    // Assert
    expect(incomplete).toEqual([]);
    for (const r of RULES) {
      expect(doc).toContain(`<a id="${r.id}"></a>`);
      expect(SEVERITIES).toContain(r.severity);
    }
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
});

describe('registry text as Markdown', () => {
  it('escapes what Markdown would swallow, except inside code', () => {
    // Arrange / Act
    const out = prose('new IPPool {cidr: <subnet>} for service*IPs and cali* `<keep>*`');

    // Assert
    expect(out).toBe('new IPPool {cidr: &lt;subnet&gt;} for service\\*IPs and cali\\* `<keep>*`');
  });
});

describe.skipIf(!existsSync(CATALOG))(
  `the rule catalog (${CATALOG}; skipped when that file is absent)`,
  () => {
    const catalog = existsSync(CATALOG)
      ? catalogRules(readFileSync(CATALOG, 'utf8'))
      : new Map<string, string>();

    it('parses the catalog tables', () => {
      // Assert: sections A to E list about sixty rules.
      expect(catalog.size).toBeGreaterThan(50);
    });

    it('has every catalog id in the registry, with the catalog default severity', () => {
      // Arrange
      const registry = new Map(RULES.map((r) => [r.id, r.severity as string]));

      // Act
      const missing = [...catalog.keys()].filter((id) => !registry.has(id));
      const differs = [...catalog].filter(([id, sev]) => registry.has(id) && registry.get(id) !== sev);

      // Assert
      expect(missing, 'catalog ids missing from the registry').toEqual([]);
      expect(differs, 'catalog ids whose registry severity differs [id, catalog severity]').toEqual([]);
    });

    it('keeps the registry in catalog order (the family lists are the registry)', () => {
      // Arrange
      const order = [...catalog.keys()];

      // Act: the registry ids the catalog lists, in registry order.
      const listed = RULES.map((r) => r.id).filter((id) => catalog.has(id));

      // Assert
      expect(listed).toEqual(order.filter((id) => listed.includes(id)));
    });

    it('lists every registry id (the catalog is the contract)', () => {
      // Act
      const extra = RULES.map((r) => r.id).filter((id) => !catalog.has(id));

      // Assert
      expect(extra, 'registry ids the catalog does not list').toEqual([]);
    });
  },
);

describe('docs/configuration.md', () => {
  it('documents every key of the config schema', () => {
    // Arrange
    const doc = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');

    // Act
    const undocumented = configKeys(configSchema).filter((k) => !doc.includes(`\`${k}\``));

    // Assert
    expect(undocumented).toEqual([]);
  });

  it('has examples that are valid configs', () => {
    // Arrange: every yaml block but the manifest annotation example.
    const doc = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((b) => !b.startsWith('metadata:'));
    const ids = new Set(RULES.map((r) => r.id));

    // Act
    const problems = blocks.flatMap((b) => parseConfig(b, CONFIG_PATH, ids).reports.map((r) => r.message));

    // Assert
    expect(blocks.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});

describe('README', () => {
  it('names the two commands, and they point at things that exist', () => {
    // Arrange
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      bin: Record<string, string>;
    };

    // Act: the indented command lines of the "Two commands" section.
    const section = readme.slice(readme.indexOf('## Two commands'), readme.indexOf('## In CI'));
    const commands = [...section.matchAll(/^ {4}(\S.*)$/gm)].map((m) => m[1]);

    // Assert
    expect(commands).toEqual(['./scripts/dev lbguard check examples/homelab', './scripts/dev npm test']);
    expect(existsSync(join(ROOT, 'examples/homelab/.github/lbguard.yml'))).toBe(true);
    expect(existsSync(join(ROOT, 'scripts/dev'))).toBe(true);
    expect(pkg.bin.lbguard).toBe('bin/lbguard.js');
    expect(pkg.scripts.test).toMatch(/^vitest run/);
  });
});
