// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux ${VAR} placeholders are what these tests are about
import { describe, expect, it } from 'vitest';
import { pureLbVersionOf } from '../../src/gitops/charts.ts';
import { analyzeFiles, where, withRule } from '../helpers.ts';

/** `line:column` (1-based) of the first occurrence of `needle` in `text`. */
function posOf(text: string, needle: string): string {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in fixture`);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

const argoApp = (pool: string, version = 'v0.16.0') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: purelb
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: purelb-system
  source:
    repoURL: https://gitlab.com/api/v4/projects/20400619/packages/helm/stable
    chart: purelb
    targetRevision: ${version}
    helm:
      values: |
        serviceGroup:
          create: true
          name: default
          spec:
            local:
              v4pools:
                - subnet: 192.168.1.0/24
                  pool: ${pool}
                  aggregation: default
`;

describe('Argo CD Application with the PureLB chart', () => {
  it('reports a bad pool in the values string at its line and column in the Application file', () => {
    // Arrange
    const text = argoApp('192.168.1.250-192.168.1.240');

    // Act
    const a = analyzeFiles({ 'apps/purelb.yaml': text });

    // Assert
    expect(where(withRule(a, 'sg-pool-syntax'))).toEqual([
      `apps/purelb.yaml:${posOf(text, '192.168.1.250-')}`,
    ]);
  });

  it('reports a values string that does not parse as yaml-syntax at its line in the Application file', () => {
    // Arrange: a tab is not indentation in YAML
    const text = argoApp('192.168.1.240-192.168.1.250').replace(
      '          create: true',
      '          create: true\n          spec: [',
    );

    // Act
    const a = analyzeFiles({ 'apps/purelb.yaml': text });

    // Assert
    const found = withRule(a, 'yaml-syntax');
    expect(found).toHaveLength(1);
    expect(found[0]!.line).toBeGreaterThanOrEqual(Number(posOf(text, 'spec: [').split(':')[0]));
    expect(found[0]!.message).toContain('helm.values');
  });

  it('is quiet on a valid pool (near miss)', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'apps/purelb.yaml': argoApp('192.168.1.240-192.168.1.250') });

    // Assert
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
  });

  it('reads helm.valuesObject and points into it', () => {
    // Arrange
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: purelb
spec:
  destination:
    namespace: purelb-system
  sources:
    - repoURL: https://gitlab.com/api/v4/projects/20400619/packages/helm/stable
      chart: purelb
      targetRevision: 0.16.0
      helm:
        valuesObject:
          serviceGroup:
            create: true
            spec:
              local:
                v4pool:
                  subnet: 192.168.1.0/24
                  pool: 192.168.1.240-192.168.1.250
                  aggregation: "32"
`;

    // Act
    const a = analyzeFiles({ 'apps/purelb.yaml': text });

    // Assert
    expect(where(withRule(a, 'sg-aggregation'))).toEqual([`apps/purelb.yaml:${posOf(text, '"32"')}`]);
  });
});

const helmRelease = (
  chart: string,
  version: string,
  values: string,
) => `apiVersion: helm.toolkit.fluxcd.io/v2beta1
kind: HelmRelease
metadata:
  name: ${chart}
  namespace: purelb-system
spec:
  chart:
    spec:
      chart: ${chart}
      version: ${version}
  values:
${values}`;

const legacyValues = `    serviceGroup:
      create: true
      spec:
        local:
          subnet: 192.168.1.0/24
          pool: 192.168.1.240-192.168.1.250
          aggregation: default
`;
const v2Values = `    serviceGroup:
      create: true
      spec:
        local:
          v4pool:
            subnet: 192.168.1.0/24
            pool: 192.168.1.240-192.168.1.250
            aggregation: default
`;

describe('Flux HelmRelease of the PureLB chart', () => {
  // The Service asks for PureLB's v1 class: svc-lb-class warns only when the group is v2.
  const v1ClassService = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
spec:
  type: LoadBalancer
  loadBalancerClass: purelb.io/purelb
  ports:
    - port: 80
`;

  it('takes v2 semantics from a chart version >= 0.15', () => {
    // Arrange
    const text = helmRelease('purelb', '0.15.2', v2Values);

    // Act
    const a = analyzeFiles({ 'infra/purelb.yaml': text, 'apps/web.yaml': v1ClassService });

    // Assert
    expect(where(withRule(a, 'svc-lb-class'))).toEqual([
      `apps/web.yaml:${posOf(v1ClassService, 'purelb.io/purelb')}`,
    ]);
  });

  it('takes v1 semantics from an older chart version (near miss)', () => {
    // Arrange
    const text = helmRelease('purelb', '0.13.0', v2Values);

    // Act
    const a = analyzeFiles({ 'infra/purelb.yaml': text, 'apps/web.yaml': v1ClassService });

    // Assert
    expect(withRule(a, 'svc-lb-class')).toEqual([]);
  });

  it('lets the values decide: legacy subnet/pool under local is v1 whatever the version', () => {
    // Arrange
    const text = helmRelease('purelb', '0.17.0', legacyValues);

    // Act
    const a = analyzeFiles({ 'infra/purelb.yaml': text });

    // Assert
    expect(withRule(a, 'sg-shape')).toEqual([]);
  });

  it('creates no ServiceGroup when serviceGroup.create is not true', () => {
    // Arrange
    const text = helmRelease(
      'purelb',
      '0.15.2',
      v2Values.replace('create: true', 'create: false').replace('240-', '250-'),
    );

    // Act
    const a = analyzeFiles({
      'infra/purelb.yaml': text.replace('192.168.1.250-192.168.1.250', '192.168.1.250-192.168.1.240'),
    });

    // Assert
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
    expect(a.summary.resources).toBe(0);
  });

  it('creates the ServiceGroup for any value Go templates find true, as the chart does', () => {
    // Arrange: `{{ if .Values.serviceGroup.create }}` is true for a non-empty string, even "false"
    const bad = v2Values.replace('192.168.1.240-192.168.1.250', '192.168.1.250-192.168.1.240');
    const texts = ['"yes"', '"false"', '1', 'false', '0', '""'].map((c) =>
      helmRelease('purelb', '0.15.2', bad.replace('create: true', `create: ${c}`)),
    );

    // Act
    const found = texts.map(
      (t) => withRule(analyzeFiles({ 'infra/purelb.yaml': t }), 'sg-pool-syntax').length,
    );

    // Assert
    expect(found).toEqual([1, 1, 1, 0, 0, 0]);
  });

  it('reports an unresolved ${VAR} in the values once, at its line in the HelmRelease', () => {
    // Arrange
    const text = helmRelease(
      'purelb',
      '0.15.2',
      v2Values.replace('192.168.1.240-192.168.1.250', '${LB_RANGE}'),
    );

    // Act
    const a = analyzeFiles({ 'infra/purelb.yaml': text });

    // Assert
    expect(where(withRule(a, 'value-unresolved'))).toEqual([
      `infra/purelb.yaml:${posOf(text, '${LB_RANGE}')}`,
    ]);
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
  });

  it("reads ServiceGroups from the chart's extraObjects, as objects and as YAML strings", () => {
    // Arrange
    const values = `    extraObjects:
      - apiVersion: purelb.io/v2
        kind: ServiceGroup
        metadata:
          name: routed
        spec:
          remote:
            v4pool:
              subnet: 10.50.0.0/24
              pool: 10.50.0.20-10.50.0.10
              aggregation: /32
      - |
        apiVersion: purelb.io/v2
        kind: ServiceGroup
        metadata:
          name: lan
        spec:
          local:
            v4pool:
              subnet: 192.168.1.0/24
              pool: 192.168.1.250-192.168.1.240
              aggregation: default
`;
    const text = helmRelease('purelb', '0.16.0', values);

    // Act
    const a = analyzeFiles({ 'infra/purelb.yaml': text });

    // Assert
    expect(where(withRule(a, 'sg-pool-syntax'))).toEqual([
      `infra/purelb.yaml:${posOf(text, '10.50.0.20-')}`,
      `infra/purelb.yaml:${posOf(text, '192.168.1.250-')}`,
    ]);
    expect(a.findings.filter((f) => f.resource?.namespace !== 'purelb-system')).toEqual([]);
  });

  it('ignores other charts', () => {
    // Arrange
    const text = helmRelease('metallb', '0.14.0', v2Values.replace('240-', '260-'));

    // Act
    const a = analyzeFiles({ 'infra/metallb.yaml': text });

    // Assert
    expect(a.findings).toEqual([]);
  });
});

