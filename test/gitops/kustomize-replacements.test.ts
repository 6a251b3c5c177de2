import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine.ts';
import { splitFieldPath } from '../../src/gitops/kustomize-replacements.ts';
import { analyzeFiles, analyzeFixture, readFixture } from '../helpers.ts';

const found = (a: Analysis) =>
  a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} [${f.scope}]`);
const related = (a: Analysis, rule: string) =>
  a.findings.find((f) => f.rule === rule)!.related!.map((r) => `${r.file}:${r.line}:${r.column}`);

describe('kustomize replacements', () => {
  it('fills the ServiceGroup from the IPPool and a generated ConfigMap; the range points at its literal', () => {
    // Act
    const a = analyzeFixture('gitops/kustomize-replacements');

    // Assert: the subnet came from the IPPool (10.70.0.0/24), the range from LB_RANGE, outside it.
    expect(a.scopes.map((s) => s.name)).toEqual(['overlays/site']);
    expect(found(a)).toEqual(['sg-pool-outside-subnet overlays/site/kustomization.yaml:8:9 [overlays/site]']);
    expect(related(a, 'sg-pool-outside-subnet')).toEqual(['base/servicegroup.yaml:11:15']);
    expect(a.findings[0]!.message).toContain('10.70.1.10-10.70.1.50');
  });

  it('is quiet with the range inside the replaced subnet (near miss)', () => {
    // Arrange
    const files = readFixture('gitops/kustomize-replacements');
    files['overlays/site/kustomization.yaml'] = files['overlays/site/kustomization.yaml']!.replace(
      'LB_RANGE=10.70.1.10-10.70.1.50',
      'LB_RANGE=10.70.0.10-10.70.0.50',
    );

    // Act
    const a = analyzeFiles(files);

    // Assert: the replaced subnet points at the IPPool's cidr, its source.
    expect(found(a)).toEqual(['lb-community-missing base/ippool.yaml:6:9 [overlays/site]']);
  });

  it('reads sourceValue, options.delimiter/index and reject, and leaves a target whose field is missing', () => {
    // Arrange
    const files = readFixture('gitops/kustomize-replacements');
    files['overlays/site/range.yaml'] = `- sourceValue: 10.70.0.0/24
  targets:
    - select:
        kind: ServiceGroup
      fieldPaths:
        - spec.remote.v4pools.0.subnet
- source:
    kind: ConfigMap
    name: site
    fieldPath: data.LB_RANGE
    options:
      delimiter: "-"
      index: 1
  targets:
    - select:
        kind: ServiceGroup
      fieldPaths:
        - spec.remote.v4pools.0.pool
      options:
        delimiter: "-"
        index: 1
    - select:
        kind: ServiceGroup
      reject:
        - name: default
      fieldPaths:
        - spec.remote.v4pools.0.pool
- sourceValue: x
  targets:
    - select:
        kind: ServiceGroup
      fieldPaths:
        - spec.local.v4pools.0.pool
`;
    files['overlays/site/kustomization.yaml'] = files['overlays/site/kustomization.yaml']!.replace(
      / {2}- source:[\s\S]*?\n {2}- path/,
      '  - path',
    );

    // Act
    const a = analyzeFiles(files);

    // Assert: the pool's end replaced by the literal's end (192.0.2.10-10.70.1.50, backwards);
    // the rejected target and the missing spec.local left it at that.
    expect(found(a)).toEqual(['sg-pool-syntax overlays/site/kustomization.yaml:8:9 [overlays/site]']);
    expect(a.findings[0]!.message).toContain('192.0.2.10-10.70.1.50');
  });

  it('says which replacement it could not read (a Secret source): one notice, the base values stand', () => {
    // Arrange
    const files = readFixture('gitops/kustomize-replacements');
    files['overlays/site/range.yaml'] = files['overlays/site/range.yaml']!.replace(
      'kind: ConfigMap',
      'kind: Secret',
    );
    files['overlays/site/secret.yaml'] = `apiVersion: v1
kind: Secret
metadata:
  name: site
stringData:
  LB_RANGE: 10.70.0.10-10.70.0.50
`;

    // Act
    const a = analyzeFiles(files);

    // Assert: subnet replaced from the IPPool; pool left at 192.0.2.10-192.0.2.20, outside it.
    expect(found(a)).toEqual([
      'sg-pool-outside-subnet base/servicegroup.yaml:11:15 [overlays/site]',
      'value-unresolved overlays/site/range.yaml:2:3 [overlays/site]',
    ]);
  });

  it('splits field paths as kyaml does', () => {
    // Act / Assert
    expect(splitFieldPath('metadata.annotations.[purelb.io/service-group]')).toEqual([
      'metadata',
      'annotations',
      'purelb.io/service-group',
    ]);
    expect(splitFieldPath('spec.v4pools.[subnet=10.0.0.0/24].pool')).toEqual([
      'spec',
      'v4pools',
      '[subnet=10.0.0.0/24]',
      'pool',
    ]);
    expect(splitFieldPath('data.a\\.b')).toEqual(['data', 'a.b']);
  });
});

describe("a replacement into another controller's pool", () => {
  const kustomization = (kind: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - pool.yaml
replacements:
  - source:
      kind: ConfigMap
      name: ip-pool
      fieldPath: data.pool
    targets:
      - select:
          kind: ${kind}
        fieldPaths:
          - spec.addresses.0
`;
  const pool = (kind: string, apiVersion: string) => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: pool
  namespace: lb
spec:
  addresses:
    - 10.0.0.0/24
`;

  it('gets no notice when its source is not read: MetalLB pools are read for their presence only', () => {
    // Act
    const a = analyzeFiles({
      'metallb/kustomization.yaml': kustomization('IPAddressPool'),
      'metallb/pool.yaml': pool('IPAddressPool', 'metallb.io/v1beta1'),
    });

    // Assert
    expect(a.findings).toEqual([]);
  });

  it('still notices an unread source for a watched kind (near miss)', () => {
    // Act
    const a = analyzeFiles({
      'purelb/kustomization.yaml': kustomization('ServiceGroup'),
      'purelb/pool.yaml': pool('ServiceGroup', 'purelb.io/v2'),
    });

    // Assert
    expect(found(a).filter((f) => f.startsWith('value-unresolved'))).toEqual([
      'value-unresolved purelb/kustomization.yaml:7:7 [default]',
    ]);
  });
});
