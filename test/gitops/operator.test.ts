// flux-operator: a FluxInstance's sync is a cluster entry point; ResourceSets are noticed, not expanded.
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine.ts';
import { analyzeFiles, analyzeFixture, readFixture } from '../helpers.ts';

const found = (a: Analysis) =>
  a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} [${f.scope}]`);

const instance = (sync: string) => `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution:
    version: "2.x"
    registry: ghcr.io/fluxcd
${sync}`;

const APPS = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  path: ./apps
  sourceRef:
    kind: OCIRepository
    name: flux-system
`;

const GROUP = `apiVersion: purelb.io/v1
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb
spec:
  local:
    subnet: 192.168.5.0/24
    pool: 192.168.5.240-192.168.5.250
    aggregation: default
`;

describe('a FluxInstance as the cluster entry point', () => {
  it('scopes the cluster from its sync path, whatever applies the instance file', () => {
    // Act
    const a = analyzeFixture('gitops/flux-operator');

    // Assert
    expect(a.scopes.map((s) => `${s.name}:${[...s.paths].sort().join(',')}`)).toEqual([
      'edge:bootstrap/flux-instance.yaml,kubernetes/apps/network/calico.yaml,kubernetes/apps/network/pools.yaml,kubernetes/apps/network/purelb.yaml,kubernetes/apps/observability/exporters.yaml,kubernetes/edge/addons.yaml,kubernetes/edge/apps.yaml',
      'default:deploy/lb/servicegroup.yaml',
    ]);
    expect(a.scopes[0]!.entry).toBe('kubernetes/edge');
    expect(a.scopes[0]!.reason).toBe(
      'FluxInstance flux sync path kubernetes/edge: Kustomizations flux-system, apps, vendor-lb',
    );
  });

  it('reads its GitRepository sync as this repository: another GitRepository is a remote source', () => {
    // Act
    const a = analyzeFixture('gitops/flux-operator');

    // Assert: the PureLB-against-Calico rules ran in the one scope; the vendor's copy stayed out.
    expect(found(a)).toEqual([
      'calico-not-in-scope deploy/lb/servicegroup.yaml:5:9 [default]',
      'lb-community-missing kubernetes/apps/network/calico.yaml:14:3 [edge]',
      'value-unresolved kubernetes/apps/network/pools.yaml:13:3 [edge]',
      'lb-pool-not-exported kubernetes/apps/network/purelb.yaml:10:15 [edge]',
      'value-unresolved kubernetes/edge/addons.yaml:13:11 [edge]',
    ]);
    expect(a.findings.find((f) => f.file === 'kubernetes/edge/addons.yaml')!.message).toBe(
      'Flux Kustomization vendor-lb applies GitRepository vendor-addons, not this repository: what it applies is not read.',
    );
  });

  it('without the instance, the vendor GitRepository is read as this repository and splits the cluster (near miss)', () => {
    // Arrange
    const { 'bootstrap/flux-instance.yaml': _gone, ...files } = readFixture('gitops/flux-operator');

    // Act
    const a = analyzeFiles(files);

    // Assert: the vendor's GitRepository reads as this repository, so its Kustomization founds the
    // cluster with the vendor's copy, and the apps (PureLB and Calico) fall out into default.
    expect(found(a)).toEqual([
      'calico-not-in-scope deploy/lb/servicegroup.yaml:5:9 [edge]',
      'lb-community-missing kubernetes/apps/network/calico.yaml:14:3 [default]',
      'value-unresolved kubernetes/apps/network/pools.yaml:13:3 [default]',
      'lb-pool-not-exported kubernetes/apps/network/purelb.yaml:10:15 [default]',
    ]);
  });

  it('notices a sync from an OCI artifact whose path is not in this tree, and the Kustomizations on it read nothing here', () => {
    // Act
    const a = analyzeFiles({
      'flux/instance.yaml': instance(
        '  sync:\n    kind: OCIRepository\n    url: oci://registry.example.invalid/fleet/edge\n    ref: latest\n    path: fleet/edge\n',
      ),
      'clusters/edge/apps.yaml': APPS,
      'apps/purelb.yaml': GROUP,
    });

    // Assert
    expect(found(a)).toEqual([
      'calico-not-in-scope apps/purelb.yaml:4:9 [default]',
      'value-unresolved clusters/edge/apps.yaml:10:11 [default]',
      'value-unresolved flux/instance.yaml:12:10 [default]',
    ]);
    expect(a.findings.at(-1)!.message).toBe(
      'FluxInstance flux syncs OCIRepository oci://registry.example.invalid/fleet/edge, not this repository: what it applies is not read.',
    );
  });

  it('reads an OCI sync of a path this tree has as this repository pushed as an artifact (d2-fleet), named by sync.name', () => {
    // Act
    const a = analyzeFiles({
      'clusters/edge/flux-system/instance.yaml': instance(
        '  sync:\n    kind: OCIRepository\n    name: fleet\n    url: oci://registry.example.invalid/fleet\n    ref: latest\n    path: clusters/edge\n',
      ),
      'clusters/edge/apps.yaml': APPS.replace('name: flux-system\n', 'name: fleet\n'),
      'apps/purelb.yaml': GROUP,
    });

    // Assert: one cluster, no remote notice; the apps are read through the fleet artifact.
    expect(a.scopes.map((s) => `${s.name}:${[...s.paths].sort().join(',')}`)).toEqual([
      'edge:apps/purelb.yaml,clusters/edge/apps.yaml,clusters/edge/flux-system/instance.yaml',
    ]);
    expect(found(a)).toEqual(['calico-not-in-scope apps/purelb.yaml:4:9 [edge]']);
  });

  it('reads nothing into a FluxInstance without sync: it only installs Flux (quiet)', () => {
    // Act
    const a = analyzeFiles({ 'flux/instance.yaml': instance(''), 'apps/purelb.yaml': GROUP });

    // Assert
    expect(a.scopes.map((s) => s.name)).toEqual(['default']);
    expect(found(a)).toEqual(['calico-not-in-scope apps/purelb.yaml:4:9 [default]']);
  });
});

