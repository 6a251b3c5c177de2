// "No findings" must mean read and clean: every format says how many inputs were not read.
import { describe, expect, it } from 'vitest';
import { type Analysis, gapsOf, summarize } from '../../src/engine.ts';
import type { Finding } from '../../src/findings.ts';
import { renderCheckRun } from '../../src/render/checkrun.ts';
import { renderCodeQuality } from '../../src/render/codequality.ts';
import { renderGithub } from '../../src/render/github.ts';
import { renderJson } from '../../src/render/json.ts';
import { renderJunit } from '../../src/render/junit.ts';
import { renderSarif } from '../../src/render/sarif.ts';
import { renderText } from '../../src/render/text.ts';
import { finding } from './sample.ts';

const gapNotice = (): Finding =>
  finding({
    rule: 'value-unresolved',
    severity: 'notice',
    message: 'Values from Secret purelb-values are not read',
    file: 'flux/purelb.yaml',
    line: 19,
    column: 13,
    endLine: 19,
    endColumn: 20,
  });

/**
 * A run with no findings shown, where one input was not read (its notice suppressed, or pre-existing
 * under --new-only) and 2 template documents with nothing watched in them were only counted.
 */
const onlyCounted = (): Pick<Analysis, 'findings' | 'summary' | 'scopes' | 'suppressed'> => ({
  findings: [],
  suppressed: [],
  scopes: [],
  summary: summarize([], 4, 0, 0, gapsOf([gapNotice()], 2)),
});

/** Templates only counted, everything that could hold a watched kind read. */
const templatesOnly = (): Pick<Analysis, 'findings' | 'summary' | 'scopes' | 'suppressed'> => ({
  findings: [],
  suppressed: [],
  scopes: [],
  summary: summarize([], 4, 0, 0, gapsOf([], 2)),
});

/** One error plus one gap notice, with one template counted. */
const withNotice = (): Pick<Analysis, 'findings' | 'summary' | 'scopes' | 'suppressed'> => {
  const findings = [finding(), gapNotice()];
  return { findings, suppressed: [], scopes: [], summary: summarize(findings, 4, 3, 0, gapsOf(findings, 1)) };
};

describe('gaps: one definition', () => {
  it('counts the notices of unread-input rules; templates with nothing watched are counted apart, no gap', () => {
    // Act
    const gaps = gapsOf(
      [
        { rule: 'value-unresolved' },
        { rule: 'template-skipped' },
        { rule: 'file-skipped' },
        { rule: 'calico-not-in-scope' },
        { rule: 'sg-pool-overlap' },
      ],
      3,
    );

    // Assert
    expect(gaps).toEqual({ total: 3, noticed: 3, templates: 3 });
  });
});

