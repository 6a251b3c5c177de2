// Fuzzing with hostile shapes (fixed seeds, fixed budgets, run in CI): self-aliases, deep nesting
// and names full of escapes for the engine and the renderers; globs and rule ids for the config;
// duplicate names, line ends and block scalars for the fix planner. None may throw or hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { RULE_IDS } from '../../src/checks/index.ts';
import { parseConfig } from '../../src/config.ts';
import { analyze } from '../../src/engine.ts';
import type { Finding, Fix } from '../../src/findings.ts';
import { applyEdit } from '../../src/fixes/apply.ts';
import { planFixes } from '../../src/fixes/plan.ts';
import { globComplexity, globMatcher } from '../../src/glob.ts';
import { renderGithub } from '../../src/render/github.ts';
import { renderText } from '../../src/render/text.ts';
import { BASE } from './corpus.ts';

const RUNS = 60;

/** Names and values with what breaks output: line breaks, `::`, ANSI escapes, quotes, NUL. */
const hostileString = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\n',
        '\r',
        '::error ',
        '\x1b[31m',
        '\u2028',
        '"',
        "'",
        '\\',
        '\0',
        '%0A',
        '${X}',
        '&a',
        '*a',
        ': ',
      ),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** A BASE document with one hostile mutation, as YAML text. */
const hostileDoc = fc
  .tuple(
    fc.integer({ min: 0, max: BASE.length - 1 }),
    fc.oneof(
      fc.record({ kind: fc.constant('name' as const), value: hostileString }),
      fc.record({ kind: fc.constant('selfAlias' as const), key: fc.constantFrom('spec', 'metadata') }),
      fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 1, max: 2000 }) }),
      fc.record({ kind: fc.constant('annotation' as const), value: hostileString }),
    ),
  )
  .map(([i, m]) => {
    const doc = structuredClone(BASE[i]!) as { metadata: Record<string, unknown>; spec?: unknown };
    if (m.kind === 'name') doc.metadata.name = m.value;
    if (m.kind === 'annotation') doc.metadata.annotations = { 'purelb.io/service-group': m.value };
    let text = stringify(doc);
    if (m.kind === 'selfAlias')
      text = text.replace(new RegExp(`^${m.key}:`, 'm'), `${m.key}: &loop\n  self: *loop`);
    if (m.kind === 'deep') text = `${text}extra: ${'['.repeat(m.depth)}${']'.repeat(m.depth)}\n`;
    return text;
  });

const RAW = ['\x1b', '\r', '\u2028', '\0'];

describe('hostile manifests', () => {
  it('never throw, and no raw control character reaches the text or GitHub output', () => {
    fc.assert(
      fc.property(fc.array(hostileDoc, { minLength: 1, maxLength: 4 }), (docs) => {
        const files = docs.map((text, i) => ({ path: `m/${i}.yaml`, bytes: Buffer.from(text) }));
        const a = analyze(files, {});
        const text = renderText(a, { color: false, source: () => undefined });
        const github = renderGithub(a);
        for (const c of RAW) {
          expect(text).not.toContain(c);
          expect(github).not.toContain(c);
        }
        // One command per finding, one summary line: nothing injected a line.
        expect(github.trimEnd().split('\n')).toHaveLength(a.findings.length + 1);
      }),
      { numRuns: RUNS, seed: 20261129 },
    );
  });
});

/** Glob pieces, the extglob ones included, so catastrophic shapes come up. */
const glob = fc
  .array(
    fc.constantFrom(
      'a',
      'b',
      '*',
      '**',
      '/',
      '?',
      '@(',
      '+(',
      '*(',
      '!(',
      '?(',
      ')',
      '|',
      '{a,b}',
      '[ab]',
      '.yaml',
    ),
    {
      minLength: 1,
      maxLength: 14,
    },
  )
  .map((parts) => parts.join(''));

describe('hostile configs', () => {
  it('never throw; every accepted glob is within bounds and matches a long name', () => {
    fc.assert(
      fc.property(
        fc.array(glob, { maxLength: 4 }),
        fc.array(
          fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'yaml-syntax'), hostileString),
          {
            maxLength: 3,
          },
        ),
        (globs, ids) => {
          const text = stringify({ include: globs, rules: Object.fromEntries(ids.map((id) => [id, 'off'])) });
          const parsed = parseConfig(text, '.github/lbguard.yml', RULE_IDS);
          for (const g of parsed.config.include) {
            expect(globComplexity(g)).toBeUndefined();
            // A catastrophic glob would hang here (and the test time out); accepted ones return.
            globMatcher([g])(`${'a'.repeat(40)}/${'a'.repeat(60)}.yaml`);
          }
          for (const id of ids)
            if (!RULE_IDS.has(id) && id !== '')
              expect(parsed.reports.some((r) => r.message.includes('Unknown rule id'))).toBe(true);
        },
      ),
      { numRuns: RUNS * 3, seed: 20261130 },
    );
  });
});

const pool = (name: string, cidr: string, extra: string) =>
  `apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: ${name}\nspec:\n  cidr: ${cidr}\n${extra}`;

const poolFile = fc.record({
  names: fc.array(fc.constantFrom('lb', 'lb', 'pods'), { minLength: 1, maxLength: 4 }),
  extra: fc.constantFrom(
    '',
    '  description: >\n    folded\n',
    '  description: |+\n    kept\n\n',
    '  ipipMode: Never\n',
  ),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  target: fc.nat(),
});

describe('the fix planner on hostile layouts', () => {
  it('edits exactly the addressed document and keeps line ends and BOM', () => {
    fc.assert(
      fc.property(poolFile, ({ names, extra, crlf, bom, target }) => {
        const docs = names.map((n, i) => pool(n, `10.${i}.0.0/24`, extra));
        let text = docs.join('---\n');
        if (crlf) text = text.replace(/\n/g, '\r\n');
        if (bom) text = `\uFEFF${text}`;
        const t = target % names.length;
        // The line the target document starts on (1-based), as the loader reports it.
        const line = docs.slice(0, t).reduce((n, d) => n + d.split('\n').length, 1);
        const fix: Fix = {
          title: 't',
          changes: [
            {
              kind: 'edit',
              file: 'p.yaml',
              resource: { kind: 'IPPool', name: names[t]! },
              line,
              ops: [{ op: 'set', path: ['spec', 'disabled'], value: true }],
            },
          ],
        };
        const finding = { file: 'p.yaml', rule: 'lb-ippool-allocatable', fix } as unknown as Finding;
        const plan = planFixes([finding], () => text);
        expect(plan.failures).toEqual([]);
        const after = plan.changes[0]!.after;
        expect(after.startsWith('\uFEFF')).toBe(bom);
        if (crlf) expect(after.replace(/\r\n/g, '')).not.toContain('\n');
        else expect(after).not.toContain('\r');
        const before = parseAllDocuments(text.replace(/^\uFEFF/, '')).map((d) => d.toJS());
        const got = parseAllDocuments(after.replace(/^\uFEFF/, '')).map((d) => d.toJS());
        expect(got).toEqual(
          before.map((d, i) => (i === t ? { ...d, spec: { ...d.spec, disabled: true } } : d)),
        );
        // Idempotent: a second application changes nothing.
        expect(applyEdit(after, fix.changes[0] as Extract<Fix['changes'][number], { kind: 'edit' }>)).toBe(
          after,
        );
      }),
      { numRuns: RUNS, seed: 20261131 },
    );
  });
});
