import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, renderGithub } from '../../src/render/github.ts';
import { analysisOf, finding } from './sample.ts';

describe('github workflow commands', () => {
  it('writes one command per finding with severity, position and rule as title', () => {
    // Arrange
    const a = analysisOf([
      finding(),
      finding({ severity: 'warning', rule: 'sg-pool-overlap', line: 3, column: 5, endLine: 4, endColumn: 2 }),
      finding({
        severity: 'notice',
        rule: 'template-skipped',
        file: 'charts/x.yaml',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
      }),
    ]);

    // Act
    const out = renderGithub(a);

    // Assert
    expect(out.split('\n')).toEqual([
      '::error file=purelb/sg.yaml,line=9,col=11,endLine=9,endColumn=24,title=lb-pool-not-exported::Pool 10.0.0.0/24 is not exported',
      '::warning file=purelb/sg.yaml,line=3,col=5,endLine=4,endColumn=2,title=sg-pool-overlap::Pool 10.0.0.0/24 is not exported',
      '::notice file=charts/x.yaml,line=1,col=1,endLine=1,endColumn=1,title=template-skipped::Pool 10.0.0.0/24 is not exported',
      '::notice title=lbguard%3A not read::1 input not read, named in a notice. The findings cover only what was read.',
      'lbguard: 2 files, 3 resources: 1 error, 1 warning, 1 notice; 1 input not read, named in a notice',
      '',
    ]);
  });

  it('escapes % CR LF in the message and also : and , in properties', () => {
    // Arrange
    const f = finding({ file: 'a,b:c%.yaml', message: '100% sure:\r\nline two, really' });

    // Act
    const out = renderGithub(analysisOf([f])).split('\n')[0];

    // Assert
    expect(out).toBe(
      '::error file=a%2Cb%3Ac%25.yaml,line=9,col=11,endLine=9,endColumn=24,title=lb-pool-not-exported::100%25 sure:%0D%0Aline two, really',
    );
  });

  it('escapes in GitHub order, so an escape is never escaped twice', () => {
    // Act / Assert
    expect(escapeData('%0A\n')).toBe('%250A%0A');
    expect(escapeProperty('x:%,\r')).toBe('x%3A%25%2C%0D');
  });

  it('adds related places on further message lines and marks pre-existing findings', () => {
    // Arrange
    const f = finding({
      state: 'existing',
      related: [
        { file: 'calico/pool.yaml', line: 6, column: 9, endLine: 6, endColumn: 20, message: 'the IPPool' },
      ],
    });

    // Act
    const out = renderGithub(analysisOf([f]), { pathPrefix: 'infra/' }).split('\n')[0];

    // Assert
    expect(out).toBe(
      '::notice file=infra/purelb/sg.yaml,line=9,col=11,endLine=9,endColumn=24,title=lb-pool-not-exported::' +
        'Pool 10.0.0.0/24 is not exported (pre-existing)%0Arelated: infra/calico/pool.yaml:6:9 the IPPool',
    );
  });

  it('prints new findings first, pre-existing ones after as notices, and counts both', () => {
    // Arrange
    const a = analysisOf([
      finding({ file: 'a.yaml', state: 'existing', message: 'old' }),
      finding({ file: 'z.yaml', state: 'new', message: 'new' }),
      finding({ file: 'b.yaml', severity: 'warning', state: 'new', message: 'new warning' }),
    ]);

    // Act
    const lines = renderGithub(a).trimEnd().split('\n');

    // Assert
    expect(lines.map((l) => l.replace(/ .*::/, ' ').slice(0, 40))).toEqual([
      '::error new',
      '::warning new warning',
      '::notice old (pre-existing)',
      expect.stringMatching(/^lbguard: /),
    ]);
    expect(lines.at(-1)).toBe(
      'lbguard: 2 files, 3 resources: 2 errors, 1 warning, 0 notices (new: 1 error, 1 warning; pre-existing, shown as notices: 1 finding)',
    );
  });
});
