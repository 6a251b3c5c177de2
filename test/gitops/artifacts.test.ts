// Flux's ArtifactGenerator: the copies replayed on this tree as source-watcher's builder does them,
// and the clusters of flux2-kustomize-helm-example's layout (Kustomizations on ExternalArtifacts).
import { describe, expect, it } from 'vitest';
import { type Artifact, artifactFiles, expandPatterns, reachInArtifact } from '../../src/gitops/artifacts.ts';
import { makeTree } from '../../src/gitops/kustomize.ts';
import type { SourceDoc } from '../../src/manifests/document.ts';
import { analyzeFixture } from '../helpers.ts';

const REPO = [
  'apps/base/podinfo/kustomization.yaml',
  'apps/base/podinfo/release.yaml',
  'apps/prod/kustomization.yaml',
  'apps/prod/values.yaml',
  'apps/prod/README.md',
  'configs/a.yaml',
  'configs/b.yaml',
  'configs/deep/c.yaml',
];
const tree = makeTree(REPO, [
  { file: 'apps/base/podinfo/kustomization.yaml', dir: 'apps/base/podinfo', refs: ['release.yaml'] },
  { file: 'apps/prod/kustomization.yaml', dir: 'apps/prod', refs: ['../base/podinfo'] },
]);

const artifact = (...copies: [string, string, string[]?][]): Artifact => ({
  name: 'a',
  index: 0,
  namespace: 'flux-system',
  doc: undefined as unknown as SourceDoc,
  sources: new Map([
    ['repo', { kind: 'GitRepository', name: 'flux-system' }],
    ['oci', { kind: 'OCIRepository', name: 'charts' }],
  ]),
  copies: copies.map(([from, to, exclude]) => ({ from, to, exclude: exclude ?? [], strategy: undefined })),
});
const mine = (s: { kind: string }) => (s.kind === 'GitRepository' ? '' : undefined);
const copied = (a: Artifact) => Object.fromEntries(artifactFiles(tree, a, mine).files);

describe('copy operations, as source-watcher replays them', () => {
  it('copies the contents of `dir/**` recursively under the destination', () => {
    expect(copied(artifact(['@repo/apps/base/**', '@artifact/base/']))).toEqual({
      'base/podinfo/kustomization.yaml': 'apps/base/podinfo/kustomization.yaml',
      'base/podinfo/release.yaml': 'apps/base/podinfo/release.yaml',
    });
  });

  it('copies a folder named without a glob as a subfolder, like cp -r', () => {
    expect(Object.keys(copied(artifact(['@repo/configs', '@artifact/x/'])))).toEqual([
      'x/configs/a.yaml',
      'x/configs/b.yaml',
      'x/configs/deep/c.yaml',
    ]);
  });

  it('keeps the matched path for other globs, and `*` stays in one folder (Go fs.Glob)', () => {
    expect(Object.keys(copied(artifact(['@repo/configs/*.yaml', '@artifact/x/'])))).toEqual([
      'x/configs/a.yaml',
      'x/configs/b.yaml',
    ]);
  });

  it('copies one file into a folder or to a path, and drops what an exclude names', () => {
    expect(
      copied(
        artifact(
          ['@repo/configs/a.yaml', '@artifact/one/'],
          ['@repo/configs/b.yaml', '@artifact/renamed.yaml'],
          ['@repo/apps/prod/**', '@artifact/prod/', ['*.md']],
        ),
      ),
    ).toEqual({
      'one/a.yaml': 'configs/a.yaml',
      'renamed.yaml': 'configs/b.yaml',
      'prod/kustomization.yaml': 'apps/prod/kustomization.yaml',
      'prod/values.yaml': 'apps/prod/values.yaml',
    });
  });

  it('lets a later copy overwrite an earlier one, and returns what another source adds as unread', () => {
    // Act
    const out = artifactFiles(
      tree,
      artifact(
        ['@repo/configs/a.yaml', '@artifact/x.yaml'],
        ['@repo/configs/b.yaml', '@artifact/x.yaml'],
        ['@oci/charts/**', '@artifact/charts/'],
      ),
      mine,
    );

    // Assert
    expect(Object.fromEntries(out.files)).toEqual({ 'x.yaml': 'configs/b.yaml' });
    expect(out.unread.map((c) => c.from)).toEqual(['@oci/charts/**']);
  });

  it("follows kustomize refs in the artifact's own paths and names the folder the path came from", () => {
    // Arrange
    const files = artifactFiles(
      tree,
      artifact(['@repo/apps/base/**', '@artifact/base/'], ['@repo/apps/prod/**', '@artifact/production/']),
      mine,
    ).files;

    // Act
    const out = reachInArtifact(tree, files, './production');

    // Assert: ../base/podinfo resolved inside the artifact, mapped back to the repository.
    expect([...out.applies].sort()).toEqual([
      'apps/base/podinfo/kustomization.yaml',
      'apps/base/podinfo/release.yaml',
      'apps/prod/kustomization.yaml',
    ]);
    expect(out.dir).toBe('apps/prod');
  });
});