describe('Flux HelmRelease of the tigera-operator chart', () => {
  it('yields the Installation from values.installation, findings at the values line', () => {
    // Arrange
    const values = `    installation:
      calicoNetwork:
        bgp: disabled
`;
    const text = helmRelease('tigera-operator', 'v3.30.0', values).replace(
      'namespace: purelb-system',
      'namespace: tigera-operator',
    );

    // Act
    const a = analyzeFiles({ 'infra/tigera.yaml': text });

    // Assert
    expect(where(withRule(a, 'install-shape'))).toEqual([`infra/tigera.yaml:${posOf(text, 'disabled')}`]);
  });

  it('yields nothing when installation.enabled is false', () => {
    // Arrange
    const values = `    installation:
      enabled: false
      calicoNetwork:
        bgp: disabled
`;

    // Act
    const a = analyzeFiles({ 'infra/tigera.yaml': helmRelease('tigera-operator', 'v3.30.0', values) });

    // Assert
    expect(withRule(a, 'install-shape')).toEqual([]);
  });
});

describe('PureLB chart version ranges (Flux version, Argo CD targetRevision)', () => {
  it.each([
    ['0.13.0', 'v1'],
    ['v0.14.2', 'v1'],
    ['0.15.0', 'v2'],
    ['0.13.x', 'v1'],
    ['~0.14', 'v1'],
    ['^0.14.1', 'v1'],
    ['>=0.13.0 <0.15.0', 'v1'],
    ['0.13 - 0.14', 'v1'],
    // Nothing bounds these from above: Helm installs the latest chart, which is v2.
    ['>=0.13.0', 'v2'],
    ['0.x', 'v2'],
    ['*', 'v2'],
    ['^0', 'v2'],
    ['0.13.0 || 0.16.0', 'v2'],
    ['>=0.13 <0.15.3', 'v2'],
  ] as const)('reads %s as %s', (range, expected) => {
    // Arrange / Act
    const version = pureLbVersionOf(range, undefined);

    // Assert
    expect(version).toBe(expected);
  });
});

