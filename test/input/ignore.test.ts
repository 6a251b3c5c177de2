// lbguard.dev/ignore as people audit it: "rule-a,rule-b: reason" silences those rules on that
// resource, every summary counts what it silenced, SARIF keeps it as a suppression with the reason,
// and an id that is no rule is a warning with the nearest id.
import { describe, expect, it } from 'vitest';
import { parseIgnore } from '../../src/manifests/ignore.ts';
import { run, tempRepo } from '../cli/harness.ts';
import { analyzeFiles, where, withRule } from '../helpers.ts';

// An IPPool without spec.cidr: resource-shape at 8:1 (the spec), whatever the annotation says.
const pool = (ignore: string) =>
  `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: lb
  annotations:
    lbguard.dev/ignore: "${ignore}"
spec:
  disabled: true
`;

describe('lbguard.dev/ignore', () => {
  it('reads ids before the first colon and the reason after it', () => {
    // Assert
    expect(parseIgnore('a, b: kept: for now')).toEqual({
      rules: new Set(['a', 'b']),
      reason: 'kept: for now',
    });
    expect(parseIgnore('a,b')).toEqual({ rules: new Set(['a', 'b']) });
  });

  it('silences the named rule, keeps the finding as suppressed with its reason, and counts it', () => {
    // Act
    const a = analyzeFiles({ 'pool.yaml': pool('resource-shape: rollback target, fixed in INFRA-12') });

    // Assert
    expect(withRule(a, 'resource-shape')).toEqual([]);
    expect(a.suppressed.map((f) => [f.rule, f.suppression])).toEqual([
      ['resource-shape', { reason: 'rollback target, fixed in INFRA-12' }],
    ]);
    expect(a.summary.suppressed).toBe(1);
  });

  it('reports an unknown id at the annotation with the nearest id, and suppresses nothing for it', () => {
    // Act
    const a = analyzeFiles({ 'pool.yaml': pool('resource-shap: typo') });
    const unknown = withRule(a, 'ignore-unknown-rule');

    // Assert
    expect(where(unknown)).toEqual(['pool.yaml:6:25']);
    expect(unknown[0]!.message).toBe(
      'lbguard.dev/ignore names "resource-shap", which is no rule id (did you mean resource-shape?); nothing is suppressed for it.',
    );
    expect(unknown[0]!.severity).toBe('warning');
    expect(withRule(a, 'resource-shape')).toHaveLength(1);
  });

  it('is quiet about known ids', () => {
    // Act
    const a = analyzeFiles({ 'pool.yaml': pool('resource-shape, ippool-cidr: both known') });
    const unknown = withRule(a, 'ignore-unknown-rule');

    // Assert
    expect(unknown).toEqual([]);
  });

  it('shows the suppressed count in text, github and JSON, and SARIF suppressions with the reason', async () => {
    // Arrange
    const dir = tempRepo({ 'pool.yaml': pool('resource-shape: rollback target') });

    // Act
    const [text, github, json, sarif] = await Promise.all(
      ['text', 'github', 'json', 'sarif'].map((format) => run(['check', dir, '--format', format])),
    );

    // Assert
    expect(text!.out).toMatch(/; 1 suppressed by lbguard\.dev\/ignore\n$/);
    expect(github!.out).toMatch(/; 1 suppressed by lbguard\.dev\/ignore\n$/);
    const report = JSON.parse(json!.out) as {
      summary: { suppressed: number };
      suppressed: { rule: string; suppression: unknown }[];
    };
    expect(report.summary.suppressed).toBe(1);
    expect(report.suppressed).toMatchObject([
      { rule: 'resource-shape', suppression: { reason: 'rollback target' } },
    ]);
    const results = (
      JSON.parse(sarif!.out) as { runs: { results: { ruleId: string; suppressions?: unknown[] }[] }[] }
    ).runs[0]!.results;
    expect(results.filter((r) => r.suppressions)).toEqual([
      expect.objectContaining({
        ruleId: 'resource-shape',
        suppressions: [{ kind: 'inSource', status: 'accepted', justification: 'rollback target' }],
      }),
    ]);
    expect(text!.code).toBe(0);
  });
});
