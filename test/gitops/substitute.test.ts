// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux ${VAR} placeholders are what these tests are about
import { describe, expect, it } from 'vitest';
import { substitute, type VarSource } from '../../src/gitops/substitute.ts';

const source = (value: string): VarSource => ({
  file: 'settings.yaml',
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 1,
  message: 'm',
  value,
});

describe('substitute', () => {
  it('replaces known variables and keeps unknown ones as written', () => {
    // Arrange
    const vars = new Map([['A', source('10.0.0.0/24')]]);

    // Act
    const out = substitute({ spec: { cidr: '${A}', pool: '${B}', list: ['x-${A}'] } }, vars);

    // Assert
    expect(out.value).toEqual({ spec: { cidr: '10.0.0.0/24', pool: '${B}', list: ['x-10.0.0.0/24'] } });
    expect(out.subs.map((s) => `${s.path.join('.')}:${s.name}`)).toEqual(['spec.cidr:A', 'spec.list.0:A']);
  });

  it('gives a whole-placeholder integer or boolean its YAML type, not a partial one', () => {
    // Arrange
    const vars = new Map([
      ['ASN', source('64512')],
      ['ON', source('true')],
    ]);

    // Act
    const out = substitute({ a: '${ASN}', b: '${ON}', c: 'as${ASN}' }, vars);

    // Assert
    expect(out.value).toEqual({ a: 64512, b: true, c: 'as64512' });
  });

  it('leaves $VAR without braces alone, as Flux does', () => {
    // Arrange
    const vars = new Map([['A', source('1')]]);

    // Act
    const out = substitute({ a: '$A' }, vars);

    // Assert
    expect(out.changed).toBe(false);
    expect(out.value).toEqual({ a: '$A' });
  });

  it('gives the default for an empty value only with the colon form', () => {
    // Arrange
    const vars = new Map([['EMPTY', source('')]]);

    // Act
    const out = substitute({ a: '${EMPTY:-10.0.0.0/24}', b: '${EMPTY-10.0.0.0/24}', c: '${UNSET=x}' }, vars);

    // Assert
    expect(out.value).toEqual({ a: '10.0.0.0/24', b: '', c: 'x' });
  });

  it('leaves an escaped $${VAR} as ${VAR}, as Flux does', () => {
    // Arrange
    const vars = new Map([['A', source('10.0.0.0/24')]]);

    // Act
    const out = substitute({ a: '$${A}', b: '${A}' }, vars);

    // Assert
    expect(out.value).toEqual({ a: '${A}', b: '10.0.0.0/24' });
    expect(out.subs.map((x) => x.path.join('.'))).toEqual(['b']);
  });

  it('returns the same object when nothing changed (no copy for the common case)', () => {
    // Arrange
    const data = { spec: { cidr: '10.0.0.0/24' } };

    // Act
    const out = substitute(data, new Map());

    // Assert
    expect(out.value).toBe(data);
  });
});
