// Fixes address a document by position, and keep the file's layout: CRLF, BOM, block scalars.

import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Finding, Fix } from '../../src/findings.ts';
import { appendDocument, applyEdit } from '../../src/fixes/apply.ts';
import { planFixes } from '../../src/fixes/plan.ts';

const pool = (name: string, cidr: string, extra = '') => `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: ${name}
spec:
  cidr: ${cidr}
${extra}`;

const setDisabled = (line?: number) => ({
  kind: 'edit' as const,
  file: 'p.yaml',
  resource: { kind: 'IPPool', name: 'lb' },
  ...(line === undefined ? {} : { line }),
  ops: [{ op: 'set' as const, path: ['spec', 'disabled'], value: true }],
});

const finding = (fix: Fix): Finding => ({
  file: 'p.yaml',
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
  rule: 'lb-ippool-allocatable',
  severity: 'error',
  message: 'm',
  scope: 'default',
  fingerprint: 'f',
  fix,
});

describe('fixes address documents by position', () => {
  it('edits the second of two IPPools that share a name, not the first', () => {
    // Arrange: the second document starts on line 8 (after `---` on line 7).
    const text = `${pool('lb', '10.0.0.0/24')}---\n${pool('lb', '10.9.0.0/24')}`;

    // Act
    const plan = planFixes([finding({ title: 't', changes: [setDisabled(8)] })], () => text);

    // Assert
    const docs = parseAllDocuments(plan.changes[0]!.after).map((d) => d.toJS());
    expect(docs[0].spec).toEqual({ cidr: '10.0.0.0/24' });
    expect(docs[1].spec).toEqual({ cidr: '10.9.0.0/24', disabled: true });
  });
});

describe('fixes keep the layout', () => {
  it('keeps a CRLF file CRLF on every line', () => {
    // Arrange
    const text = pool('lb', '10.0.0.0/24', '  ipipMode: Never\n').replace(/\n/g, '\r\n');

    // Act
    const out = applyEdit(text, setDisabled());

    // Assert
    expect(out).toBe(`${text}  disabled: true\r\n`);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('keeps a byte-order mark and a CRLF file when a document is appended', () => {
    // Arrange
    const text = `\uFEFF${pool('lb', '10.0.0.0/24').replace(/\n/g, '\r\n')}`;

    // Act
    const out = appendDocument(text, { kind: 'document', file: 'p.yaml', content: { kind: 'IPPool' } });

    // Assert
    expect(out.startsWith('\uFEFFapiVersion')).toBe(true);
    expect(out.endsWith('---\r\nkind: IPPool\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('keeps a folded scalar value, final newline included, when a key is added after it', () => {
    // Arrange
    const text = pool('lb', '10.0.0.0/24', '  description: >-\n    folded\n    text\n\n');

    // Act
    const out = applyEdit(text, setDisabled());

    // Assert
    const after = parseAllDocuments(out)[0]!.toJS();
    expect(after.spec).toEqual({ cidr: '10.0.0.0/24', description: 'folded text', disabled: true });
    expect(out.endsWith('\n')).toBe(true);
  });

  it('keeps a kept (|+) block scalar its trailing blank lines', () => {
    // Arrange
    const text = pool('lb', '10.0.0.0/24', '  description: |+\n    kept\n\n');

    // Act
    const out = applyEdit(text, setDisabled());

    // Assert
    expect(parseAllDocuments(out)[0]!.toJS().spec).toEqual({
      cidr: '10.0.0.0/24',
      description: 'kept\n\n',
      disabled: true,
    });
  });
});