describe("flux2-kustomize-helm-example's layout: clusters on ExternalArtifacts", () => {
  const found = (a: ReturnType<typeof analyzeFixture>) =>
    a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} [${f.scope}]`);

  it('is one scope per cluster folder, each with its own generator; a shared base is judged in each', () => {
    // Act
    const a = analyzeFixture('gitops/flux-artifact-generator');

    // Assert: only lab's IPPool misses the pool; each cluster notices the copy from an OCIRepository.
    expect(a.scopes.map((s) => `${s.name} ${s.entry}`)).toEqual(['lab clusters/lab', 'prod clusters/prod']);
    expect(found(a)).toEqual([
      'value-unresolved clusters/lab/artifacts.yaml:22:17 [lab]',
      'value-unresolved clusters/prod/artifacts.yaml:22:17 [prod]',
      'lb-pool-not-exported network/base/servicegroup.yaml:9:17 [lab]',
    ]);
    expect(a.findings[0]!.message).toBe(
      'Not read: ExternalArtifact network copies @charts/extras/**, and OCIRepository vendor-charts is not this repository; what it adds to the cluster is not checked.',
    );
  });
});

describe('generators with spec.pathPattern, and sources pushed from a folder', () => {
  it('makes one artifact per matched folder, the name lowercased and the copies filled in', () => {
    // Arrange
    const t = makeTree(['apps/Web/app/a.yaml', 'apps/db/app/b.yaml', 'apps/README.md'], []);
    const template: Artifact = {
      ...artifact(['@repo/apps/{app}/app/**', '@artifact/']),
      name: '{app}-app',
      pathPattern: '@repo/apps/{app}',
    };

    // Act
    const made = expandPatterns(t, [template], mine);

    // Assert
    expect(made.map((a) => `${a.name} ${a.copies[0]!.from}`)).toEqual([
      'web-app @repo/apps/Web/app/**',
      'db-app @repo/apps/db/app/**',
    ]);
    expect(made.map((a) => Object.keys(Object.fromEntries(artifactFiles(t, a, mine).files)))).toEqual([
      ['a.yaml'],
      ['b.yaml'],
    ]);
  });

  it('reads the copies of a source that is this repository pushed from a folder from that folder', () => {
    // Arrange
    const t = makeTree(['kubernetes/apps/web/a.yaml', 'apps/web/decoy.yaml'], []);
    const fromFolder = (s: { kind: string }) => (s.kind === 'GitRepository' ? 'kubernetes' : undefined);

    // Act
    const files = artifactFiles(t, artifact(['@repo/apps/web/**', '@artifact/web/']), fromFolder).files;

    // Assert
    expect(Object.fromEntries(files)).toEqual({ 'web/a.yaml': 'kubernetes/apps/web/a.yaml' });
  });
});
