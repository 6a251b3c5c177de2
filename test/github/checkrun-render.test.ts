import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings.ts';
import { annotationsFor, clip, clipBytes, LIMITS, renderCheckRun } from '../../src/render/checkrun.ts';
import { validateRequest } from '../openapi.ts';

const finding = (i: number, over: Partial<Finding> = {}): Finding => ({
  file: `apps/f-${i}.yaml`,
  line: 3,
  column: 5,
  endLine: 3,
  endColumn: 9,
  rule: 'yaml-syntax',
  severity: 'error',
  message: `problem ${i}`,
  scope: 'default',
  fingerprint: `fp${i}`,
  state: 'new',
  ...over,
});

const patch = (output: object) =>
  validateRequest({
    method: 'PATCH',
    url: 'https://api.github.com/repos/o/r/check-runs/1',
    body: { output },
  });

describe('check run output limits', () => {
  it('keeps a summary of exactly 65,535 characters and clips one more', () => {
    // Arrange
    const exact = 'x'.repeat(LIMITS.summary);

    // Act
    const same = clip(exact, LIMITS.summary);
    const cut = clip(`${exact}y`, LIMITS.summary);

    // Assert
    expect(same).toBe(exact);
    expect(cut).toHaveLength(LIMITS.summary);
    expect(patch({ title: 't', summary: cut })).toEqual([]);
    expect(patch({ title: 't', summary: `${exact}y` })).toHaveLength(1);
  });

  it('lists what fits in the summary and says how many findings and annotations were left out', () => {
    // Arrange
    const findings = Array.from({ length: 3000 }, (_, i) =>
      finding(i, { message: `problem ${i} ${'z'.repeat(40)}` }),
    );

    // Act
    const out = renderCheckRun({ findings, pools: [], countAll: false, context: 'Compared.' });

    // Assert
    expect(out.summary.length).toBeLessThanOrEqual(LIMITS.summary);
    expect(out.summary).toMatch(
      /\d+ more findings are not listed here \(size limit\); see the annotations\./,
    );
    expect(out.summary).toContain(`2500 annotations were left out (limit ${LIMITS.annotations}).`);
    expect(out.annotations).toHaveLength(LIMITS.annotations);
    expect(out.omitted).toBe(2500);
    expect(
      patch({ title: out.title, summary: out.summary, annotations: out.annotations.slice(0, 50) }),
    ).toEqual([]);
  });

  it('clips annotation title, message and raw_details at the limit, on a character boundary', () => {
    // Arrange: multi-byte text, so bytes and characters differ.
    const long = 'é'.repeat(40_000);
    const f = finding(1, { message: long, rule: 'x'.repeat(300), fix: { title: long, changes: [] } });

    // Act
    const [a] = annotationsFor(f, false);

    // Assert
    expect(a!.title).toHaveLength(LIMITS.annotationTitle);
    expect(Buffer.byteLength(a!.message)).toBeLessThanOrEqual(LIMITS.annotationBytes);
    expect(Buffer.byteLength(a!.raw_details!)).toBeLessThanOrEqual(LIMITS.annotationBytes);
    expect(a!.message).not.toContain('\uFFFD');
    expect(patch({ title: 't', summary: 's', annotations: [a] })).toEqual([]);
  });

  it('keeps text that is exactly at the byte limit', () => {
    // Arrange
    const exact = 'a'.repeat(LIMITS.annotationBytes);

    // Act / Assert
    expect(clipBytes(exact, LIMITS.annotationBytes)).toBe(exact);
    expect(Buffer.byteLength(clipBytes(`${exact}é`, LIMITS.annotationBytes))).toBeLessThanOrEqual(
      LIMITS.annotationBytes,
    );
  });

  it('marks pre-existing findings as notices and counts only new ones in the title', () => {
    // Arrange
    const findings = [finding(1), finding(2, { state: 'existing' }), finding(3, { severity: 'warning' })];

    // Act
    const out = renderCheckRun({ findings, pools: [], countAll: false, context: 'c' });

    // Assert
    expect(out.title).toBe('1 new error, 1 new warning (1 pre-existing)');
    expect(out.conclusion).toBe('failure');
    expect(out.annotations.map((a) => a.annotation_level)).toEqual(['failure', 'warning', 'notice']);
    const folded = out.summary.slice(out.summary.indexOf('<details><summary>Pre-existing findings (1)'));
    expect(folded).toContain('- `apps/f-2.yaml:3` problem 2');
  });

  it('gives columns only to one-line annotations', () => {
    // Arrange
    const f = finding(1, { endLine: 5 });

    // Act
    const [a] = annotationsFor(f, false);

    // Assert
    expect(a).toMatchObject({ start_line: 3, end_line: 5 });
    expect(a!.start_column).toBeUndefined();
  });

  it('describes a fix in raw_details as a reviewer reads it, not as JSON', () => {
    // Arrange
    const f = finding(1, {
      rule: 'ippool-cidr',
      fix: {
        title: 'Use the network address',
        changes: [
          {
            kind: 'edit',
            file: 'calico/pods.yaml',
            resource: { kind: 'IPPool', name: 'pods' },
            ops: [{ op: 'set', path: ['spec', 'cidr'], value: '10.0.0.0/24' }],
          },
          {
            kind: 'document',
            file: 'calico/lb.yaml',
            content: { kind: 'IPPool', spec: { cidr: '172.30.200.0/24', disabled: true } },
          },
        ],
      },
    });

    // Act
    const [a] = annotationsFor(f, false);

    // Assert
    expect(a!.raw_details).toContain('Fix: Use the network address');
    expect(a!.raw_details).toContain('- calico/pods.yaml: IPPool/pods spec.cidr = "10.0.0.0/24"');
    expect(a!.raw_details).toContain('- new IPPool in calico/lb.yaml:');
    expect(a!.raw_details).not.toContain('"changes"');
  });
});