describe('gaps in every format', () => {
  it('text never says a bare "No findings" when something was not read', () => {
    // Act
    const out = renderText(onlyCounted(), { color: false, source: () => undefined });

    // Assert
    expect(out).toBe(
      'No findings in what was read; 1 input not read.\n4 files, 0 resources: 0 errors, 0 warnings, 0 notices\n1 input not read, named in a notice.\nSkipped 2 template documents with nothing PureLB or Calico in them.\n',
    );
  });

  it('says a plain "No findings" when only templates with nothing watched were skipped (near miss)', () => {
    // Act
    const out = renderText(templatesOnly(), { color: false, source: () => undefined });

    // Assert
    expect(out).toBe(
      'No findings.\n4 files, 0 resources: 0 errors, 0 warnings, 0 notices\nSkipped 2 template documents with nothing PureLB or Calico in them.\n',
    );
    expect(
      renderCheckRun({
        findings: [],
        pools: [],
        countAll: true,
        context: 'c',
        gaps: templatesOnly().summary.gaps,
      }).title,
    ).toBe('No errors or warnings');
  });

  it('json adds summary.gaps and keeps the rest of the v1 contract', () => {
    // Act
    const out = JSON.parse(renderJson(withNotice())) as { version: number; summary: Record<string, unknown> };

    // Assert
    expect(out.version).toBe(1);
    expect(out.summary).toEqual({
      files: 4,
      resources: 3,
      errors: 1,
      warnings: 0,
      notices: 1,
      new: { errors: 1, warnings: 0, notices: 1 },
      existing: { errors: 0, warnings: 0, notices: 0 },
      suppressed: 0,
      gaps: { total: 1, noticed: 1, templates: 1 },
    });
  });

  it('the check run names the gaps in its title and summary', () => {
    // Act
    const out = renderCheckRun({
      findings: [],
      pools: [],
      countAll: true,
      context: 'Checked abc1234.',
      gaps: onlyCounted().summary.gaps,
    });

    // Assert
    expect(out.title).toBe('No errors or warnings; 1 input not read');
    expect(out.summary).toContain(
      '**0 errors, 0 warnings** · **1 input not read, named in a notice**: the findings cover only what was read\n',
    );
    expect(out.summary).toContain('No findings in what was read; 1 input not read.\n');
    expect(out.summary).not.toMatch(/No findings\.\n/);
    expect(out.conclusion).toBe('success');
  });

  it('the check run keeps its old title when everything was read', () => {
    // Act
    const out = renderCheckRun({
      findings: [],
      pools: [],
      countAll: true,
      context: 'c',
      gaps: gapsOf([], 0),
    });

    // Assert
    expect(out.title).toBe('No errors or warnings');
    expect(out.summary).toContain('No findings.\n');
  });

  it('github prints one file-less notice with the count, and the count in the log line', () => {
    // Act
    const lines = renderGithub(onlyCounted()).split('\n');

    // Assert
    expect(lines).toEqual([
      '::notice title=lbguard%3A not read::1 input not read, named in a notice. The findings cover only what was read.',
      'lbguard: 4 files, 0 resources: 0 errors, 0 warnings, 0 notices; 1 input not read, named in a notice',
      '',
    ]);
  });

  it('sarif carries the count as a notification of the run and a run property', () => {
    // Act
    const log = JSON.parse(renderSarif(withNotice())) as {
      runs: { invocations?: unknown[]; properties?: unknown; results: { ruleId: string; level: string }[] }[];
    };

    // Assert
    const run = log.runs[0]!;
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'warning',
            message: {
              text: '1 input not read, named in a notice.',
            },
          },
        ],
      },
    ]);
    expect(run.properties).toEqual({ 'lbguard/gaps': { total: 1, noticed: 1, templates: 1 } });
    expect(run.results.map((r) => `${r.ruleId} ${r.level}`)).toEqual([
      'lb-pool-not-exported error',
      'value-unresolved note',
    ]);
  });

  it('sarif without gaps has no notification', () => {
    // Act
    const run = (
      JSON.parse(renderSarif({ findings: [], summary: summarize([], 1, 1) })) as { runs: object[] }
    ).runs[0]!;

    // Assert
    expect(run).not.toHaveProperty('invocations');
  });

  it('junit turns the gaps into one skipped case instead of a passing "no findings" case', () => {
    // Act
    const out = renderJunit(onlyCounted());

    // Assert
    expect(out).toContain('<testsuite name="lbguard" tests="1" failures="0" errors="0" skipped="1">');
    expect(out).toContain(
      '<testcase name="lbguard: 1 input not read, named in a notice" classname="lbguard">\n      <skipped message="1 input not read, named in a notice; the findings cover only what was read"/>',
    );
    expect(out).not.toContain('no findings');
  });

  it('codequality lists each gap notice as an info issue at its place', () => {
    // Act
    const issues = JSON.parse(renderCodeQuality(withNotice())) as {
      check_name: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    }[];

    // Assert
    expect(
      issues.map((i) => `${i.check_name} ${i.severity} ${i.location.path}:${i.location.lines.begin}`),
    ).toEqual([
      'lb-pool-not-exported critical purelb/sg.yaml:9',
      'value-unresolved info flux/purelb.yaml:19',
    ]);
  });
});
