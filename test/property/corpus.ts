// Valid manifests of every watched kind, the starting point of the mutation properties.
import fc from 'fast-check';

export const BASE: Record<string, unknown>[] = [
  {
    apiVersion: 'purelb.io/v2',
    kind: 'ServiceGroup',
    metadata: { name: 'default', namespace: 'purelb-system' },
    spec: {
      remote: {
        v4pools: [{ subnet: '172.30.200.0/24', pool: '172.30.200.0/24', aggregation: '/32' }],
        v6pools: [
          {
            subnet: '2001:470:8bf5:2::/64',
            pool: '2001:470:8bf5:2::1-2001:470:8bf5:2::ff',
            aggregation: '/128',
          },
        ],
      },
    },
  },
  {
    apiVersion: 'purelb.io/v1',
    kind: 'ServiceGroup',
    metadata: { name: 'lan', namespace: 'purelb' },
    spec: {
      local: { subnet: '192.168.1.0/24', pool: '192.168.1.240-192.168.1.250', aggregation: 'default' },
    },
  },
  {
    apiVersion: 'purelb.io/v1',
    kind: 'ServiceGroup',
    metadata: { name: 'media', namespace: 'purelb' },
    spec: {
      local: {
        v4pools: [{ subnet: '10.50.0.0/24', pool: '10.50.0.10-10.50.0.50', aggregation: '/32' }],
        v6pool: { subnet: 'fd00:50::/64', pool: 'fd00:50::10-fd00:50::50', aggregation: '/128' },
      },
    },
  },
  {
    apiVersion: 'purelb.io/v2',
    kind: 'ServiceGroup',
    metadata: { name: 'office', namespace: 'purelb-system' },
    spec: {
      local: {
        multiPool: true,
        v4pools: [
          { subnet: '192.168.2.0/24', pool: '192.168.2.100 - 192.168.2.120', aggregation: 'default' },
        ],
      },
    },
  },
  {
    apiVersion: 'purelb.io/v2',
    kind: 'LBNodeAgent',
    metadata: { name: 'default', namespace: 'purelb-system' },
    spec: { local: { localInterface: 'default', dummyInterface: 'kube-lb0' } },
  },
  {
    apiVersion: 'purelb.io/v1',
    kind: 'LBNodeAgent',
    metadata: { name: 'default', namespace: 'purelb' },
    spec: { local: { localint: 'default', extlbint: 'kube-lb0' } },
  },
  {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'IPPool',
    metadata: { name: 'purelb-ipv4' },
    spec: { cidr: '172.30.200.0/24', disabled: true, ipipMode: 'Never', vxlanMode: 'Never', blockSize: 26 },
  },
  {
    apiVersion: 'projectcalico.org/v3',
    kind: 'IPPool',
    metadata: { name: 'pods' },
    spec: { cidr: '10.244.0.0/16', blockSize: 26, allowedUses: ['Workload', 'Tunnel'], natOutgoing: true },
  },
  {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'BGPConfiguration',
    metadata: { name: 'default' },
    spec: {
      asNumber: 64512,
      nodeToNodeMeshEnabled: false,
      serviceClusterIPs: [{ cidr: '10.96.0.0/12' }],
      communities: [{ name: 'purelb', value: '64512:100' }],
      prefixAdvertisements: [{ cidr: '172.30.200.0/24', communities: ['purelb', '64512:200'] }],
      ignoredInterfaces: ['eth9'],
    },
  },
  {
    apiVersion: 'projectcalico.org/v3',
    kind: 'IPPool',
    metadata: { name: 'purelb-media' },
    spec: { cidr: '10.50.0.0/24', disabled: true, ipipMode: 'Never', vxlanMode: 'Never' },
  },
  {
    apiVersion: 'projectcalico.org/v3',
    kind: 'IPPool',
    metadata: { name: 'purelb-ipv6' },
    spec: { cidr: '2001:470:8bf5:2::/64', disabled: true, blockSize: 122 },
  },
  {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'IPPool',
    metadata: { name: 'purelb-media-v6' },
    spec: { cidr: 'fd00:50::/64', disabled: true, blockSize: 122 },
  },
  {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'BGPConfiguration',
    metadata: { name: 'node.worker-1' },
    spec: { prefixAdvertisements: [{ cidr: '172.30.200.0/24', communities: ['64512:300'] }] },
  },
  {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'BGPPeer',
    metadata: { name: 'tor' },
    spec: { peerIP: '192.168.1.1', asNumber: 65001, filters: ['lb-only'] },
  },
  {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'BGPFilter',
    metadata: { name: 'lb-only' },
    spec: { exportV4: [{ action: 'Accept', matchOperator: 'In', cidr: '172.30.200.0/24' }] },
  },
  {
    apiVersion: 'operator.tigera.io/v1',
    kind: 'Installation',
    metadata: { name: 'default' },
    spec: {
      calicoNetwork: {
        bgp: 'Enabled',
        ipPools: [
          { cidr: '10.244.0.0/16', encapsulation: 'VXLANCrossSubnet', natOutgoing: 'Enabled', blockSize: 26 },
        ],
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'web',
      namespace: 'web',
      annotations: { 'purelb.io/service-group': 'default', 'purelb.io/addresses': '172.30.200.10' },
    },
    spec: {
      type: 'LoadBalancer',
      loadBalancerIP: '172.30.200.11',
      externalTrafficPolicy: 'Local',
      ports: [{ port: 443 }],
    },
  },
];

/**
 * What most of a GitOps repository is: not watched, never parsed unless it shares a file with a
 * watched kind, where it must still parse (yaml-syntax).
 */
export const WORKLOAD: Record<string, unknown> = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    },
  },
};

/** Strings that stress address parsing. */
export const addressLike: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.ipV4(),
  fc.ipV6(),
  fc.tuple(fc.ipV4(), fc.integer({ min: -1, max: 40 })).map(([a, n]) => `${a}/${n}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: -1, max: 140 })).map(([a, n]) => `${a}/${n}`),
  fc.tuple(fc.ipV4(), fc.oneof(fc.ipV4(), fc.ipV6())).map(([a, b]) => `${a}-${b}`),
  fc.constantFrom(
    '',
    '/',
    '-',
    ' - ',
    '0.0.0.0/0',
    '::/0',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Flux placeholder, not a template literal
    '${LB_POOL}',
    '1.2.3.4/33',
    '255.255.255.255-0.0.0.0',
    'ffff::/129',
    '/32',
    'default',
    '4294967295',
    '65000.65000',
    '1:2:3',
    'a:b',
    '10.0.0.1,10.0.0.2',
    '10.0.0.1, 10.0.0.2',
    '０.０.０.０',
    '1e3',
  ),
);

/** Any value, kept small, to put where a field of another type was. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  addressLike,
  fc.constantFrom(null, true, -1, 0, 2 ** 53, 1.5, [], {}, ['x'], { a: 1 }),
);
