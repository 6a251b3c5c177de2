// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux ${VAR} placeholders are what these tests are about
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.ts';
import { GITOPS_WATCH_WORDS, prepareGitOps, provenanceAt } from '../../src/gitops/index.ts';
import { loadFiles } from '../../src/manifests/load.ts';
import { renderCheckRun } from '../../src/render/checkrun.ts';
import { renderText } from '../../src/render/text.ts';
import { analyzeFiles, toFiles, where, withRule } from '../helpers.ts';

const scopesOf = (files: Record<string, string>) => {
  const sources = toFiles(files);
  const view = prepareGitOps(loadFiles(sources, undefined, GITOPS_WATCH_WORDS), DEFAULT_CONFIG, sources);
  return view.scopes?.map((s) => `${s.name}:${[...s.files].sort().join(',')}`);
};

const fluxSystem = (cluster: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  path: ./clusters/${cluster}
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-settings
`;

const settings = (range: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  LB_RANGE: ${range}
`;

const group = (pool: string) => `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb-system
spec:
  local:
    v4pools:
      - subnet: 192.168.1.0/24
        pool: ${pool}
        aggregation: default
`;

/** Two clusters with the same address plan, each in its own folder. */
const twoClusters = {
  'clusters/alpha/flux-system/gotk-sync.yaml': fluxSystem('alpha'),
  'clusters/alpha/settings.yaml': settings('192.168.1.240-192.168.1.250'),
  'clusters/alpha/purelb/sg.yaml': group('${LB_RANGE}'),
  'clusters/beta/flux-system/gotk-sync.yaml': fluxSystem('beta'),
  'clusters/beta/settings.yaml': settings('192.168.1.240-192.168.1.250'),
  'clusters/beta/purelb/sg.yaml': group('${LB_RANGE}'),
};

const calico = (cluster: string) => `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: lb-${cluster}
spec:
  cidr: 192.168.1.0/24
  disabled: true
---
apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: 64512
`;

const web = (cluster: string) => `apiVersion: v1
kind: Service
metadata:
  name: web-${cluster}
  namespace: web
  annotations:
    purelb.io/addresses: 192.168.1.245
spec:
  type: LoadBalancer
  ports:
    - port: 443
`;

/** Two full clusters with the same address plan: pools, IPPools and a Service requesting the same address. */
const twoFullClusters = {
  ...twoClusters,
  'clusters/alpha/calico/ippools.yaml': calico('alpha'),
  'clusters/alpha/apps/web.yaml': web('alpha'),
  'clusters/beta/calico/ippools.yaml': calico('beta'),
  'clusters/beta/apps/web.yaml': web('beta'),
};

describe('clusters: auto from Flux entry points', () => {
  it('makes no cross-cluster finding for two full clusters with the same address plan', () => {
    // Arrange / Act
    const a = analyzeFiles(twoFullClusters);

    // Assert
    expect(a.scopes.map((s) => s.name)).toEqual(['alpha', 'beta']);
    expect(a.findings.filter((f) => f.severity !== 'notice')).toEqual([]);
  });

  it('finds the IPPool, ServiceGroup and address conflicts once the two are one scope (near miss)', () => {
    // Arrange / Act
    const a = analyzeFiles(twoFullClusters, { clusters: { all: ['**'] } });

    // Assert
    const rules = new Set(a.findings.map((f) => f.rule));
    for (const r of ['ippool-overlap', 'sg-duplicate-name', 'svc-address-conflict'])
      expect(rules).toContain(r);
  });

  it('names both clusters in one line of the check-run summary', () => {
    // Arrange
    const a = analyzeFiles(twoFullClusters);

    // Act
    const out = renderCheckRun({
      findings: a.findings,
      pools: a.pools,
      scopes: a.scopes,
      countAll: true,
      context: 'test',
    });

    // Assert
    expect(out.summary).toContain(
      'Checked as 2 separate scopes: **alpha** (5 files), **beta** (5 files). `lbguard scopes` shows why.\n',
    );
  });

  it('makes no cross-cluster findings for two clusters with overlapping address plans', () => {
    // Arrange / Act
    const a = analyzeFiles(twoClusters);

    // Assert
    expect(a.scopes.map((s) => s.name)).toEqual(['alpha', 'beta']);
    expect(withRule(a, 'sg-pool-overlap')).toEqual([]);
    expect(withRule(a, 'sg-duplicate-name')).toEqual([]);
    expect(withRule(a, 'value-unresolved')).toEqual([]);
  });

  it('finds the overlap when the config puts everything in one scope (near miss)', () => {
    // Arrange / Act
    const a = analyzeFiles(twoClusters, { clusters: { all: ['**'] } });

    // Assert
    expect(withRule(a, 'sg-duplicate-name').length).toBeGreaterThan(0);
  });

  it('names both clusters and why in the text summary', () => {
    // Arrange
    const a = analyzeFiles(twoClusters);

    // Act
    const text = renderText(a, { color: false, source: () => undefined });

    // Assert
    expect(text).toMatch(/alpha\b.*Flux entry point clusters\/alpha/);
    expect(text).toMatch(/beta\b.*Flux entry point clusters\/beta/);
  });

  it('substitutes each cluster with its own cluster-settings', () => {
    // Arrange
    const files = { ...twoClusters, 'clusters/beta/settings.yaml': settings('192.168.1.250-192.168.1.240') };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'sg-pool-syntax'))).toEqual(['clusters/beta/purelb/sg.yaml:10:15']);
    expect(withRule(a, 'sg-pool-syntax')[0]!.scope).toBe('beta');
  });

  it('groups Kustomizations under clusters/<name>/flux and reaches shared folders through spec.path', () => {
    // Arrange
    const infra = (cluster: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infrastructure
  namespace: flux-system
spec:
  path: ./infrastructure/${cluster}
`;
    const files = {
      'clusters/alpha/flux/infrastructure.yaml': infra('alpha'),
      'clusters/beta/flux/infrastructure.yaml': infra('beta'),
      'infrastructure/alpha/sg.yaml': group('192.168.1.240-192.168.1.250'),
      'infrastructure/beta/sg.yaml': group('192.168.1.240-192.168.1.250'),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.scopes.map((s) => `${s.name}:${s.files}`)).toEqual(['alpha:2', 'beta:2']);
    expect(withRule(a, 'sg-duplicate-name')).toEqual([]);
  });

  it('keeps one copy per cluster of a shared file that the clusters substitute differently', () => {
    // Arrange
    const infra = (cluster: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infrastructure
  namespace: flux-system
spec:
  path: ./infrastructure
  postBuild:
    substitute:
      LB_RANGE: ${cluster === 'alpha' ? '192.168.1.240-192.168.1.250' : '192.168.1.10-192.168.1.20'}
`;
    const files = {
      'clusters/alpha/flux/infrastructure.yaml': infra('alpha'),
      'clusters/beta/flux/infrastructure.yaml': infra('beta'),
      'infrastructure/sg.yaml': group('${LB_RANGE}'),
    };

    // Act
    const view = prepareGitOps(loadFiles(toFiles(files), undefined, GITOPS_WATCH_WORDS), DEFAULT_CONFIG);

    // Assert
    const copies = view.resources.filter((r) => r.kind === 'ServiceGroup');
    expect(
      copies.map((r) => (r.data.spec as { local: { v4pools: { pool: string }[] } }).local.v4pools[0]!.pool),
    ).toEqual(['192.168.1.240-192.168.1.250', '192.168.1.10-192.168.1.20']);
    expect(copies.map((r) => [...(view.onlyIn?.get(r) ?? [])])).toEqual([['alpha'], ['beta']]);
    const spans = copies.map((r) => r.doc.span(['spec', 'local', 'v4pools', 0, 'pool']));
    expect(spans.map((s) => `${s.line}:${s.column}`)).toEqual(['10:15', '10:15']);
    expect(provenanceAt(view, spans[1]!, 'beta')?.map((x) => `${x.file}:${x.line}`)).toEqual([
      'clusters/beta/flux/infrastructure.yaml:10',
    ]);
  });
});

