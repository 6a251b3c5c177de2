import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/render/text.ts';
import { analysisOf, finding } from './sample.ts';

const source = () => 'apiVersion: purelb.io/v1\n'.repeat(8) + '    pool: 10.0.0.0/24\n';

describe('text output', () => {
  it('groups by file and underlines the offending node', () => {
    // Arrange
    const a = analysisOf([finding({ column: 11, endColumn: 22 })]);

    // Act
    const out = renderText(a, { color: false, source });

    // Assert
    expect(out.split('\n').slice(0, 4)).toEqual([
      'purelb/sg.yaml',
      '  9:11  error    Pool 10.0.0.0/24 is not exported  lb-pool-not-exported',
      '      |     pool: 10.0.0.0/24',
      '      |           ^^^^^^^^^^^',
    ]);
    expect(out).toMatch(/\n2 files, 3 resources: 1 error, 0 warnings, 0 notices\n$/);
  });

  it('uses no escape codes without colour, and colours severities with it', () => {
    // Arrange
    const a = analysisOf([finding()]);

    // Act
    const plain = renderText(a, { color: false, source });
    const coloured = renderText(a, { color: true, source });

    // Assert
    expect(plain).not.toContain('\x1b[');
    expect(coloured).toContain('\x1b[31merror  \x1b[39m');
  });

  it('names each finding’s scope and lists the scopes when there are several', () => {
    // Arrange
    const a = analysisOf(
      [finding({ scope: 'prod' })],
      [
        { name: 'prod', files: 2, resources: 3, reason: 'config clusters.prod: clusters/prod/**', paths: [] },
        { name: 'default', files: 1, resources: 0, reason: 'files in no configured cluster', paths: [] },
      ],
    );

    // Act
    const out = renderText(a, { color: false, source: () => undefined });

    // Assert
    expect(out).toContain('lb-pool-not-exported [prod]\n');
    expect(out).toContain(
      'Scopes:\n  prod: 2 files, config clusters.prod: clusters/prod/**\n  default: 1 file, files in no configured cluster\n',
    );
  });

  it('hides the scope with one scope, and says so when nothing was found', () => {
    // Arrange
    const a = analysisOf(
      [],
      [{ name: 'default', files: 2, resources: 3, reason: 'the whole repository', paths: [] }],
    );

    // Act
    const out = renderText(a, { color: false, source });

    // Assert
    expect(out).toBe('No findings.\n2 files, 3 resources: 0 errors, 0 warnings, 0 notices\n');
  });

  it('marks pre-existing findings and counts new ones', () => {
    // Arrange
    const a = analysisOf([finding({ state: 'existing' }), finding({ line: 2, state: 'new' })]);

    // Act
    const out = renderText(a, { color: false, source: () => undefined });

    // Assert
    expect(out).toContain('lb-pool-not-exported (pre-existing)\n');
    expect(out).toMatch(
      /2 errors, 0 warnings, 0 notices \(new: 1 error, 0 warnings; pre-existing: 1 error, 0 warnings\)\n$/,
    );
  });

  it('prints new findings first and the pre-existing ones after, under their own heading', () => {
    // Arrange: the pre-existing finding sorts first by file and line.
    const a = analysisOf([
      finding({ file: 'a.yaml', line: 1, state: 'existing', message: 'old one' }),
      finding({ file: 'z.yaml', line: 9, state: 'new', message: 'new one' }),
    ]);

    // Act
    const out = renderText(a, { color: false, source: () => undefined });

    // Assert
    expect(out.indexOf('new one')).toBeLessThan(out.indexOf('Pre-existing (already in --base), 1 finding:'));
    expect(out.indexOf('Pre-existing (already in --base)')).toBeLessThan(out.indexOf('old one'));
    expect(out.split('\n')[0]).toBe('z.yaml');
  });

  it('wraps messages to the terminal width, keeping the rule id, and not in a pipe', () => {
    // Arrange
    const message = 'word '.repeat(30).trim();
    const a = analysisOf([finding({ message })]);

    // Act
    const narrow = renderText(a, { color: false, source: () => undefined, columns: 60 });
    const piped = renderText(a, { color: false, source: () => undefined });

    // Assert
    const lines = narrow.split('\n').filter((l) => l.includes('word'));
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    expect(lines[1]).toMatch(/^ {17}word/); // under the message, past "  9:11  error    "
    expect(narrow).toContain('lb-pool-not-exported');
    expect(piped).toContain(`${message}  lb-pool-not-exported`);
  });

  it('counts suppressed findings in the summary', () => {
    // Act
    const out = renderText(analysisOf([], [], 3), { color: false, source: () => undefined });

    // Assert
    expect(out).toMatch(/; 3 suppressed by lbguard\.dev\/ignore\n$/);
  });
});
