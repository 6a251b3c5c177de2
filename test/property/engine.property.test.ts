import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RULE_IDS } from '../../src/checks/index.ts';
import { CONFIG_PATH, parseConfig } from '../../src/config.ts';
import type { Analysis } from '../../src/engine.ts';
import { analyzeFiles } from '../helpers.ts';
import { BASE, WORKLOAD } from './corpus.ts';
import { mutatedRepo, textMutatedRepo } from './mutate.ts';

/** The findings as the JSON output would carry them (timings left out: they differ run to run). */
const stable = (a: Analysis) => JSON.stringify({ findings: a.findings, summary: a.summary, pools: a.pools });

function checkRepo(files: Record<string, string>): void {
  // No timing here (bench/ measures speed): a hang shows as the test's own timeout.
  const first = analyzeFiles(files);
  const second = analyzeFiles(files);
  // The same tree listed in another order (readdir, git, a tarball) must report the same.
  const reordered = analyzeFiles(Object.fromEntries(Object.entries(files).reverse()));

  expect(stable(second)).toBe(stable(first));
  expect(stable(reordered)).toBe(stable(first));
  for (const f of first.findings) {
    // Every finding points into a file it was given, at a 1-based position inside it.
    const text = files[f.file];
    expect(text, `${f.rule} points at unknown file ${f.file}`).toBeDefined();
    const lines = text!.split(/\r?\n|\r/).length;
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.column).toBeGreaterThanOrEqual(1);
    expect(f.line).toBeLessThanOrEqual(lines + 1);
    expect(RULE_IDS.has(f.rule), `unknown rule id ${f.rule}`).toBe(true);
  }
}

describe('the corpus the mutations start from', () => {
  it('is valid: every watched kind, no error-level finding, and no yaml-syntax beside a workload', () => {
    // Arrange
    const text = [...BASE, WORKLOAD].map((d) => stringify(d)).join('---\n');

    // Act
    const a = analyzeFiles({ 'm/all.yaml': text });

    // Assert
    expect(new Set(BASE.map((d) => `${d.kind} ${d.apiVersion}`))).toEqual(
      new Set([
        'ServiceGroup purelb.io/v1',
        'ServiceGroup purelb.io/v2',
        'LBNodeAgent purelb.io/v1',
        'LBNodeAgent purelb.io/v2',
        'IPPool crd.projectcalico.org/v1',
        'IPPool projectcalico.org/v3',
        'BGPConfiguration crd.projectcalico.org/v1',
        'BGPPeer crd.projectcalico.org/v1',
        'BGPFilter crd.projectcalico.org/v1',
        'Installation operator.tigera.io/v1',
        'Service v1',
      ]),
    );
    expect(a.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(a.summary.resources).toBe(BASE.length);
  });
});

// 250 runs take ~15 s on an idle 2-core machine; a busy one (CI beside other work) needs more, and
// a timeout is not what these tests are about.
const PROPERTY_TIMEOUT = 120_000;

describe('the engine on mutated manifests', () => {
  it(
    'never throws, is fast, deterministic, and points inside the files (object mutations)',
    () => {
      fc.assert(fc.property(mutatedRepo, checkRepo), { numRuns: 250, seed: 20261127 });
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'never throws, is fast, deterministic, and points inside the files (text mutations)',
    () => {
      fc.assert(fc.property(textMutatedRepo, checkRepo), { numRuns: 250, seed: 20261128 });
    },
    PROPERTY_TIMEOUT,
  );

  it('also holds with fresh random seeds', () => {
    fc.assert(fc.property(fc.oneof(mutatedRepo, textMutatedRepo), checkRepo), { numRuns: 100 });
  });
});

describe('the config parser on arbitrary input', () => {
  const configText = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc
      .dictionary(
        fc.constantFrom(
          'include',
          'exclude',
          'clusters',
          'rules',
          'limits',
          'network',
          'failOn',
          'fixes',
          'x',
          'push',
        ),
        fc.jsonValue({ maxDepth: 3 }),
      )
      .map((o) => JSON.stringify(o)),
  );

  it('never throws and yields a complete config', () => {
    fc.assert(
      fc.property(configText, (text) => {
        const r = parseConfig(text, CONFIG_PATH, RULE_IDS);
        expect(r.config.limits.maxFileBytes).toBeGreaterThan(0);
        expect(Array.isArray(r.config.include)).toBe(true);
        for (const rep of r.reports) expect(rep.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
