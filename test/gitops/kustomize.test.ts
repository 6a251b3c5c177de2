import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isKustomizeConfig } from '../../src/gitops/flux.ts';
import {
  hasOverlays,
  joinRef,
  kustomizeRefs,
  kustomizeRoots,
  makeTree,
  normalizeDir,
  reach,
} from '../../src/gitops/kustomize.ts';
import { lineRead, readKustomizeRefs } from '../../src/gitops/kustomize-read.ts';

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

describe('joinRef', () => {
  it('agrees with normalizeDir(posix.join()) on plain and odd refs', () => {
    // Arrange
    const refs = [
      './a',
      'a',
      'a/',
      './a/b/',
      '../x',
      './',
      '.',
      '',
      'a//b',
      'a/./b',
      'a/../b',
      '/abs',
      '.hidden',
      '..x',
    ];

    // Act / Assert
    for (const dir of ['', 'base', 'x/y'])
      for (const ref of refs)
        expect(joinRef(dir, ref), `${dir} + ${ref}`).toBe(normalizeDir(posix.join(dir, ref)));
  });
});

describe('readKustomizeRefs without the parser', () => {
  const samples = {
    block:
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./a.yaml\n  - "b"\n  - \'c/\'  # why\n',
    indentless: '---\nresources:\n- a.yaml\n- ../base\ncomponents:\n- ../../components/x\n',
    flow: 'resources: [a.yaml, "b.yaml"]\nbases: []\n',
    otherKeys:
      'namespace: web\nresources:\n  - a.yaml\npatches:\n  - path: p.yaml\n    target:\n      kind: Deployment\nconfigMapGenerator:\n  - name: x\n    literals: [A=1]\n',
    fluxKind: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  path: ./x\n',
    crlf: 'resources:\r\n  - a.yaml\r\n  - b.yaml\r\n',
    anchors: 'resources: &r\n  - a.yaml\ncomponents: *r\n',
    multiLineFlow: 'resources: [\n  a.yaml,\n  b.yaml\n]\n',
    twoDocs: 'resources:\n  - a.yaml\n---\nresources:\n  - b.yaml\n',
    comments: '# top\nresources: # the list\n  # a comment\n  - a.yaml # why\n\n  - "b #1.yaml"\n',
    mapItems: 'resources:\n  - path: a.yaml\n',
    alias: 'x: &a b.yaml\nresources:\n  - *a\n',
    tagged: 'resources: !!seq\n  - a.yaml\n',
    notKustomize: 'apiVersion: v1\nkind: ConfigMap\nresources:\n  - a.yaml\n',
  };

  it.each(Object.entries(samples))('reads %s as the parser does', (_name, text) => {
    // Arrange
    let expected: ReturnType<typeof kustomizeRefs> | undefined;
    try {
      const data = parse(text, { maxAliasCount: 100, logLevel: 'silent' }); // as the parser path reads it
      expected =
        data && typeof data === 'object' && isKustomizeConfig(data) ? kustomizeRefs(data) : undefined;
    } catch {
      expected = undefined;
    }

    // Act
    const refs = readKustomizeRefs(text);

    // Assert
    expect(refs).toEqual(expected);
  });

  it('reads the plain shapes line by line, and hands the rest to the parser', () => {
    // Arrange / Act / Assert
    for (const k of [
      'block',
      'indentless',
      'flow',
      'otherKeys',
      'fluxKind',
      'crlf',
      'comments',
      'notKustomize',
    ] as const)
      expect(lineRead(samples[k]), k).not.toBe('unusual');
    for (const k of ['anchors', 'multiLineFlow', 'twoDocs'] as const)
      expect(lineRead(samples[k]), k).toBe('unusual');
  });
});

describe('reach on a reference cycle', () => {
  it('gives every folder of the cycle all of its files, whichever it starts from', () => {
    // Arrange
    const cyclic = makeTree(
      ['a/kustomization.yaml', 'a/x.yaml', 'b/kustomization.yaml', 'b/y.yaml'],
      [
        { file: 'a/kustomization.yaml', dir: 'a', refs: ['x.yaml', '../b'] },
        { file: 'b/kustomization.yaml', dir: 'b', refs: ['y.yaml', '../a'] },
      ],
    );
    const memo = new Map<string, Set<string>>();

    // Act
    const fromA = [...reach(cyclic, 'a', memo)].sort();
    const fromB = [...reach(cyclic, 'b', memo)].sort();

    // Assert
    const all = ['a/kustomization.yaml', 'a/x.yaml', 'b/kustomization.yaml', 'b/y.yaml'];
    expect(fromA).toEqual(all);
    expect(fromB).toEqual(all);
  });
});
