// More values sources: Flux valuesFrom, Argo CD valueFiles and parameters, k3s HelmChart and
// HelmChartConfig. Each value points where it is written; what cannot be read is said once, there.
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine.ts';
import { dottedPath, setAt, typedValue } from '../../src/gitops/values.ts';
import { renderText } from '../../src/render/text.ts';
import { analyzeFiles, analyzeFixture, readFixture } from '../helpers.ts';

const found = (a: Analysis) => a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`);

describe('values from outside the chart host', () => {
  it('reads each source and reports each value where it is written, and each unread source once', () => {
    // Act
    const a = analyzeFixture('gitops/values-sources');

    // Assert
    expect(found(a)).toEqual([
      'value-unresolved argo/tigera-operator/application.yaml:15:11',
      'install-shape argo/tigera-operator/application.yaml:18:18',
      'install-shape argo/tigera-operator/values-prod.yaml:7:22',
      'value-unresolved flux/purelb/helmrelease.yaml:19:13',
      'sg-pool-syntax flux/purelb/values.yaml:14:21',
      'sg-pool-outside-subnet k3s/purelb.yaml:34:21',
    ]);
  });

  it('counts the gaps in the text summary, so "No findings" never hides them', () => {
    // Act
    const a = analyzeFixture('gitops/values-sources');

    // Assert
    expect(renderText(a, { color: false, source: () => undefined })).toContain(
      '2 inputs not read, named in notices.',
    );
  });

  it('says which source was not read and why', () => {
    // Act
    const a = analyzeFixture('gitops/values-sources');

    // Assert
    expect(a.findings.filter((f) => f.rule === 'value-unresolved').map((f) => f.message)).toEqual([
      "Values file values-missing.yaml is not read: not in this repository; the chart's resources are checked without it.",
      "Values from Secret purelb-secret-values are not read (lbguard never reads Secrets): the chart's resources are checked without them.",
    ]);
  });

  it('lets inline values win over valuesFrom (near miss: the fix in spec.values hides the ConfigMap pool)', () => {
    // Arrange
    const files = readFixture('gitops/values-sources');
    files['flux/purelb/helmrelease.yaml'] = `${files['flux/purelb/helmrelease.yaml']}      spec:
        local:
          v4pools:
            - subnet: 192.168.30.0/24
              pool: 192.168.30.240-192.168.30.250
              aggregation: default
`;

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(found(a).filter((f) => f.includes('flux/'))).toEqual([
      'value-unresolved flux/purelb/helmrelease.yaml:19:13',
    ]);
  });

  it('says a missing valuesFrom ConfigMap is not in the repository, unless it is optional', () => {
    // Arrange
    const files = readFixture('gitops/values-sources');
    delete files['flux/purelb/values.yaml'];

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(found(a).filter((f) => f.includes('flux/'))).toEqual([
      'value-unresolved flux/purelb/helmrelease.yaml:17:13',
      'value-unresolved flux/purelb/helmrelease.yaml:19:13',
    ]);
    expect(a.findings.find((f) => f.line === 17)!.message).toContain('no such ConfigMap in this repository');
  });

  it('keeps a HelmChartConfig of another name out of the chart (near miss)', () => {
    // Arrange
    const files = readFixture('gitops/values-sources');
    files['k3s/purelb.yaml'] = files['k3s/purelb.yaml']!.replace(
      /(HelmChartConfig\nmetadata:\n {2}name:) purelb/,
      '$1 traefik',
    );

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(found(a).filter((f) => f.includes('k3s/'))).toEqual([]);
  });
});

describe('--set paths', () => {
  it('reads dotted paths with list indexes and types values as Helm does', () => {
    // Act / Assert
    expect(dottedPath('a.b[0].c')).toEqual(['a', 'b', 0, 'c']);
    expect(dottedPath('a..b')).toBeUndefined();
    expect(setAt(['a', 'b', 1], 'x')).toEqual({ a: { b: [undefined, 'x'] } });
    expect([typedValue('true'), typedValue('42'), typedValue('042'), typedValue('1.5')]).toEqual([
      true,
      42,
      '042',
      '1.5',
    ]);
  });
});

describe('valuesFrom a ConfigMap that kustomize generates from a values file', () => {
  it('reads the file the generator names, with findings at their lines in it', () => {
    // Act
    const a = analyzeFixture('gitops/values-generated');

    // Assert: the tigera-extra ConfigMap exists nowhere, so it alone is a gap.
    expect(found(a)).toEqual([
      'sg-pool-syntax apps/purelb/values.yaml:8:17',
      'install-shape apps/tigera-operator/calico-values.yaml:8:22',
      'value-unresolved apps/tigera-operator/helmrelease.yaml:18:13',
    ]);
  });

  it('is a gap when the generator makes the ConfigMap under another key (near miss)', () => {
    // Arrange
    const files = readFixture('gitops/values-generated');
    files['apps/purelb/kustomization.yaml'] = files['apps/purelb/kustomization.yaml']!.replace(
      'values.yaml=values.yaml',
      'other.yaml=values.yaml',
    );

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(found(a).filter((f) => f.includes('purelb'))).toEqual([
      'value-unresolved apps/purelb/helmrelease.yaml:16:13',
    ]);
  });
});
