// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the corpus is full of Flux ${VAR} placeholders
// A synthetic Flux repository for the benchmark, laid out like the public homelab and platform
// repositories: clusters/<name>/flux-system bootstraps Flux, Kustomizations per cluster substitute
// `${VAR}` from a cluster-settings ConfigMap (and a Secret that is never read), PureLB and
// tigera-operator come as HelmReleases, and ServiceGroup pools and IPPool cidrs are placeholders.
// Mostly Deployments and ConfigMaps of realistic size, each app with its kustomization.yaml; the
// watched resources agree, because a clean repository is the common case and the one that must be fast.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type CorpusOptions = {
  clusters: number;
  /** Apps per cluster; each app is a Deployment, a ConfigMap (about 50 lines each) and a kustomization.yaml. */
  apps: number;
  /** ServiceGroups per cluster, each with its own /24 (a `${VAR}`) and a matching IPPool. */
  pools: number;
  /** LoadBalancer Services per cluster. */
  services: number;
};

/** About 33,000 documents: 30,000 app documents (Deployments, ConfigMaps, kustomization.yaml), 1,600 watched. */
export const DEFAULT_CORPUS: CorpusOptions = { clusters: 4, apps: 2500, pools: 100, services: 200 };

export type Corpus = {
  files: Record<string, string>;
  counts: {
    documents: number;
    deployments: number;
    configMaps: number;
    /** kustomize kustomization.yaml files (one per app and per infrastructure folder). */
    kustomizeFiles: number;
    /** ServiceGroups, one per cluster made by the PureLB HelmRelease's values. */
    serviceGroups: number;
    ipPools: number;
    services: number;
    /** BGPConfiguration, BGPPeer and the Installation the tigera-operator HelmRelease makes, per cluster. */
    calico: number;
    /** Resources made by chart values (one ServiceGroup, one Installation per cluster): no documents. */
    fromCharts: number;
    /** Flux objects: GitRepository, Kustomizations, HelmRepositories, HelmReleases, cluster-settings. */
    flux: number;
  };
  bytes: number;
};

const subnetOf = (cluster: number, i: number) => `10.${cluster * 16 + (i >> 8)}.${i & 255}.0/24`;
const lbVar = (i: number) => `LB_SUBNET_${i}`;

function deployment(c: number, app: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${app}
  labels:
    app.kubernetes.io/name: ${app}
    app.kubernetes.io/part-of: cluster-${c}
spec:
  replicas: 2
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app}
      annotations:
        checksum/config: 3f2a9c0d7b1e4a6f8c2d5e7f9a0b1c3d
    spec:
      serviceAccountName: ${app}
      securityContext:
        runAsNonRoot: true
        fsGroup: 2000
      containers:
        - name: ${app}
          image: ghcr.io/example/${app}:1.4.2
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: TZ
              value: \${TIMEZONE}
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: ${app}-db
                  key: url
          envFrom:
            - configMapRef:
                name: ${app}-config
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 256Mi }
          readinessProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 10
          volumeMounts:
            - name: config
              mountPath: /etc/${app}
      volumes:
        - name: config
          configMap:
            name: ${app}-config
`;
}

function configMap(app: string): string {
  const lines = Array.from(
    { length: 18 },
    (_, i) => `      location /api/v${i} {\n        proxy_pass http://127.0.0.1:8080/v${i};\n      }`,
  );
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config
  namespace: ${app}
data:
  LOG_FORMAT: json
  PUBLIC_HOST: ${app}.\${SECRET_DOMAIN}
  nginx.conf: |
    server {
      listen 8080;
${lines.join('\n')}
    }
`;
}

const kustomizeFile = (resources: string[]) => `---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
${resources.map((r) => `  - ./${r}`).join('\n')}
`;

/** The bootstrap Flux writes (gotk-sync.yaml) and the Kustomizations the cluster folder adds. */
function fluxSystem(c: number): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  url: ssh://git@github.com/example/home-ops
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m0s
  path: ./clusters/c${c}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
}

function clusterKustomization(name: string, path: string, dependsOn?: string): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
${dependsOn ? `  dependsOn:\n    - name: ${dependsOn}\n` : ''}  postBuild:
    substitute:
      BGP_ASN: "64512"
    substituteFrom:
      - kind: ConfigMap
        name: cluster-settings
      - kind: Secret
        name: cluster-secrets
`;
}