const kustomization = (resources: string[]) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
${resources.map((r) => `  - ${r}`).join('\n')}
`;

describe('clusters from kustomize roots', () => {
  it('makes one scope per overlay, each with the base it builds on', () => {
    // Arrange
    const files = {
      'base/kustomization.yaml': kustomization(['sg.yaml']),
      'base/sg.yaml': group('192.168.1.240-192.168.1.250'),
      'overlays/prod/kustomization.yaml': kustomization(['../../base', 'extra.yaml']),
      'overlays/prod/extra.yaml': group('192.168.1.245-192.168.1.246').replace(
        'name: default',
        'name: extra',
      ),
      'overlays/lab/kustomization.yaml': kustomization(['../../base']),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.scopes.map((s) => `${s.name}:${s.reason}`)).toEqual([
      'overlays/lab:kustomize root overlays/lab/kustomization.yaml',
      'overlays/prod:kustomize root overlays/prod/kustomization.yaml',
    ]);
    expect(where(withRule(a, 'sg-pool-overlap')).length).toBeGreaterThan(0);
    expect(withRule(a, 'sg-pool-overlap').every((f) => f.scope === 'overlays/prod')).toBe(true);
  });

  it('reads kustomization.yaml files that name no kind when given every file', () => {
    // Arrange
    const files = {
      'base/kustomization.yaml': 'resources:\n  - sg.yaml\n',
      'base/sg.yaml': group('192.168.1.240-192.168.1.250'),
      'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n  - deploy.yaml\n',
      'overlays/prod/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n',
    };

    // Act
    const scopes = scopesOf(files);

    // Assert
    expect(scopes).toEqual([
      'overlays/prod:base/kustomization.yaml,base/sg.yaml,overlays/prod/deploy.yaml,overlays/prod/kustomization.yaml',
    ]);
  });

  it('keeps the single default scope for kustomization files without overlays (near miss)', () => {
    // Arrange
    const files = {
      'purelb/kustomization.yaml': kustomization(['sg.yaml']),
      'purelb/sg.yaml': group('192.168.1.240-192.168.1.250'),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.scopes.map((s) => s.name)).toEqual(['default']);
  });

  it('uses kustomize roots when the config says clusters: auto', () => {
    // Arrange
    const files = {
      'purelb/kustomization.yaml': kustomization(['sg.yaml']),
      'purelb/sg.yaml': group('192.168.1.240-192.168.1.250'),
    };

    // Act
    const a = analyzeFiles(files, { clusters: 'auto' });

    // Assert
    expect(a.scopes.map((s) => s.name)).toEqual(['purelb']);
  });
});

/** A Flux Kustomization on a source (by default the OCIRepository `flux-system`). */
const ociKs = (
  name: string,
  path: string,
  kind = 'OCIRepository',
  source = 'flux-system',
) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  path: ${path}
  sourceRef:
    kind: ${kind}
    name: ${source}
`;