describe('a HelmRelease on an OCIRepository (spec.chartRef)', () => {
  const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: calico
  namespace: tigera-operator
spec:
  interval: 1h
  chartRef:
    kind: OCIRepository
    name: calico
  values:
    installation:
      calicoNetwork:
        ipPools:
          - cidr: 10.42.0.0/16
            natOutgoing: Maybe
`;
  const oci = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: calico
  namespace: tigera-operator
spec:
  interval: 12h
  url: oci://quay.io/tigera/charts/tigera-operator
  ref:
    tag: v3.29.0
`;

  it('takes the chart from the OCIRepository url, whatever the repository is named', () => {
    // Act
    const a = analyzeFiles({
      'apps/calico/helmrelease.yaml': release,
      'apps/calico/ocirepository.yaml': oci,
    });

    // Assert
    expect(where(withRule(a, 'install-shape'))).toEqual([
      `apps/calico/helmrelease.yaml:${posOf(release, 'Maybe')}`,
    ]);
  });

  it('reads nothing when the OCIRepository is not in the repository and its name is no watched chart (near miss)', () => {
    // Act
    const a = analyzeFiles({ 'apps/calico/helmrelease.yaml': release });

    // Assert
    expect(withRule(a, 'install-shape')).toEqual([]);
  });

  it("takes PureLB's version from the OCIRepository tag: 0.13 makes v1 ServiceGroups, so a v2 class is wrong", () => {
    // Arrange
    const purelb = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: purelb
  namespace: purelb-system
spec:
  interval: 1h
  chartRef:
    kind: OCIRepository
    name: purelb
  values:
    serviceGroup:
      create: true
      name: default
      spec:
        local:
          v4pools:
            - subnet: 192.168.1.0/24
              pool: 192.168.1.240-192.168.1.250
              aggregation: default
`;
    const source = (tag: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: purelb
  namespace: purelb-system
spec:
  url: oci://registry.gitlab.com/purelb/purelb/charts/purelb
  ref:
    tag: ${tag}
`;
    const svc = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: apps
spec:
  type: LoadBalancer
  loadBalancerClass: purelb.io/purelbv2
`;
    const files = (tag: string) => ({
      'apps/purelb/helmrelease.yaml': purelb,
      'apps/purelb/ocirepository.yaml': source(tag),
      'apps/web/service.yaml': svc,
    });

    // Act
    const old = analyzeFiles(files('0.13.0'));
    const current = analyzeFiles(files('v0.16.0'));

    // Assert
    expect(where(withRule(old, 'svc-lb-class'))).toEqual(['apps/web/service.yaml:8:22']);
    expect(withRule(current, 'svc-lb-class')).toEqual([]);
  });
});
