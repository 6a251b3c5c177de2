import { describe, expect, it } from 'vitest';
import { failing, markStates } from '../../src/compare.ts';
import { finding } from '../render/sample.ts';

describe('markStates / failing', () => {
  it('matches by fingerprint, not by line', () => {
    // Arrange
    const base = [finding({ line: 3, fingerprint: 'a' })];
    const head = [finding({ line: 30, fingerprint: 'a' }), finding({ line: 3, fingerprint: 'b' })];

    // Act
    const marked = markStates(head, base);

    // Assert
    expect(marked.map((f) => `${f.line} ${f.state}`)).toEqual(['30 existing', '3 new']);
  });

  it('calls a second copy of an old finding new', () => {
    // Arrange
    const base = [finding({ fingerprint: 'a' })];
    const head = [finding({ fingerprint: 'a' }), finding({ line: 12, fingerprint: 'a' })];

    // Act
    const marked = markStates(head, base);

    // Assert
    expect(marked.map((f) => f.state)).toEqual(['existing', 'new']);
  });

  it('fails on new errors only, or on every error with failOn all', () => {
    // Arrange
    const findings = markStates(
      [finding({ fingerprint: 'old' }), finding({ fingerprint: 'fresh', severity: 'warning' })],
      [finding({ fingerprint: 'old' })],
    );

    // Act / Assert
    expect(failing(findings, 'new')).toEqual([]);
    expect(failing(findings, 'all').map((f) => f.fingerprint)).toEqual(['old']);
    expect(failing([finding({ fingerprint: 'unmarked' })], 'new')).toHaveLength(1);
  });
});
