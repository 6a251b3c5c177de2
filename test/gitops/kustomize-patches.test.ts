import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine.ts';
import { analyzeFiles, analyzeFixture, readFixture } from '../helpers.ts';

const found = (a: Analysis) =>
  a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} [${f.scope}]`);
const related = (a: Analysis, rule: string) =>
  a.findings.find((f) => f.rule === rule)!.related!.map((r) => `${r.file}:${r.line}:${r.column}`);

describe('kustomize patches on watched resources, per overlay', () => {
  it('reports what each overlay builds, at the line that set the value, with the base line related', () => {
    // Act
    const a = analyzeFixture('gitops/kustomize-overlays');

    // Assert
    expect(a.scopes.map((s) => s.name)).toEqual(['overlays/lab', 'overlays/prod']);
    expect(found(a)).toEqual([
      'lb-ippool-encapsulated overlays/lab/ipip.yaml:3:10 [overlays/lab]',
      'lb-ippool-allocatable overlays/prod/kustomization.yaml:13:19 [overlays/prod]',
    ]);
    expect(related(a, 'lb-ippool-allocatable')).toContain('base/calico.yaml:7:13');
    expect(related(a, 'lb-ippool-encapsulated')).toContain('base/calico.yaml:8:13');
  });

  it('applies the overlay namespace to namespaced kinds only', () => {
    // Act
    const a = analyzeFixture('gitops/kustomize-overlays');

    // Assert: the base ServiceGroup is in `purelb`; each overlay moves it to purelb-system.
    expect(a.findings.filter((f) => f.rule === 'sg-namespace')).toEqual([]);
  });

  it('reports the base as written once the patch no longer selects it (near miss)', () => {
    // Arrange
    const files = readFixture('gitops/kustomize-overlays');
    files['base/calico.yaml'] = files['base/calico.yaml']!.replace(
      'name: purelb\nspec',
      'name: purelb\n  labels:\n    lbguard.dev/skip: "true"\nspec',
    );

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(found(a)).toEqual(['lb-ippool-encapsulated overlays/lab/ipip.yaml:3:10 [overlays/lab]']);
  });

  it('patches a single kustomization without overlays too (one scope), and deletes with $patch: delete', () => {
    // Arrange
    const files = {
      'calico/kustomization.yaml': `resources:
  - pools.yaml
patches:
  - patch: |-
      $patch: delete
      apiVersion: crd.projectcalico.org/v1
      kind: IPPool
      metadata:
        name: old
  - patch: |-
      - op: replace
        path: /spec/cidr
        value: 10.1.0.1/24
    target:
      kind: IPPool
      name: new
`,
      'calico/pools.yaml': `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: old
spec:
  cidr: 10.0.0.5/24
---
apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: new
spec:
  cidr: 10.1.0.0/24
