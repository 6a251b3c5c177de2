// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux ${VAR} placeholders are what these tests are about
import { describe, expect, it } from 'vitest';
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
  it('takes v2 semantics from a chart version >= 0.15 (a v2 group outside purelb-system warns)', () => {
    // Arrange
    const text = helmRelease('purelb', '0.15.2', v2Values).replace(
      'namespace: purelb-system',
      'namespace: lb',
    );

    // Act
    const a = analyzeFiles({ 'infra/purelb.yaml': text });

    // Assert
    expect(withRule(a, 'sg-namespace')).toHaveLength(1);
    expect(withRule(a, 'sg-namespace')[0]!.file).toBe('infra/purelb.yaml');
  });

  it('takes v1 semantics from an older chart version (no v2-only namespace warning)', () => {
    // Arrange
    const text = helmRelease('purelb', '0.13.0', v2Values).replace(
      'namespace: purelb-system',
      'namespace: lb',
    );

    // Act
    const a = analyzeFiles({ 'infra/purelb.yaml': text });

    // Assert
    expect(withRule(a, 'sg-namespace')).toEqual([]);
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
