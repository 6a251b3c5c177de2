// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux ${VAR} placeholders are what these tests are about
import { describe, expect, it } from 'vitest';
import { matchesSelector } from '../../src/gitops/patches.ts';
import { analyzeFiles, where, withRule } from '../helpers.ts';

/** The parent `cluster-apps` Kustomization of onedr0p's cluster-template, patching its children. */
const clusterApps = (
  patch: string,
  target = '        group: kustomize.toolkit.fluxcd.io\n        kind: Kustomization\n',
) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  interval: 30m
  path: ./kubernetes/apps
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-settings
  patches:
    - patch: |-
${patch
  .split('\n')
  .map((l) => (l ? `        ${l}` : l))
  .join('\n')}
      target:
${target}`;

const smp = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: not-used
spec:
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-settings
      - kind: Secret
        name: cluster-secrets`;

const helmRelease = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: purelb
spec:
  chart:
    spec:
      chart: purelb
      version: 0.16.0
  values:
    serviceGroup:
      create: true
      spec:
        local:
          v4pools:
            - subnet: 192.168.1.0/24
              pool: \${LB_RANGE}
              aggregation: default
`;

const repo = (parent: string) => ({
  'kubernetes/flux/apps.yaml': parent,
  'kubernetes/flux/vars/cluster-settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  LB_RANGE: 192.168.1.250-192.168.1.240
`,
  'kubernetes/apps/kustomization.yaml': 'resources:\n  - ./network/purelb/ks.yaml\n',
  // The child has no postBuild of its own: only the parent's patch gives it the variables.
  'kubernetes/apps/network/purelb/ks.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: purelb
  namespace: flux-system
  labels:
    substitution.flux.home.arpa/enabled: "true"
spec:
  path: ./kubernetes/apps/network/purelb/app
`,
  'kubernetes/apps/network/purelb/app/helmrelease.yaml': helmRelease,
});

describe("a parent Kustomization's patches that give its children postBuild", () => {
  it('substitutes a child without postBuild from the ConfigMap the parent patch names', () => {
    // Arrange / Act
    const a = analyzeFiles(repo(clusterApps(smp)));

    // Assert
    const found = withRule(a, 'sg-pool-syntax');
    expect(where(found)).toEqual(['kubernetes/apps/network/purelb/app/helmrelease.yaml:17:21']);
    expect(found[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual([
      'kubernetes/flux/vars/cluster-settings.yaml:7',
    ]);
    expect(withRule(a, 'value-unresolved')).toEqual([]);
  });

  it('leaves the child unresolved when the patch targets other Kustomizations (near miss)', () => {
    // Arrange / Act
    const a = analyzeFiles(
      repo(clusterApps(smp, '        kind: Kustomization\n        name: "^(cilium|metallb)$"\n')),
    );

    // Assert
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
    expect(where(withRule(a, 'value-unresolved'))).toEqual([
      'kubernetes/apps/network/purelb/app/helmrelease.yaml:17:21',
    ]);
  });

  it('matches a label selector target', () => {
    // Arrange / Act
    const a = analyzeFiles(
      repo(
        clusterApps(
          smp,
          '        kind: Kustomization\n        labelSelector: substitution.flux.home.arpa/enabled=true\n',
        ),
      ),
    );

    // Assert
    expect(withRule(a, 'sg-pool-syntax')).toHaveLength(1);
  });

  it('reads a JSON6902 patch that adds substitute entries, and points at the patch line', () => {
    // Arrange
    const ops = `- op: add
  path: /spec/postBuild
  value:
    substitute:
      LB_RANGE: 192.168.1.250-192.168.1.241`;

    // Act
    const a = analyzeFiles(repo(clusterApps(ops)));

    // Assert
    const found = withRule(a, 'sg-pool-syntax');
    expect(found[0]!.message).toContain('192.168.1.241');
    expect(found[0]!.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual([
      'kubernetes/flux/apps.yaml:19:25',
    ]);
  });
});

describe('patch target selectors', () => {
  it('supports equality, inequality and existence', () => {
    // Arrange
    const labels = { app: 'purelb', tier: 'infra' };

    // Act / Assert
    expect(matchesSelector('app=purelb,tier==infra', labels)).toBe(true);
    expect(matchesSelector('app!=purelb', labels)).toBe(false);
    expect(matchesSelector('app,!missing', labels)).toBe(true);
    expect(matchesSelector('missing', labels)).toBe(false);
    expect(matchesSelector('missing!=x', labels)).toBe(true);
  });

  it('supports set-based terms as Kubernetes does: notin also matches a missing key', () => {
    // Arrange
    const labels = { app: 'purelb', tier: 'infra' };

    // Act / Assert
    expect(matchesSelector('app in (purelb, calico)', labels)).toBe(true);
    expect(matchesSelector('app in (calico)', labels)).toBe(false);
    expect(matchesSelector('app notin (calico),tier in (infra)', labels)).toBe(true);
    expect(matchesSelector('app notin (purelb)', labels)).toBe(false);
    expect(matchesSelector('substitution.flux.home.arpa/disabled notin (true)', labels)).toBe(true);
    expect(
      matchesSelector('substitution.flux.home.arpa/disabled notin (true)', {
        'substitution.flux.home.arpa/disabled': 'true',
      }),
    ).toBe(false);
    expect(matchesSelector('missing in (x)', labels)).toBe(false);
  });

  it('matches nothing with a selector Kubernetes would refuse', () => {
    // Act / Assert
    expect(matchesSelector('app in purelb', { app: 'purelb' })).toBe(false);
    expect(matchesSelector('app in ((purelb))', { app: 'purelb' })).toBe(false);
    expect(matchesSelector('=x', { app: 'purelb' })).toBe(false);
  });
});
