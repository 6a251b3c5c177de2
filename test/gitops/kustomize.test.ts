import { describe, expect, it } from 'vitest';
import { hasOverlays, kustomizeRoots, makeTree, normalizeDir, reach } from '../../src/gitops/kustomize.ts';

const tree = makeTree(
  [
    'base/kustomization.yaml',
    'base/a.yaml',
    'base/b.yaml',
    'prod/kustomization.yaml',
    'prod/p.yaml',
    'loose/x.yaml',
  ],
  [
    { file: 'base/kustomization.yaml', dir: 'base', refs: ['a.yaml'] },
    {
      file: 'prod/kustomization.yaml',
      dir: 'prod',
      refs: ['../base', 'p.yaml', 'https://github.com/x/y//z'],
    },
  ],
);

describe('kustomize reach', () => {
  it('follows resources into bases and skips remote references', () => {
    // Arrange / Act
    const files = [...reach(tree, 'prod')].sort();

    // Assert
    expect(files).toEqual([
      'base/a.yaml',
      'base/kustomization.yaml',
      'prod/kustomization.yaml',
      'prod/p.yaml',
    ]);
  });

  it('takes every file below a folder without a kustomization.yaml', () => {
    // Arrange / Act / Assert
    expect([...reach(tree, 'loose')]).toEqual(['loose/x.yaml']);
  });

  it('finds the roots and sees the overlay', () => {
    // Arrange / Act / Assert
    expect(kustomizeRoots(tree)).toEqual(['prod']);
    expect(hasOverlays(tree)).toBe(true);
  });

  it('normalizes Flux paths and refuses paths that leave the repository', () => {
    // Arrange / Act / Assert
    expect(normalizeDir('./clusters/prod/')).toBe('clusters/prod');
    expect(normalizeDir('./')).toBe('');
    expect(normalizeDir('../other')).toBeUndefined();
  });
});
