import { describe, expect, it } from 'vitest';
import { DEFAULT_SCOPE, splitAlternatives } from '../../src/manifests/scope.ts';

const scope = (files: string[]) => ({
  name: DEFAULT_SCOPE,
  files: new Set(files),
  reason: 'whole repository',
});
const names = (files: string[], ids: [string, string][]) =>
  splitAlternatives(
    scope(files),
    ids.map(([file, identity]) => ({ file, identity })),
  ).map((s) => `${s.name}:${[...s.files].sort().join(',')}`);

describe('loose sibling folders as alternatives', () => {
  it('splits sibling folders that define the same object, keeping the files outside them in each', () => {
    // Act / Assert
    expect(
      names(
        ['a/x/sg.yaml', 'a/y/sg.yaml', 'shared.yaml'],
        [
          ['a/x/sg.yaml', 'ServiceGroup/ns/web'],
          ['a/y/sg.yaml', 'ServiceGroup/ns/web'],
        ],
      ),
    ).toEqual(['a/x:a/x/sg.yaml,shared.yaml', 'a/y:a/y/sg.yaml,shared.yaml']);
  });

  it('keeps one scope for two files of one folder: that duplicate is real (near miss)', () => {
    // Act / Assert
    expect(
      names(
        ['a/one.yaml', 'a/two.yaml'],
        [
          ['a/one.yaml', 'IPPool//lb'],
          ['a/two.yaml', 'IPPool//lb'],
        ],
      ),
    ).toEqual(['default:a/one.yaml,a/two.yaml']);
  });

  it('keeps one scope when one file lies in the folder above the other (a base beside its subfolder)', () => {
    // Act / Assert
    expect(
      names(
        ['a/one.yaml', 'a/b/two.yaml'],
        [
          ['a/one.yaml', 'IPPool//lb'],
          ['a/b/two.yaml', 'IPPool//lb'],
        ],
      ),
    ).toEqual(['default:a/b/two.yaml,a/one.yaml']);
  });

  it('keeps a base and its overlay together: they are layers of one build (near miss)', () => {
    // Act / Assert
    expect(
      names(
        ['base/web.yaml', 'overlays/prod/patch.yaml'],
        [
          ['base/web.yaml', 'Service/apps/web'],
          ['overlays/prod/patch.yaml', 'Service/apps/web'],
        ],
      ),
    ).toEqual(['default:base/web.yaml,overlays/prod/patch.yaml']);
  });

  it('splits again inside an alternative', () => {
    // Act / Assert
    expect(
      names(
        ['t/a/1/x.yaml', 't/a/2/x.yaml', 't/b/x.yaml'],
        [
          ['t/a/1/x.yaml', 'IPPool//lb'],
          ['t/a/2/x.yaml', 'IPPool//lb'],
          ['t/b/x.yaml', 'IPPool//lb'],
        ],
      ),
    ).toEqual(['t/a/1:t/a/1/x.yaml', 't/a/2:t/a/2/x.yaml', 't/b:t/b/x.yaml']);
  });

  it('stops splitting past the limit rather than multiplying scopes', () => {
    // Arrange
    const files = Array.from({ length: 5 }, (_, i) => `t/${i}/x.yaml`);

    // Act
    const out = splitAlternatives(
      scope(files),
      files.map((file) => ({ file, identity: 'IPPool//lb' })),
      4,
    );

    // Assert
    expect(out.map((s) => s.name)).toEqual([DEFAULT_SCOPE]);
  });
});
