// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux ${VAR} placeholders are what these tests are about
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.ts';
import type { Analysis } from '../../src/engine.ts';
import { readNamedDocuments } from '../../src/gitops/configmaps.ts';
import { GITOPS_WATCH_WORDS, prepareGitOps, provenanceAt } from '../../src/gitops/index.ts';
import { loadFiles } from '../../src/manifests/load.ts';
import { renderText } from '../../src/render/text.ts';
import { analyzeFiles, analyzeFixture, readFixture, toFiles, where, withRule } from '../helpers.ts';

/** Rule and message of every finding: what must match between a GitOps tree and its plain equivalent. */
const ruleMessages = (a: Analysis) => a.findings.map((f) => `${f.rule}: ${f.message}`).sort();

const viewOf = (files: Record<string, string>) => {
  const sources = toFiles(files);
  return prepareGitOps(loadFiles(sources, undefined, GITOPS_WATCH_WORDS), DEFAULT_CONFIG, sources);
};

describe('a Flux tree with cluster-settings, a PureLB HelmRelease and a tigera-operator HelmRelease', () => {
  it('gives the same findings as the equivalent plain manifests', () => {
    // Arrange / Act
    const flux = analyzeFixture('gitops/flux-home');
    const plain = analyzeFixture('gitops/plain-home');

    // Assert
    expect(ruleMessages(flux).length).toBeGreaterThan(0);
    expect(ruleMessages(flux)).toEqual(ruleMessages(plain));
  });

  it('reports inside the HelmRelease values, on the ${VAR} that supplied the value', () => {
    // Arrange / Act
    const a = analyzeFixture('gitops/flux-home');

    // Assert
    expect(where(withRule(a, 'sg-pool-syntax'))).toEqual(['infrastructure/purelb/helmrelease.yaml:32:21']);
    expect(where(withRule(a, 'lb-pool-not-exported'))).toEqual([
      'infrastructure/purelb/helmrelease.yaml:29:21',
    ]);
    expect(where(withRule(a, 'install-shape'))).toEqual(['infrastructure/calico/tigera-operator.yaml:25:28']);
  });

  it('makes no finding on a placeholder and no value-unresolved notice when every variable is known', () => {
    // Arrange / Act
    const a = analyzeFixture('gitops/flux-home');

    // Assert
    expect(withRule(a, 'value-unresolved')).toEqual([]);
    expect(a.findings.filter((f) => f.message.includes('${'))).toEqual([]);
    expect(withRule(a, 'bgp-asnumber')).toEqual([]);
  });

  it('says which ConfigMap line supplied a substituted value', () => {
    // Arrange
    const files = readFixture('gitops/flux-home');
    const at = { file: 'infrastructure/purelb/helmrelease.yaml', line: 29, column: 21 };

    // Act
    const related = provenanceAt(viewOf(files), at);

    // Assert
    expect(related?.map((r) => `${r.file}:${r.line}:${r.column} ${r.message}`)).toEqual([
      'clusters/home/flux/cluster-settings.yaml:11:17 ${ROUTED_RANGE} = "10.50.0.0/28" from ConfigMap cluster-settings',
    ]);
  });

  it('carries the ConfigMap line into the analysis and the text output (the engine wiring, end to end)', () => {
    // Arrange
    const a = analyzeFixture('gitops/flux-home');

    // Act
    const text = renderText(a, { color: false, source: () => undefined });

    // Assert
    const finding = withRule(a, 'lb-pool-not-exported')[0]!;
    expect(finding.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toContain(
      'clusters/home/flux/cluster-settings.yaml:11:17',
    );
    expect(text).toContain(
      'related: clusters/home/flux/cluster-settings.yaml:11:17 ${ROUTED_RANGE} = "10.50.0.0/28" from ConfigMap cluster-settings',
    );
  });

  it('says which postBuild.substitute entry supplied a value', () => {
    // Arrange
    const files = readFixture('gitops/flux-home');

    // Act
    const related = provenanceAt(viewOf(files), {
      file: 'infrastructure/calico/ippools.yaml',
      line: 16,
      column: 13,
    });

    // Assert
    expect(related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual([
      'clusters/home/flux/infrastructure.yaml:15:16',
    ]);
  });
});

const kustomization = (
  substituteFrom = '      - kind: ConfigMap\n        name: cluster-settings\n',
) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra
  namespace: flux-system
spec:
  path: ./infra
  postBuild:
    substituteFrom:
${substituteFrom}`;

const settings = (lines: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
${lines}`;

const sgPlain = (pool: string) => `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: lan
  namespace: purelb-system
spec:
  local:
    v4pools:
      - subnet: 192.168.1.0/24
        pool: ${pool}
        aggregation: default
`;

describe('Flux substitution', () => {
  it('leaves a variable no ConfigMap defines unresolved: one value-unresolved notice naming it, no syntax error', () => {
    // Arrange
    const files = {
      'clusters/a/infra.yaml': kustomization(),
      'clusters/a/settings.yaml': settings('  OTHER: x\n'),
      'infra/sg.yaml': sgPlain('${LB_RANGE}'),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    const notices = withRule(a, 'value-unresolved');
    expect(where(notices)).toEqual(['infra/sg.yaml:10:15']);
    expect(notices[0]!.message).toContain('LB_RANGE');
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
  });

  it('never reads a Secret named in substituteFrom', () => {
    // Arrange
    const secret = `apiVersion: v1
kind: Secret
metadata:
  name: cluster-secrets
  namespace: flux-system
stringData:
  LB_RANGE: 192.168.1.300-192.168.1.310
`;
    const files = {
      'clusters/a/infra.yaml': kustomization('      - kind: Secret\n        name: cluster-secrets\n'),
      'clusters/a/secret.yaml': secret,
      'infra/sg.yaml': sgPlain('${LB_RANGE}'),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
    expect(where(withRule(a, 'value-unresolved'))).toEqual(['infra/sg.yaml:10:15']);
  });

  it('uses ${VAR:=default} and ${VAR:-default} when the variable is unset', () => {
    // Arrange
    const files = {
      'clusters/a/infra.yaml': kustomization(),
      'clusters/a/settings.yaml': settings('  OTHER: x\n'),
      'infra/sg.yaml': sgPlain('${LB_FROM:=192.168.1.250}-${LB_TO:-192.168.1.240}'),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'sg-pool-syntax'))).toEqual(['infra/sg.yaml:10:15']);
    expect(withRule(a, 'value-unresolved')).toEqual([]);
  });

  it('substitutes only files below the Kustomization path (a quiet near miss outside it)', () => {
    // Arrange
    const files = {
      'clusters/a/infra.yaml': kustomization(),
      'clusters/a/settings.yaml': settings('  LB_RANGE: 192.168.1.250-192.168.1.240\n'),
      'other/sg.yaml': sgPlain('${LB_RANGE}'),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
    expect(withRule(a, 'value-unresolved')).toHaveLength(1);
  });

  it('respects kustomize.toolkit.fluxcd.io/substitute: disabled', () => {
    // Arrange
    const sg = sgPlain('${LB_RANGE}').replace(
      '  namespace: purelb-system\n',
      '  namespace: purelb-system\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n',
    );
    const files = {
      'clusters/a/infra.yaml': kustomization(),
      'clusters/a/settings.yaml': settings('  LB_RANGE: 192.168.1.250-192.168.1.240\n'),
      'infra/sg.yaml': sg,
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
  });

  it("moves a plain resource to the Kustomization's targetNamespace, and says so on the finding", () => {
    // Arrange
    const infra = (ns: string) =>
      kustomization().replace('  path: ./infra\n', `  path: ./infra\n  targetNamespace: ${ns}\n`);
    const files = (ns: string) => ({
      'clusters/a/infra.yaml': infra(ns),
      'clusters/a/settings.yaml': settings('  OTHER: x\n'),
      'infra/sg.yaml': sgPlain('192.168.1.240-192.168.1.250'),
    });

    // Act
    const moved = analyzeFiles(files('lb'));
    const kept = analyzeFiles(files('purelb-system'));

    // Assert
    const found = withRule(moved, 'sg-namespace');
    expect(where(found)).toEqual(['infra/sg.yaml:5:14']);
    expect(found[0]!.message).toContain('namespace lb');
    expect(found[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['clusters/a/infra.yaml:8']);
    expect(withRule(kept, 'sg-namespace')).toEqual([]);
  });

  it('reads the named ConfigMaps straight from the files when given them (ConfigMap need not be a watch word)', () => {
    // Arrange
    const files = toFiles({
      'clusters/a/infra.yaml': kustomization(),
      'clusters/a/settings.yaml': settings('  LB_RANGE: 192.168.1.250-192.168.1.240\n'),
      'clusters/a/other.yaml': settings('  LB_RANGE: x\n').replace('cluster-settings', 'unrelated'),
      'infra/sg.yaml': sgPlain('${LB_RANGE}'),
    });
    const words = GITOPS_WATCH_WORDS.filter((w) => w !== 'ConfigMap');
    const loaded = loadFiles(files, undefined, words);

    // Act
    const view = prepareGitOps(loaded, DEFAULT_CONFIG, files);

    // Assert
    expect(loaded.others.some((o) => o.data.kind === 'ConfigMap')).toBe(false);
    const sg = view.resources.find((r) => r.kind === 'ServiceGroup')!;
    expect(sg.doc.source(['spec', 'local', 'v4pools', 0, 'pool'])).toBe('192.168.1.250-192.168.1.240');
    expect(provenanceAt(view, sg.doc.span(['spec', 'local', 'v4pools', 0, 'pool']))?.[0]?.file).toBe(
      'clusters/a/settings.yaml',
    );
  });

  it('substitutes Service annotations too: a requested address outside every pool is reported on the ${VAR}', () => {
    // Arrange
    const service = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
  annotations:
    purelb.io/service-group: lan
    purelb.io/addresses: \${WEB_IP}
spec:
  type: LoadBalancer
  ports:
    - port: 80
`;
    const files = (ip: string) => ({
      'clusters/a/infra.yaml': kustomization(),
      'clusters/a/settings.yaml': settings(`  WEB_IP: ${ip}\n`),
      'infra/sg.yaml': sgPlain('192.168.1.240-192.168.1.250'),
      'infra/web.yaml': service,
    });

    // Act
    const outside = analyzeFiles(files('192.168.1.20'));
    const inside = analyzeFiles(files('192.168.1.245'));

    // Assert
    expect(where(withRule(outside, 'svc-address-outside-pool'))).toEqual(['infra/web.yaml:8:26']);
    expect(withRule(inside, 'svc-address-outside-pool')).toEqual([]);
    expect(withRule(inside, 'value-unresolved')).toEqual([]);
  });

  it('parses only the ConfigMaps a substituteFrom names', () => {
    // Arrange
    const files = toFiles({
      'a.yaml': `${settings('  A: x\n')}---\n${settings('  B: y\n').replace('cluster-settings', 'grafana-dashboards')}`,
      'b.yaml': settings('  C: z\n').replace('cluster-settings', 'other'),
      'c.yaml': sgPlain('${A}'),
    });

    // Act
    const read = readNamedDocuments(files, 'ConfigMap', ['cluster-settings'], 1 << 20);

    // Assert
    expect(read.map((o) => `${o.doc.file}:${(o.data.metadata as { name: string }).name}`)).toEqual([
      'a.yaml:cluster-settings',
    ]);
  });

  it('returns the loaded resources untouched when the repository has nothing GitOps-shaped', () => {
    // Arrange: ConfigMaps, a kustomization.yaml without overlays, no Flux or Argo CD object
    const files = toFiles({
      'sg.yaml': sgPlain('192.168.1.240-192.168.1.250'),
      'kustomization.yaml': 'resources:\n  - sg.yaml\n  - settings.yaml\n',
      'settings.yaml': settings('  LB_RANGE: x\n'),
    });
    const loaded = loadFiles(files, undefined, GITOPS_WATCH_WORDS);

    // Act
    const view = prepareGitOps(loaded, DEFAULT_CONFIG, files);

    // Assert
    expect(loaded.stats.parsed).toBe(1);
    expect(view.resources).toBe(loaded.resources);
    expect(view.scopes).toBeUndefined();
    expect(view.provenance).toBeUndefined();
  });
});
