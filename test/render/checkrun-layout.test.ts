// The check run's summary as a reviewer meets it: counts first, new findings grouped per rule by
// severity, the rest folded, links to the head commit, and always inside GitHub's limits.
import { describe, expect, it } from 'vitest';
import { LIMITS, renderCheckRun } from '../../src/render/checkrun.ts';
import { validateRequest } from '../openapi.ts';
import { sampleRun } from './checkrun-sample.ts';

const headings = (summary: string) => [
  ...summary.matchAll(/^#### \[`([a-z-]+)`\]\([^)]*\) · (\w+) · (\d+)/gm),
];

describe('check run summary layout', () => {
  it('opens with the counts, then new findings grouped per rule, errors first, each with its count and what to do', () => {
    // Act
    const out = renderCheckRun(sampleRun(10, 3, 4));

    // Assert
    const lines = out.summary.split('\n');
    expect(lines[4]).toBe(
      '**4 new errors, 2 new warnings** · 1 new notice · 3 pre-existing (folded below; they do not fail this run) · 3 suppressed by `lbguard.dev/ignore`',
    );
    const news = out.summary.slice(0, out.summary.indexOf('<details>'));
    const groups = headings(news).map((m) => [m[1], m[2], Number(m[3])]);
    expect(groups.map((g) => g[1])).toEqual([
      'error',
      'error',
      'error',
      'error',
      'warning',
      'warning',
      'notice',
    ]);
    expect(groups.reduce((n, g) => n + (g[2] as number), 0)).toBe(7);
    expect(news.match(/\*\*What to do:\*\*/g)).toHaveLength(groups.length);
    expect(news).toContain(
      '[`clusters/c0/apps/app-0/service.yaml:3`](https://github.com/acme/infra/blob/1a2b3c4d5e6f/clusters/c0/apps/app-0/service.yaml#L3)',
    );
  });

  it('folds the pre-existing findings and escapes HTML in messages', () => {
    // Act
    const out = renderCheckRun(sampleRun(10, 3, 4));

    // Assert
    expect(out.summary).toMatch(
      /<details><summary>Pre-existing findings \(3\): already there before this change<\/summary>/,
    );
    expect(out.summary).toContain('&lt;x&gt;');
    expect(out.summary.match(/<details>/g)).toHaveLength(1); // four pools: the table stays open
    expect(out.summary).toContain('| Verdict | Pool |');
  });

  it('at 500 findings and 18 pools stays within 65,535 characters, folds the pool table, and lists every rule', () => {
    // Act
    const out = renderCheckRun(sampleRun(500, 169, 18));

    // Assert
    expect(out.summary.length).toBeLessThanOrEqual(LIMITS.summary);
    expect(
      validateRequest({
        method: 'PATCH',
        url: 'https://api.github.com/repos/o/r/check-runs/1',
        body: { output: { title: out.title, summary: out.summary } },
      }),
    ).toEqual([]);
    expect(out.summary).toMatch(/<details><summary>PureLB pools \(18, 3 with problems\)<\/summary>/);
    const news = out.summary.slice(0, out.summary.indexOf('<details>'));
    expect(headings(news).reduce((n, m) => n + Number(m[3]), 0)).toBe(331);
    expect(out.summary.indexOf('### New findings')).toBeLessThan(out.summary.indexOf('PureLB pools'));
    expect(out.title).toBe('190 new errors, 94 new warnings (169 pre-existing)');
  });

  it('lists fewer findings per rule, never fewer rules, when the findings do not fit', () => {
    // Act
    const out = renderCheckRun(sampleRun(3000, 0, 0));

    // Assert
    expect(out.summary.length).toBeLessThanOrEqual(LIMITS.summary);
    expect(headings(out.summary)).toHaveLength(7);
    expect(out.summary).toMatch(/- … and \d+ more of this rule \(see the annotations\)/);
  });
});
