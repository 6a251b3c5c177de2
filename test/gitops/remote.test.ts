// Sources outside this repository: one notice each at the line that names it, except Flux's own.
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine.ts';
import { isFluxOwn, sourceAddress } from '../../src/gitops/remote.ts';
import { analyzeFixture } from '../helpers.ts';

const found = (a: Analysis) =>
  a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} [${f.scope}]`);
const gaps = (a: Analysis) => a.findings.filter((f) => f.rule === 'value-unresolved');

describe('remote sources are noticed one by one', () => {
  it('notices each Flux source, remote kustomize base and Argo CD folder that is not this repository', () => {
    // Act
    const a = analyzeFixture('gitops/flux-remote-sources');

    // Assert
    expect(a.scopes.map((s) => s.name)).toEqual(['edge', 'default']);
    expect(found(a)).toEqual([
      'value-unresolved clusters/edge/vendor.yaml:24:11 [edge]',
      'value-unresolved clusters/edge/vendor.yaml:49:11 [edge]',
      'value-unresolved clusters/edge/vendor.yaml:63:11 [edge]',
      'value-unresolved infrastructure/edge/argo.yaml:11:11 [edge]',
      'value-unresolved infrastructure/edge/kustomization.yaml:5:5 [edge]',
      'calico-not-in-scope infrastructure/edge/purelb.yaml:4:9 [edge]',
    ]);
    expect(a.summary.gaps).toEqual({ total: 5, noticed: 5, templates: 0 });
  });

  it('names the source, and its address where the source object is in the repository', () => {
    // Act
    const messages = gaps(analyzeFixture('gitops/flux-remote-sources')).map((f) => f.message);

    // Assert
    expect(messages).toEqual([
      'Flux Kustomization lb-pools applies OCIRepository lb-pools (oci://registry.example.invalid/net/lb-pools), not this repository: what it applies is not read.',
      'Flux Kustomization addons-calico applies GitRepository platform-addons (https://git.example.invalid/platform/addons.git), not this repository: what it applies is not read.',
      'Flux Kustomization edge-extras applies Bucket edge-configs, not this repository: what it applies is not read.',
      'Argo CD Application bgp-peers applies deploy/edge from https://git.example.invalid/net/bgp-peers.git, not a folder of this repository: what it applies is not read.',
      'kustomize resource https://git.example.invalid/net/bgp-base//calico?ref=v1.4.0 is remote (not this repository): what it adds or patches is not read.',
    ]);
  });

  it("points at the remote base's whole entry and relates a Flux notice to the source's url", () => {
    // Act
    const [oci, , , , base] = gaps(analyzeFixture('gitops/flux-remote-sources'));

    // Assert
    expect(`${base!.line}:${base!.column}-${base!.endLine}:${base!.endColumn}`).toBe('5:5-5:64');
    expect(oci!.related?.map((r) => `${r.file}:${r.line}:${r.column} ${r.message}`)).toEqual([
      'clusters/edge/vendor.yaml:9:8 OCIRepository lb-pools',
    ]);
  });

  it("stays quiet on Flux's own sources, an Argo CD folder of this repository and archived leftovers", () => {
    // Act
    const remote = gaps(analyzeFixture('gitops/flux-remote-sources')).map((f) => f.message);
    const oci = analyzeFixture('gitops/flux-oci-template');
    const archived = analyzeFixture('gitops/flux-archived');

    // Assert: flux2's install base, flux2's GitRepository, the `echo` Application: none noticed.
    expect(remote.filter((m) => /flux2|flux-crds|echo/.test(m))).toEqual([]);
    expect(gaps(oci).map((f) => f.file)).toEqual(['kubernetes/apps/default/echo/app/service.yaml']);
    expect(gaps(archived)).toEqual([]);
  });
});

describe("Flux's own sources, as data", () => {
  it.each([
    'oci://ghcr.io/fluxcd/flux-manifests',
    'oci://ghcr.io/fluxcd/flux-manifests:v2.4.0',
    'https://github.com/fluxcd/flux2.git',
    'github.com/fluxcd/flux2/manifests/install?ref=v2.3.0',
    'https://github.com/fluxcd/flux2/releases/download/v2.3.0/install.yaml',
    'git@github.com:fluxcd/flux2.git',
    'oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests',
  ])('%s is Flux itself', (url) => {
    expect(isFluxOwn(url)).toBe(true);
  });

  it.each([
    'oci://ghcr.io/fluxcd/flux-manifests-fork',
    'https://github.com/fluxcd/flux2-kustomize-helm-example',
    'oci://registry.example.invalid/net/lb-pools',
  ])('%s is not (near misses)', (url) => {
    expect(isFluxOwn(url)).toBe(false);
  });

  it('reduces an address to host and path', () => {
    expect(sourceAddress('ssh://git@github.com/fluxcd/flux2.git')).toBe('github.com/fluxcd/flux2');
  });
});