function clusterSettings(c: number, pools: number): string {
  const lb = Array.from({ length: pools }, (_, i) => `  ${lbVar(i)}: ${subnetOf(c, i)}`);
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  TIMEZONE: Europe/Berlin
  CLUSTER_NAME: c${c}
  POD_CIDR: 172.16.0.0/16
  PEER_IP: 192.168.${c}.1
${lb.join('\n')}
`;
}

/** The PureLB chart, with the first ServiceGroup made by its values. */
function pureLbRelease(c: number): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: purelb
  namespace: flux-system
spec:
  interval: 12h
  url: https://gitlab.com/api/v4/projects/20400619/packages/helm/stable
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: purelb
  namespace: purelb-system
  labels:
    cluster: c${c}
spec:
  interval: 30m
  chart:
    spec:
      chart: purelb
      version: 0.16.0
      sourceRef:
        kind: HelmRepository
        name: purelb
        namespace: flux-system
  values:
    serviceGroup:
      create: true
      name: sg-0
      spec:
        remote:
          v4pools:
            - subnet: \${${lbVar(0)}}
              pool: \${${lbVar(0)}}
              aggregation: /32
`;
}

function tigeraRelease(): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: projectcalico
  namespace: flux-system
spec:
  interval: 12h
  url: https://docs.tigera.io/calico/charts
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: tigera-operator
  namespace: tigera-operator
spec:
  interval: 30m
  chart:
    spec:
      chart: tigera-operator
      version: v3.30.2
      sourceRef:
        kind: HelmRepository
        name: projectcalico
        namespace: flux-system
  values:
    installation:
      enabled: true
      calicoNetwork:
        bgp: Enabled
        ipPools:
          - name: pods
            cidr: \${POD_CIDR}
            blockSize: 26
            encapsulation: VXLANCrossSubnet
            natOutgoing: Enabled
`;
}

function serviceGroup(i: number): string {
  return `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: sg-${i}
  namespace: purelb-system
spec:
  remote:
    v4pools:
      - subnet: \${${lbVar(i)}}
        pool: \${${lbVar(i)}}
        aggregation: /32
`;
}

function ipPool(i: number): string {
  return `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: purelb-${i}
spec:
  cidr: \${${lbVar(i)}}
  disabled: true
  ipipMode: Never
  vxlanMode: Never
`;
}

function bgp(c: number, pools: number): string {
  const adverts = Array.from(
    { length: pools },
    (_, i) => `    - cidr: ${subnetOf(c, i)}\n      communities: [purelb]`,
  );
  return `apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: \${BGP_ASN}
  nodeToNodeMeshEnabled: false
  communities:
    - name: purelb
      value: "64512:100"
  prefixAdvertisements:
${adverts.join('\n')}
---
apiVersion: crd.projectcalico.org/v1
kind: BGPPeer
metadata:
  name: tor
spec:
  peerIP: \${PEER_IP}
  asNumber: 65001
`;
}

function service(i: number, pools: number): string {
  const g = i % pools;
  return `apiVersion: v1
kind: Service
metadata:
  name: lb-${i}
  namespace: lb-${i}
  annotations:
    purelb.io/service-group: sg-${g}
spec:
  type: LoadBalancer
  loadBalancerClass: purelb.io/purelbv2
  selector:
    app.kubernetes.io/name: app-${i}
  ports:
    - name: https
      port: 443
      targetPort: 8443
