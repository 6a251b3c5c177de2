// Config read from a pull request is hostile input: bounded globs, no prototype keys dropped.
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../src/checks/index.ts';
import { parseConfig } from '../../src/config.ts';
import { analyze } from '../../src/engine.ts';
import { globComplexity } from '../../src/glob.ts';
import { buildScopes } from '../../src/manifests/scope.ts';

const CATASTROPHIC = '@(+(a)|+(a))+b';
/** 26 characters: picomatch's RegExp for the glob above backtracks for minutes on it. */
const NAME = `${'a'.repeat(21)}.yaml`;

describe('config globs', () => {
  it('reject the catastrophic extglob with a config finding at the list item, and the run finishes', () => {
    // Arrange
    const text = `clusters:\n  prod:\n    - "${CATASTROPHIC}"\n    - "prod/**"\n`;

    // Act
    const parsed = parseConfig(text, '.github/lbguard.yml', RULE_IDS);
    const { findings } = analyze([{ path: NAME, bytes: Buffer.from('kind: IPPool\n') }], {
      config: parsed.config,
      configReports: parsed.reports,
    });

    // Assert
    expect(parsed.reports.map((r) => `${r.rule}:${r.line}:${r.column}`)).toEqual(['config:3:7']);
    expect(parsed.reports[0]!.message).toMatch(/too complex to match safely/);
    expect(parsed.config.clusters).toEqual({ prod: ['prod/**'] });
    expect(findings.some((f) => f.rule === 'config')).toBe(true);
  });

  it.each([
    ['an extglob inside another', '@(+(a)|+(a))+b'],
    ['alternation under repetition', '+(a|aa)b'],
    ['a wildcard under repetition', '*(a*)b'],
    ['four stars in a segment', 'x/*a*a*a*b'],
    ['a star inside a group counts too', '@(*a*a*a*b)'],
    ['a long glob', `${'a/'.repeat(300)}x`],
  ])('rejects %s', (_why, glob) => {
    expect(globComplexity(glob)).toBeDefined();
  });

  it.each([
    '**/*.yaml',
    'clusters/prod/**',
    'apps/*/prod/**',
    'a/**/b/**/*.{yaml,yml}',
    '@(lab|prod)/*.y?(a)ml',
    '!(archive)/**',
    '*(ab)x',
    '*-*-*.yaml',
  ])('accepts %s', (glob) => {
    expect(globComplexity(glob)).toBeUndefined();
  });

  it('still match as picomatch does once accepted', () => {
    // Act
    const scopes = buildScopes(['clusters/prod/a.yaml', 'x.yaml'], { prod: ['clusters/prod/**'] });

    // Assert
    expect(scopes.map((s) => [s.name, [...s.files]])).toEqual([
      ['prod', ['clusters/prod/a.yaml']],
      ['default', ['x.yaml']],
    ]);
  });
});

describe('rule ids', () => {
  it('report __proto__ and constructor as unknown rule ids, not drop them', () => {
    // Act
    const parsed = parseConfig('rules:\n  __proto__: error\n  constructor: warning\n', 'c.yml', RULE_IDS);

    // Assert
    expect(parsed.reports.map((r) => `${r.line}:${r.message}`)).toEqual([
      '2:Unknown rule id `__proto__`; see docs/rules.md for the list.',
      '3:Unknown rule id `constructor`; see docs/rules.md for the list.',
    ]);
  });
});