describe('ResourceSets', () => {
  it('notices one whose templates could make a watched kind, at its resources, and counts it as a gap', () => {
    // Act
    const a = analyzeFixture('gitops/flux-operator');

    // Assert
    const notice = a.findings.find((f) => f.file === 'kubernetes/apps/network/pools.yaml')!;
    expect(notice.message).toBe(
      'ResourceSet site-pools makes resources from templates (spec.resources), which lbguard does not expand: what it makes is not read.',
    );
    expect(a.summary.gaps).toEqual({ total: 2, noticed: 2, templates: 0 });
  });

  it('stays quiet on one that makes only workloads (resourcesTemplate of Deployments)', () => {
    // Act
    const a = analyzeFixture('gitops/flux-operator');

    // Assert
    expect(a.findings.filter((f) => f.file.includes('observability'))).toEqual([]);
  });
});

describe('a FluxInstance made by the flux-instance chart', () => {
  it('reads instance.sync from the values a configMapGenerator makes, as the entry point', () => {
    // Act
    const a = analyzeFixture('gitops/flux-operator-chart');

    // Assert
    expect(a.scopes.map((s) => `${s.name} ${s.entry}`)).toEqual(['kubernetes kubernetes/flux/cluster']);
    expect(a.scopes[0]!.reason).toBe(
      'FluxInstance flux sync path kubernetes/flux/cluster: Kustomizations flux-system, cluster-apps, purelb, calico',
    );
    expect(found(a)).toEqual([
      'value-unresolved kubernetes/apps/network/calico/ks.yaml:13:11 [kubernetes]',
      'calico-not-in-scope kubernetes/apps/network/purelb/app/servicegroup.yaml:4:9 [kubernetes]',
    ]);
  });

  it('without its values there is no instance: the platform GitRepository reads as this one (near miss)', () => {
    // Arrange
    const { 'kubernetes/apps/flux-system/flux-instance/app/helm/values.yaml': _gone, ...files } = readFixture(
      'gitops/flux-operator-chart',
    );

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.scopes[0]!.reason).toMatch(/^Flux entry point kubernetes\/flux\/cluster: /);
    expect(found(a)).toEqual([
      'calico-not-in-scope kubernetes/apps/network/purelb/app/servicegroup.yaml:4:9 [kubernetes]',
    ]);
  });

  it('notices an OCI sync written in the release values at its url', () => {
    // Act
    const a = analyzeFiles({
      'flux/instance.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: flux-instance
  namespace: flux-system
spec:
  chart:
    spec:
      chart: flux-instance
  values:
    instance:
      sync:
        kind: OCIRepository
        url: oci://registry.example.invalid/fleet/home
        path: clusters/home
`,
      'apps/purelb.yaml': GROUP,
    });

    // Assert
    expect(found(a)).toEqual([
      'calico-not-in-scope apps/purelb.yaml:4:9 [default]',
      'value-unresolved flux/instance.yaml:14:14 [default]',
    ]);
  });
});
