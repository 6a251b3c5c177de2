import { describe, expect, it } from 'vitest';
import { restrict } from '../../src/cli/main.ts';
import { finding } from '../render/sample.ts';

describe('restrict: findings about the named paths', () => {
  const related = {
    file: 'purelb/sg.yaml',
    line: 3,
    column: 1,
    endLine: 3,
    endColumn: 5,
    message: 'the pool',
  };
  const all = [
    finding({ file: 'calico/pool.yaml', related: [related] }),
    finding({ file: 'calico/other.yaml' }),
    finding({ file: 'purelb-extra/sg.yaml' }),
    finding({ file: '.github/lbguard.yml', rule: 'config' }),
  ];

  it('keeps findings in a named folder or pointing at it, and config problems', () => {
    // Act
    const kept = restrict(all, ['purelb']);

    // Assert
    expect(kept.map((f) => f.file)).toEqual(['calico/pool.yaml', '.github/lbguard.yml']);
  });

  it('matches a named file exactly and keeps everything without a selection', () => {
    // Act / Assert
    expect(restrict(all, ['calico/other.yaml']).map((f) => f.file)).toEqual([
      'calico/other.yaml',
      '.github/lbguard.yml',
    ]);
    expect(restrict(all, undefined)).toHaveLength(4);
  });
});