`;
}

const join3 = (docs: string[]) => docs.join('---\n');

export function generateCorpus(options: CorpusOptions = DEFAULT_CORPUS): Corpus {
  const files: Record<string, string> = {};
  const counts: Corpus['counts'] = {
    documents: 0,
    deployments: 0,
    configMaps: 0,
    kustomizeFiles: 0,
    serviceGroups: 0,
    ipPools: 0,
    services: 0,
    calico: 0,
    fromCharts: 0,
    flux: 0,
  };
  const pools = Math.max(1, options.pools);
  for (let c = 0; c < options.clusters; c++) {
    const cl = `clusters/c${c}`;
    files[`${cl}/flux-system/gotk-sync.yaml`] = fluxSystem(c);
    files[`${cl}/infrastructure.yaml`] = clusterKustomization('infrastructure', `./infrastructure/c${c}`);
    files[`${cl}/apps.yaml`] = clusterKustomization('apps', `./apps/c${c}`, 'infrastructure');
    files[`${cl}/cluster-settings.yaml`] = clusterSettings(c, pools);
    counts.flux += 5; // GitRepository, 3 Kustomizations, cluster-settings

    const infra = `infrastructure/c${c}`;
    files[`${infra}/purelb/helmrelease.yaml`] = pureLbRelease(c);
    files[`${infra}/calico/tigera-operator.yaml`] = tigeraRelease();
    counts.flux += 4; // 2 HelmRepositories, 2 HelmReleases
    counts.serviceGroups += 1; // made by the PureLB chart's values: no document of its own
    counts.calico += 1; // the Installation, made by the tigera-operator chart's values
    counts.fromCharts += 2;
    const purelbFiles = ['helmrelease.yaml'];
    const calicoFiles = ['tigera-operator.yaml', 'bgp.yaml'];
    // Ten ServiceGroups (and ten IPPools) per file, as people group them; sg-0 comes from the chart.
    for (let i = 0; i < pools; i += 10) {
      const ids = Array.from({ length: Math.min(10, pools - i) }, (_, k) => i + k);
      const groups = ids.filter((k) => k > 0);
      if (groups.length) {
        files[`${infra}/purelb/servicegroups-${i / 10}.yaml`] = join3(groups.map(serviceGroup));
        purelbFiles.push(`servicegroups-${i / 10}.yaml`);
      }
      files[`${infra}/calico/ippools-${i / 10}.yaml`] = join3(ids.map(ipPool));
      calicoFiles.push(`ippools-${i / 10}.yaml`);
    }
    counts.serviceGroups += pools - 1;
    counts.ipPools += pools;
    files[`${infra}/calico/bgp.yaml`] = bgp(c, pools);
    counts.calico += 2;
    files[`${infra}/purelb/kustomization.yaml`] = kustomizeFile(purelbFiles);
    files[`${infra}/calico/kustomization.yaml`] = kustomizeFile(calicoFiles);
    files[`${infra}/kustomization.yaml`] = kustomizeFile(['purelb', 'calico']);
    counts.kustomizeFiles += 3;

    const apps = `apps/c${c}`;
    const appDirs: string[] = [];
    for (let a = 0; a < options.apps; a++) {
      const app = `app-${a}`;
      files[`${apps}/${app}/deployment.yaml`] = deployment(c, app);
      files[`${apps}/${app}/configmap.yaml`] = configMap(app);
      files[`${apps}/${app}/kustomization.yaml`] = kustomizeFile(['deployment.yaml', 'configmap.yaml']);
      appDirs.push(app);
    }
    counts.deployments += options.apps;
    counts.configMaps += options.apps;
    for (let i = 0; i < options.services; i++) {
      files[`${apps}/lb-${i}/service.yaml`] = service(i, pools);
      files[`${apps}/lb-${i}/kustomization.yaml`] = kustomizeFile(['service.yaml']);
      appDirs.push(`lb-${i}`);
    }
    counts.services += options.services;
    files[`${apps}/kustomization.yaml`] = kustomizeFile(appDirs);
    counts.kustomizeFiles += options.apps + options.services + 1;
  }
  // No clusters key: the scopes come from the Flux layout (clusters: auto by default).
  files['.github/lbguard.yml'] = 'failOn: all\n';
  counts.documents =
    counts.deployments +
    counts.configMaps +
    counts.kustomizeFiles +
    counts.serviceGroups +
    counts.ipPools +
    counts.services +
    counts.calico +
    counts.flux -
    counts.fromCharts;
  let bytes = 0;
  for (const text of Object.values(files)) bytes += Buffer.byteLength(text);
  return { files, counts, bytes };
}

/** Writes the corpus under `dir` (emptied first). */
export function writeCorpus(dir: string, corpus: Corpus): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(corpus.files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}