`,
    };

    // Act
    const a = analyzeFiles(files);

    // Assert: old is deleted (its bad cidr is not reported), new's cidr comes from the patch.
    expect(found(a)).toEqual(['ippool-cidr calico/kustomization.yaml:13:16 [default]']);
  });
});

describe('kustomize helmCharts', () => {
  it('reads purelb chart values from valuesFile under valuesInline, each at its own line; a missing file is a gap', () => {
    // Act
    const a = analyzeFixture('gitops/kustomize-helmcharts');

    // Assert
    expect(found(a)).toEqual([
      'value-unresolved purelb/kustomization.yaml:11:9 [default]',
      'calico-not-in-scope purelb/kustomization.yaml:14:15 [default]',
      'sg-pool-outside-subnet purelb/values.yaml:7:17 [default]',
    ]);
  });

  it('puts the chart ServiceGroup in the kustomization namespace (near miss: none without one)', () => {
    // Arrange
    const files = readFixture('gitops/kustomize-helmcharts');
    const moved = analyzeFiles(files);
    files['purelb/kustomization.yaml'] = files['purelb/kustomization.yaml']!.replace(
      'namespace: purelb-system\n',
      '',
    );

    // Act
    const kept = analyzeFiles(files);

    // Assert
    expect(moved.pools.map((p) => p.group)).toEqual(['default']);
    expect(kept.findings.map((f) => f.rule)).toContain('sg-pool-outside-subnet');
    expect(moved.findings.find((f) => f.rule === 'sg-namespace')).toBeUndefined();
  });
});

describe('kustomize namePrefix / nameSuffix', () => {
  it('renames every watched kind: the new name points at namePrefix, and a Service keeps naming the old group', () => {
    // Act
    const a = analyzeFixture('gitops/kustomize-name-prefix');

    // Assert: kustomize's nameReference knows no purelb.io/service-group, so the Service still says "web".
    expect(a.scopes.map((s) => s.name)).toEqual(['clusters/prod']);
    expect(found(a)).toEqual([
      'svc-unknown-group base/service.yaml:7:30 [clusters/prod]',
      'sg-duplicate-name overlays/prod/kustomization.yaml:3:13 [clusters/prod]',
      'calico-not-in-scope overlays/prod/kustomization.yaml:3:13 [clusters/prod]',
    ]);
    expect(related(a, 'svc-unknown-group')).toEqual(['overlays/prod/kustomization.yaml:3:13']);
    // The renamed ServiceGroup's own base line, not the Service's the same namePrefix renamed.
    expect(related(a, 'sg-duplicate-name')).toEqual([
      'clusters/prod/servicegroup.yaml:4:9',
      'base/servicegroup.yaml:4:9',
    ]);
  });

  it('points at nameSuffix when there is no namePrefix', () => {
    // Arrange
    const files = readFixture('gitops/kustomize-name-prefix');
    files['overlays/prod/kustomization.yaml'] = files['overlays/prod/kustomization.yaml']!.replace(
      'namePrefix: prod-',
      'nameSuffix: -prod',
    );
    files['clusters/prod/servicegroup.yaml'] = files['clusters/prod/servicegroup.yaml']!.replace(
      'name: prod-web',
      'name: web-prod',
    );

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(found(a)).toContain('sg-duplicate-name overlays/prod/kustomization.yaml:3:13 [clusters/prod]');
    expect(found(a)).toContain('svc-unknown-group base/service.yaml:7:30 [clusters/prod]');
  });

  it('is quiet without the rename (near miss)', () => {
    // Arrange
    const files = readFixture('gitops/kustomize-name-prefix');
    files['overlays/prod/kustomization.yaml'] = files['overlays/prod/kustomization.yaml']!.replace(
      'namePrefix: prod-\n',
      '',
    );

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(found(a)).toEqual(['calico-not-in-scope base/servicegroup.yaml:4:9 [clusters/prod]']);
  });
});

describe('kustomize components', () => {
  it("applies a Component's patches to everything the including kustomization built (the base's IPPool)", () => {
    // Act
    const a = analyzeFixture('gitops/kustomize-components');

    // Assert
    expect(a.scopes.map((s) => s.name)).toEqual(['overlays/prod']);
    expect(found(a)).toEqual([
      'lb-community-missing base/servicegroup.yaml:9:17 [overlays/prod]',
      'lb-ippool-allocatable components/allocatable/kustomization.yaml:10:16 [overlays/prod]',
    ]);
    expect(related(a, 'lb-ippool-allocatable')).toContain('base/ippool.yaml:7:13');
  });

  it("runs the components before the kustomization's own patches, so the overlay has the last word", () => {
    // Arrange
    const files = readFixture('gitops/kustomize-components');
    files['overlays/prod/kustomization.yaml'] += `patches:
  - target:
      kind: IPPool
    patch: |-
      - op: replace
        path: /spec/disabled
        value: true
`;

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(found(a)).toEqual(['lb-community-missing base/servicegroup.yaml:9:17 [overlays/prod]']);
  });
});
