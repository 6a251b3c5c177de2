// A synthetic GitOps repository for the benchmark: several clusters, mostly Deployments and
// ConfigMaps of realistic size, and hundreds of ServiceGroups, IPPools and Services that agree
// (a clean repository is the common case, and the one that must be fast).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type CorpusOptions = {
  clusters: number;
  /** Apps per cluster; each app is a Deployment and a ConfigMap (about 50 lines each). */
  apps: number;
  /** ServiceGroups per cluster, each with its own /24 and a matching IPPool. */
  pools: number;
  /** LoadBalancer Services per cluster. */
  services: number;
};

/** About 21,600 documents: 20,000 Deployments and ConfigMaps, 1,600 watched resources. */
export const DEFAULT_CORPUS: CorpusOptions = { clusters: 4, apps: 2500, pools: 100, services: 200 };

export type Corpus = {
  files: Record<string, string>;
  counts: {
    documents: number;
    deployments: number;
    configMaps: number;
    serviceGroups: number;
    ipPools: number;
    services: number;
    calico: number;
  };
  bytes: number;
};

const subnetOf = (cluster: number, i: number) => `10.${cluster * 16 + (i >> 8)}.${i & 255}`;

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
  nginx.conf: |
    server {
      listen 8080;
${lines.join('\n')}
    }
`;
}

function serviceGroup(c: number, i: number): string {
  const s = subnetOf(c, i);
  return `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: sg-${i}
  namespace: purelb-system
spec:
  remote:
    v4pools:
      - subnet: ${s}.0/24
        pool: ${s}.0/24
        aggregation: /32
`;
}

function ipPool(c: number, i: number): string {
  return `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: purelb-${i}
spec:
  cidr: ${subnetOf(c, i)}.0/24
  disabled: true
  ipipMode: Never
  vxlanMode: Never
`;
}

function calico(c: number, pools: number): string {
  const adverts = Array.from(
    { length: pools },
    (_, i) => `    - cidr: ${subnetOf(c, i)}.0/24\n      communities: [purelb]`,
  );
  return `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 172.16.0.0/16
  blockSize: 26
  ipipMode: Never
  vxlanMode: CrossSubnet
  natOutgoing: true
---
apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: 64512
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
  peerIP: 192.168.${c}.1
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
    serviceGroups: 0,
    ipPools: 0,
    services: 0,
    calico: 0,
  };
  const clusters: string[] = [];
  for (let c = 0; c < options.clusters; c++) {
    const root = `clusters/c${c}`;
    clusters.push(`  c${c}: ["${root}/**"]`);
    for (let a = 0; a < options.apps; a++) {
      const app = `app-${a}`;
      files[`${root}/apps/${app}/deployment.yaml`] = deployment(c, app);
      files[`${root}/apps/${app}/configmap.yaml`] = configMap(app);
    }
    counts.deployments += options.apps;
    counts.configMaps += options.apps;
    // Ten ServiceGroups (and ten IPPools) per file, as people group them.
    for (let i = 0; i < options.pools; i += 10) {
      const n = Math.min(10, options.pools - i);
      const ids = Array.from({ length: n }, (_, k) => i + k);
      files[`${root}/infrastructure/purelb/servicegroups-${i / 10}.yaml`] = join3(
        ids.map((k) => serviceGroup(c, k)),
      );
      files[`${root}/infrastructure/calico/ippools-${i / 10}.yaml`] = join3(ids.map((k) => ipPool(c, k)));
    }
    counts.serviceGroups += options.pools;
    counts.ipPools += options.pools;
    files[`${root}/infrastructure/calico/bgp.yaml`] = calico(c, options.pools);
    counts.calico += 3;
    for (let i = 0; i < options.services; i++) {
      files[`${root}/apps/lb-${i}/service.yaml`] = service(i, Math.max(1, options.pools));
    }
    counts.services += options.services;
  }
  files['.github/lbguard.yml'] = `clusters:\n${clusters.join('\n')}\n`;
  counts.documents =
    counts.deployments +
    counts.configMaps +
    counts.serviceGroups +
    counts.ipPools +
    counts.services +
    counts.calico;
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
