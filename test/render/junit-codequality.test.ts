import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { renderCodeQuality } from '../../src/render/codequality.ts';
import { renderJunit } from '../../src/render/junit.ts';
import { analysisOf, finding } from './sample.ts';

const mixed = () =>
  analysisOf([
    finding({ file: 'a.yaml', line: 1, state: 'existing', message: 'old <one> & "quoted"' }),
    finding({ file: 'z.yaml', line: 9, state: 'new', message: 'new error' }),
    finding({ file: 'b.yaml', line: 2, state: 'new', severity: 'warning', message: 'new warning' }),
    finding({ file: 'c.yaml', line: 3, state: 'new', severity: 'notice', message: 'a notice\u0007' }),
  ]);

describe('junit', () => {
  it('lists new findings first: new errors and warnings fail, notices and pre-existing ones are skipped', () => {
    // Act
    const out = renderJunit(mixed(), { pathPrefix: 'infra' });

    // Assert
    expect(out).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="lbguard" tests="4" failures="2" skipped="2">/,
    );
    const cases = [...out.matchAll(/<testcase name="([^"]+)"[^>]*>\n\s+<(failure|skipped)/g)].map(
      (m) => `${m[2]} ${m[1]}`,
    );
    expect(cases).toEqual([
      'failure lb-pool-not-exported infra/z.yaml:9:11',
      'failure lb-pool-not-exported infra/b.yaml:2:11',
      'skipped lb-pool-not-exported infra/c.yaml:3:11',
      'skipped lb-pool-not-exported infra/a.yaml:1:11',
    ]);
    expect(out).toContain('message="pre-existing: old &lt;one&gt; &amp; &quot;quoted&quot;"');
    expect(out).not.toContain('\u0007');
  });

  it('is one passing case when there is nothing to report', () => {
    // Act
    const out = renderJunit(analysisOf([]));

    // Assert
    expect(out).toContain('tests="1" failures="0" skipped="0"');
    expect(out).toContain('<testcase name="lbguard: 2 files, no findings" classname="lbguard"/>');
  });
});

describe('GitLab Code Quality', () => {
  const issue = z.strictObject({
    type: z.literal('issue'),
    check_name: z.string(),
    description: z.string(),
    severity: z.enum(['info', 'minor', 'major', 'critical', 'blocker']),
    fingerprint: z.string(),
    location: z.strictObject({
      path: z.string(),
      lines: z.strictObject({ begin: z.number().int().min(1), end: z.number().int().min(1) }),
    }),
  });

  it('lists new findings first with GitLab severities and unique fingerprints', () => {
    // Arrange: two findings share a fingerprint (the same mistake twice).
    const a = mixed();

    // Act
    const issues = z.array(issue).parse(JSON.parse(renderCodeQuality(a, { pathPrefix: 'infra/' })));

    // Assert
    expect(issues.map((i) => `${i.severity} ${i.location.path}:${i.location.lines.begin}`)).toEqual([
      'critical infra/z.yaml:9',
      'minor infra/b.yaml:2',
      'info infra/c.yaml:3',
      'critical infra/a.yaml:1',
    ]);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(4);
  });
});

describe('lbguard check --format junit|codequality', () => {
  it.each(['junit', 'codequality'])('%s reports the bad group from the command line', async (format) => {
    // Arrange
    const { BAD_GROUP, run, tempRepo } = await import('../cli/harness.ts');
    const dir = tempRepo({ 'sg.yaml': BAD_GROUP });

    // Act
    const r = await run(['check', dir, '--format', format]);

    // Assert
    expect(r.code).toBe(1);
    expect(r.out).toContain('sg.yaml');
    expect(r.out).toContain('resource-shape');
  });
});