const LB_GROUP = `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb-system
spec:
  local:
    v4pools:
      - subnet: 192.168.5.0/24
        pool: 192.168.5.240-192.168.5.250
        aggregation: default
`;

describe('a repository that reaches its cluster as an OCI artifact (flux push artifact in CI)', () => {
  it('reads the OCIRepository its bootstrap applies its own file from as this repository', () => {
    // Act
    const a = analyzeFiles({
      'kubernetes/flux/cluster/ks.yaml': `${ociKs('cluster', './kubernetes/flux/cluster')}---\n${ociKs('apps', './kubernetes/apps')}`,
      'kubernetes/apps/purelb/servicegroup.yaml': LB_GROUP,
    });

    // Assert: one cluster holding the apps; no Kustomization is a remote source.
    expect(a.scopes.map((s) => `${s.name}:${[...s.paths].sort().join(',')}`)).toEqual([
      'kubernetes:kubernetes/apps/purelb/servicegroup.yaml,kubernetes/flux/cluster/ks.yaml',
    ]);
    expect(a.findings.map((f) => f.rule)).toEqual(['calico-not-in-scope']);
  });

  it("still reads another OCIRepository as a remote source (near miss: Flux's own manifests stay quiet)", () => {
    // Act
    const a = analyzeFiles({
      'kubernetes/flux/cluster/ks.yaml': `${ociKs('cluster', './kubernetes/flux/cluster')}---\n${ociKs('apps', './kubernetes/apps')}---\n${ociKs('vendor', './', 'OCIRepository', 'vendor-pools')}`,
      'kubernetes/apps/purelb/servicegroup.yaml': LB_GROUP,
    });

    // Assert
    expect(a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual([
      'calico-not-in-scope kubernetes/apps/purelb/servicegroup.yaml:4:9',
      'value-unresolved kubernetes/flux/cluster/ks.yaml:32:11',
    ]);
  });
});

describe('a repository pushed as an OCI artifact of one folder (flux push artifact --path=./kubernetes)', () => {
  it('reads the paths from that folder: the cluster holds its apps, and an archived Kustomization stays a leftover', () => {
    // Act
    const a = analyzeFiles({
      'kubernetes/clusters/edge/ks.yaml': `${ociKs('cluster', './apps/edge')}---\n${ociKs('infra', './infra/edge')}`,
      'kubernetes/apps/edge/purelb.yaml': LB_GROUP,
      'kubernetes/infra/edge/kustomization.yaml': 'resources: []\n',
      '.archive/old/ks.yaml': ociKs('old', './apps/old'),
    });

    // Assert: no remote-source notice; the cluster is named after its folder.
    expect(a.scopes.map((s) => `${s.name}:${[...s.paths].sort().join(',')}`)).toEqual([
      'edge:kubernetes/apps/edge/purelb.yaml,kubernetes/clusters/edge/ks.yaml,kubernetes/infra/edge/kustomization.yaml',
      'default:.archive/old/ks.yaml',
    ]);
    expect(a.findings.map((f) => f.rule)).toEqual(['calico-not-in-scope']);
  });

  it('does not guess from one stray path (near miss): the OCIRepository stays a remote source', () => {
    // Act
    const a = analyzeFiles({
      'kubernetes/clusters/edge/ks.yaml': ociKs('cluster', './apps/edge'),
      'kubernetes/apps/edge/purelb.yaml': LB_GROUP,
    });

    // Assert
    expect(a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toContain(
      'value-unresolved kubernetes/clusters/edge/ks.yaml:10:11',
    );
  });
});

describe('app Kustomizations the cluster does not list, beside a sure entry point', () => {
  it('are leftovers in default, not clusters named after the app', () => {
    // Act
    const a = analyzeFiles({
      'clusters/prod/apps.yaml': ociKs('apps', './apps/prod', 'GitRepository', 'flux-system'),
      'apps/prod/kustomization.yaml': 'resources:\n  - ../base/purelb\n',
      'apps/base/purelb/servicegroup.yaml': LB_GROUP,
      'apps/base/unused/ks.yaml': ociKs('unused', './apps/base/unused/app', 'GitRepository', 'flux-system'),
      'apps/base/unused/app/service.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  type: LoadBalancer\n',
    });

    // Assert
    expect(a.scopes.map((s) => s.name)).toEqual(['prod', 'default']);
  });

  it('still found their own cluster where no sure entry point exists (near miss)', () => {
    // Act
    const a = analyzeFiles({
      'apps/base/unused/ks.yaml': ociKs('unused', './apps/base/unused/app', 'GitRepository', 'flux-system'),
      'apps/base/unused/app/service.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  type: LoadBalancer\n',
    });

    // Assert
    expect(a.scopes.map((s) => s.name)).not.toEqual(['default']);
  });
});

describe('a Kustomization on an ExternalArtifact of another namespace (sourceRef.namespace)', () => {
  it('finds the artifact the generator makes in that namespace', () => {
    // Arrange
    const generator = `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: apps
  namespace: flux-system
spec:
  sources:
    - alias: repo
      kind: GitRepository
      name: flux-system
  artifacts:
    - name: purelb
      copy:
        - from: "@repo/apps/purelb/"
          to: "@artifact/"
`;
    const ks = ociKs('purelb', './purelb', 'ExternalArtifact', 'purelb')
      .replace('namespace: flux-system\nspec', 'namespace: purelb-system\nspec')
      .replace('name: purelb\n`', 'name: purelb\n')
      .concat('    namespace: flux-system\n');

    // Act
    const a = analyzeFiles({
      'clusters/prod/generator.yaml': generator,
      'clusters/prod/purelb.yaml': ks,
      'apps/purelb/servicegroup.yaml': LB_GROUP,
    });

    // Assert: the ServiceGroup is in the prod cluster, and no Kustomization is a remote source.
    expect(a.scopes.map((s) => `${s.name}:${[...s.paths].sort().join(',')}`)).toEqual([
      'prod:apps/purelb/servicegroup.yaml,clusters/prod/generator.yaml,clusters/prod/purelb.yaml',
    ]);
    expect(a.findings.map((f) => f.rule)).toEqual(['calico-not-in-scope']);
  });
});
