import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings.ts';
import { analyzeFiles, analyzeFixture, where, withRule } from '../helpers.ts';

// Builders with fixed line layouts, so positions are predictable:
// sgV1: subnet at 8:13, pool at 9:11, aggregation at 10:18.
const sgV1 = (name: string, subnet: string, pool: string, aggregation: string) => `apiVersion: purelb.io/v1
kind: ServiceGroup
metadata:
  name: ${name}
  namespace: purelb
spec:
  local:
    subnet: ${subnet}
    pool: ${pool}
    aggregation: ${aggregation}
`;

// ipPool: cidr at 6:9, extra lines from line 7 on (two-space indented under spec).
const ipPool = (name: string, cidr: string, ...extra: string[]) => `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: ${name}
spec:
  cidr: ${cidr}
${extra.map((l) => `  ${l}\n`).join('')}`;

// bgpConfig: spec lines from line 6 on.
const bgpConfig = (name: string, ...spec: string[]) => `apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata:
  name: ${name}
spec:
${spec.map((l) => `  ${l}\n`).join('')}`;

const peer = `apiVersion: crd.projectcalico.org/v1
kind: BGPPeer
metadata:
  name: tor
spec:
  peerIP: 192.168.1.1
  asNumber: 65001
`;

const routed = sgV1('routed', '10.10.0.0/24', '10.10.0.10-10.10.0.20', '/32');
const lbPool = ipPool('lb', '10.10.0.0/24', 'disabled: true');

const messages = (fs: readonly Finding[]) => fs.map((f) => f.message);
const D_RULES = [
  'lb-pool-not-exported',
  'lb-ippool-allocatable',
  'lb-ippool-export-disabled',
  'lb-ippool-encapsulated',
  'lb-pool-overlaps-pod-pool',
  'lb-pool-overlaps-calico-lb-pool',
  'lb-calico-lb-ipam-unscoped',
  'lb-service-ips-double-advertised',
  'lb-community-missing',
  'lb-community-node-override',
  'lb-bgp-disabled',
  'lb-no-bgp-peers',
  'lb-interface-ignored',
  'lb-bgpfilter-rejects',
  'lb-local-pool-exported',
  'lb-operator-pool',
];

describe('lb-pool-not-exported', () => {
  it('fires on the pool when no IPPool contains the advertised /32 blocks', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': ipPool('other', '10.99.0.0/24', 'disabled: true'),
    });

    // Assert
    const fs = withRule(a, 'lb-pool-not-exported');
    expect(where(fs)).toEqual(['purelb.yaml:9:11']);
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.message).toContain('each /32 in 10.10.0.10-10.10.0.20');
    expect(fs[0]!.related).toBeUndefined();
  });

  it('is quiet when a disabled IPPool covers the subnet', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'purelb.yaml': routed, 'ippools.yaml': lbPool });

    // Assert
    expect(withRule(a, 'lb-pool-not-exported')).toEqual([]);
  });

  it('fires on the subnet in the narrow-pool case: aggregation default advertises the whole subnet', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': sgV1('narrow', '10.10.0.0/24', '10.10.0.0/26', 'default'),
      'ippools.yaml': ipPool('narrow', '10.10.0.0/26', 'disabled: true'),
    });

    // Assert
    const fs = withRule(a, 'lb-pool-not-exported');
    expect(where(fs)).toEqual(['purelb.yaml:8:13']);
    expect(fs[0]!.message).toContain('advertises 10.10.0.0/24');
    expect(fs[0]!.message).toContain('covers only part of it');
    expect(where(fs[0]!.related as Finding[])).toEqual(['ippools.yaml:6:9']);
  });

  it('accepts a prefix split across two IPPools, and names the first block neither covers', () => {
    // Arrange
    const pools = [
      ipPool('a', '10.10.0.0/28', 'disabled: true'),
      ipPool('b', '10.10.0.16/28', 'disabled: true'),
    ];

    // Act
    const covered = analyzeFiles({ 'purelb.yaml': routed, 'ippools.yaml': pools.join('---\n') });
    const wider = analyzeFiles({
      'purelb.yaml': sgV1('routed', '10.10.0.0/24', '10.10.0.10-10.10.0.40', '/32'),
      'ippools.yaml': pools.join('---\n'),
    });

    // Assert
    expect(withRule(covered, 'lb-pool-not-exported')).toEqual([]);
    expect(messages(withRule(wider, 'lb-pool-not-exported'))).toEqual([
      expect.stringContaining(
        'each /32 in 10.10.0.10-10.10.0.40, and 10.10.0.32/32 among them lies in no IPv4 IPPool',
      ),
    ]);
  });

  it('counts serviceLoadBalancerIPs of the default BGPConfiguration and operator ipPools as exporters', () => {
    // Arrange
    const svcIps = bgpConfig('default', 'serviceLoadBalancerIPs:', '- cidr: 10.10.0.0/24');
    const install = `apiVersion: operator.tigera.io/v1
kind: Installation
metadata:
  name: default
spec:
  calicoNetwork:
    ipPools:
    - cidr: 10.10.0.0/24
      encapsulation: None
      disableNewAllocations: true
      blockSize: 26
`;

    // Act
    const bySvc = analyzeFiles({ 'purelb.yaml': routed, 'bgp.yaml': svcIps });
    const byOperator = analyzeFiles({ 'purelb.yaml': routed, 'install.yaml': install });

    // Assert
    expect(withRule(bySvc, 'lb-pool-not-exported')).toEqual([]);
    expect(withRule(byOperator, 'lb-pool-not-exported')).toEqual([]);
    expect(withRule(byOperator, 'lb-operator-pool')).toEqual([]);
  });

  it('does not let an IPv4 IPPool cover an IPv6 pool', () => {
    // Arrange
    const v6 = sgV1('v6', '2001:db8:1::/64', '2001:db8:1::10-2001:db8:1::20', '/128');

    // Act
    const a = analyzeFiles({
      'purelb.yaml': v6,
      'ippools.yaml': ipPool('v4', '0.0.0.0/0', 'disabled: true'),
    });

    // Assert
    expect(where(withRule(a, 'lb-pool-not-exported'))).toEqual(['purelb.yaml:9:11']);
    expect(withRule(a, 'lb-pool-not-exported')[0]!.message).toContain('IPv6');
  });

  it('points at the subnet of a v2 remote pool whose aggregation defaults to the subnet', () => {
    // Arrange: v4pools item at line 9; subnet at 9:15.
    const remote = `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: remote
  namespace: purelb-system
spec:
  remote:
    v4pools:
    - subnet: 10.20.0.0/24
      pool: 10.20.0.10-10.20.0.20
`;

    // Act
    const a = analyzeFiles({
      'purelb.yaml': remote,
      'ippools.yaml': ipPool('narrow', '10.20.0.0/28', 'disabled: true'),
    });

    // Assert
    expect(where(withRule(a, 'lb-pool-not-exported'))).toEqual(['purelb.yaml:9:15']);
  });

  it('skips invalid pools: one cause, one finding', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': sgV1('bad', '10.10.0.0/24', '10.10.0.10-10.10.0.20', '"32"'),
      'ippools.yaml': ipPool('other', '10.99.0.0/24', 'disabled: true'),
    });

    // Assert
    expect(withRule(a, 'lb-pool-not-exported')).toEqual([]);
  });
});

describe('lb-ippool-allocatable', () => {
  it('fires on an enabled IPPool inside the subnet, at its cidr or its disabled field', () => {
    // Arrange / Act
    const noField = analyzeFiles({ 'purelb.yaml': routed, 'ippools.yaml': ipPool('lb', '10.10.0.0/24') });
    const falseField = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': ipPool('lb', '10.10.0.0/24', 'disabled: false'),
    });

    // Assert
    expect(where(withRule(noField, 'lb-ippool-allocatable'))).toEqual(['ippools.yaml:6:9']);
    expect(where(withRule(falseField, 'lb-ippool-allocatable'))).toEqual(['ippools.yaml:7:13']);
    expect(where(withRule(noField, 'lb-ippool-allocatable')[0]!.related as Finding[])).toEqual([
      'purelb.yaml:9:11',
    ]);
    expect(withRule(noField, 'lb-pool-overlaps-pod-pool')).toEqual([]);
  });

  it('is quiet for a disabled IPPool', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'purelb.yaml': routed, 'ippools.yaml': lbPool });

    // Assert
    expect(withRule(a, 'lb-ippool-allocatable')).toEqual([]);
  });
});

describe('lb-ippool-export-disabled', () => {
  it('fires on disableBGPExport of the IPPool that contains P, and not lb-pool-not-exported as well', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': ipPool('lb', '10.10.0.0/24', 'disabled: true', 'disableBGPExport: true'),
    });

    // Assert
    expect(where(withRule(a, 'lb-ippool-export-disabled'))).toEqual(['ippools.yaml:8:21']);
    expect(withRule(a, 'lb-pool-not-exported')).toEqual([]);
  });

  it('is quiet with disableBGPExport: false', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': ipPool('lb', '10.10.0.0/24', 'disabled: true', 'disableBGPExport: false'),
    });

    // Assert
    expect(withRule(a, 'lb-ippool-export-disabled')).toEqual([]);
  });
});

describe('lb-ippool-encapsulated', () => {
  it('fires on ipipMode of the covering IPPool', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': ipPool('lb', '10.10.0.0/24', 'disabled: true', 'ipipMode: Always'),
    });

    // Assert
    const fs = withRule(a, 'lb-ippool-encapsulated');
    expect(where(fs)).toEqual(['ippools.yaml:8:13']);
    expect(fs[0]!.severity).toBe('warning');
  });

  it('is quiet with ipipMode and vxlanMode Never', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': ipPool('lb', '10.10.0.0/24', 'disabled: true', 'ipipMode: Never', 'vxlanMode: Never'),
    });

    // Assert
    expect(withRule(a, 'lb-ippool-encapsulated')).toEqual([]);
  });
});

describe('lb-pool-overlaps-pod-pool', () => {
  it('fires on the PureLB pool inside an enabled pod pool wider than its subnet', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': ipPool('pods', '10.0.0.0/8', 'blockSize: 26'),
    });

    // Assert
    const fs = withRule(a, 'lb-pool-overlaps-pod-pool');
    expect(where(fs)).toEqual(['purelb.yaml:9:11']);
    expect(where(fs[0]!.related as Finding[])).toEqual(['ippools.yaml:6:9']);
    expect(withRule(a, 'lb-ippool-allocatable')).toEqual([]);
  });

  it('is quiet when the wide pool is disabled', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': ipPool('pods', '10.0.0.0/8', 'disabled: true'),
    });

    // Assert
    expect(withRule(a, 'lb-pool-overlaps-pod-pool')).toEqual([]);
  });
});

describe('lb-pool-overlaps-calico-lb-pool', () => {
  it('fires on the PureLB pool overlapping a Calico LoadBalancer pool', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': ipPool('calico-lb', '10.10.0.0/28', 'allowedUses:', '- LoadBalancer'),
    });

    // Assert
    expect(where(withRule(a, 'lb-pool-overlaps-calico-lb-pool'))).toEqual(['purelb.yaml:9:11']);
    expect(withRule(a, 'lb-ippool-allocatable')).toEqual([]);
  });

  it('is quiet when the Calico LoadBalancer pool is elsewhere', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': [lbPool, ipPool('calico-lb', '10.10.1.0/28', 'allowedUses:', '- LoadBalancer')].join(
        '---\n',
      ),
    });

    // Assert
    expect(withRule(a, 'lb-pool-overlaps-calico-lb-pool')).toEqual([]);
  });
});

describe('lb-calico-lb-ipam-unscoped', () => {
  const service = (cls: string) => `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
spec:
  type: LoadBalancer
${cls}`;
  const calicoLb = ipPool('calico-lb', '10.30.0.0/24', 'allowedUses:', '- LoadBalancer');

  it('fires on a LoadBalancer Service without loadBalancerClass when a Calico LB pool exists', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': [lbPool, calicoLb].join('---\n'),
      'svc.yaml': service(''),
    });

    // Assert
    const fs = withRule(a, 'lb-calico-lb-ipam-unscoped');
    expect(where(fs)).toEqual(['svc.yaml:7:9']);
    expect(fs[0]!.severity).toBe('warning');
  });

  it('is quiet when the Service names PureLB as its class', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': [lbPool, calicoLb].join('---\n'),
      'svc.yaml': service('  loadBalancerClass: purelb.io/purelb\n'),
    });

    // Assert
    expect(withRule(a, 'lb-calico-lb-ipam-unscoped')).toEqual([]);
  });
});

describe('lb-service-ips-double-advertised', () => {
  it('fires on the serviceLoadBalancerIPs entry that overlaps a PureLB pool', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'bgp.yaml': bgpConfig('default', 'serviceLoadBalancerIPs:', '- cidr: 10.10.0.0/24'),
    });

    // Assert
    const fs = withRule(a, 'lb-service-ips-double-advertised');
    expect(where(fs)).toEqual(['bgp.yaml:7:11']);
    expect(where(fs[0]!.related as Finding[])).toEqual(['purelb.yaml:9:11']);
  });

  it('is quiet for a serviceExternalIPs range beside the pools', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'bgp.yaml': bgpConfig('default', 'serviceExternalIPs:', '- cidr: 10.11.0.0/24'),
    });

    // Assert
    expect(withRule(a, 'lb-service-ips-double-advertised')).toEqual([]);
  });
});

describe('lb-community-missing', () => {
  const tagged = bgpConfig(
    'default',
    'communities:',
    '- name: lb',
    '  value: 65000:100',
    'prefixAdvertisements:',
    '- cidr: 10.10.0.0/24',
    '  communities:',
    '  - lb',
  );

  it('is a notice on prefixAdvertisements when no entry covers P, an error when communities are required', () => {
    // Arrange
    const files = {
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'bgp.yaml': bgpConfig(
        'default',
        'prefixAdvertisements:',
        '- cidr: 10.99.0.0/24',
        '  communities:',
        '  - 65000:1',
      ),
    };

    // Act
    const plain = analyzeFiles(files);
    const required = analyzeFiles(files, { requiredCommunities: ['65000:100'] });

    // Assert
    expect(where(withRule(plain, 'lb-community-missing'))).toEqual(['bgp.yaml:6:3']);
    expect(withRule(plain, 'lb-community-missing')[0]!.severity).toBe('notice');
    expect(withRule(required, 'lb-community-missing')[0]!.severity).toBe('error');
  });

  it('fires on the covering entry when it lacks a required community', () => {
    // Arrange / Act
    const a = analyzeFiles(
      { 'purelb.yaml': routed, 'ippools.yaml': lbPool, 'bgp.yaml': tagged },
      {
        requiredCommunities: ['65000:200'],
      },
    );

    // Assert
    const fs = withRule(a, 'lb-community-missing');
    expect(where(fs)).toEqual(['bgp.yaml:10:5']);
    expect(fs[0]!.message).toContain('65000:200');
  });

  it('is quiet when the entry carries the required community by name or by value', () => {
    // Arrange / Act
    const byValue = analyzeFiles(
      { 'purelb.yaml': routed, 'ippools.yaml': lbPool, 'bgp.yaml': tagged },
      {
        requiredCommunities: ['65000:100'],
      },
    );
    const byName = analyzeFiles(
      { 'purelb.yaml': routed, 'ippools.yaml': lbPool, 'bgp.yaml': tagged },
      {
        requiredCommunities: ['lb'],
      },
    );

    // Assert
    expect(withRule(byValue, 'lb-community-missing')).toEqual([]);
    expect(withRule(byName, 'lb-community-missing')).toEqual([]);
  });
});

describe('lb-community-node-override', () => {
  const global = bgpConfig(
    'default',
    'prefixAdvertisements:',
    '- cidr: 10.10.0.0/24',
    '  communities:',
    '  - 65000:100',
  );

  it('fires on a node list that replaces the global entry for P', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'bgp.yaml': [global, bgpConfig('node.n1', 'prefixAdvertisements:', '- cidr: 10.99.0.0/24')].join(
        '---\n',
      ),
    });

    // Assert
    const fs = withRule(a, 'lb-community-node-override');
    expect(where(fs)).toEqual(['bgp.yaml:16:3']);
    expect(fs[0]!.severity).toBe('warning');
  });

  it('fires on a node list with entries of the other family only: confd replaces both families', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'bgp.yaml': [global, bgpConfig('node.n2', 'prefixAdvertisements:', '- cidr: 2001:db8::/64')].join(
        '---\n',
      ),
    });

    // Assert
    expect(where(withRule(a, 'lb-community-node-override'))).toEqual(['bgp.yaml:16:3']);
  });

  it('is quiet when the node list has the entry, or the node sets no prefixAdvertisements', () => {
    // Arrange
    const withEntry = bgpConfig('node.n1', 'prefixAdvertisements:', '- cidr: 10.10.0.0/24');
    const without = bgpConfig('node.n2', 'listenPort: 179');

    // Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'bgp.yaml': [global, withEntry, without].join('---\n'),
    });

    // Assert
    expect(withRule(a, 'lb-community-node-override')).toEqual([]);
  });
});

describe('lb-bgp-disabled', () => {
  const install = (bgp: string) => `apiVersion: operator.tigera.io/v1
kind: Installation
metadata:
  name: default
spec:
  calicoNetwork:
    bgp: ${bgp}
`;

  it('fires on calicoNetwork.bgp: Disabled when PureLB has routed pools', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'install.yaml': install('Disabled'),
    });

    // Assert
    expect(where(withRule(a, 'lb-bgp-disabled'))).toEqual(['install.yaml:7:10']);
  });

  it('is quiet with bgp: Enabled', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'install.yaml': install('Enabled'),
    });

    // Assert
    expect(withRule(a, 'lb-bgp-disabled')).toEqual([]);
  });
});

describe('lb-no-bgp-peers', () => {
  const meshOff = bgpConfig('default', 'nodeToNodeMeshEnabled: false');

  it('is a notice on nodeToNodeMeshEnabled when the mesh is off and there is no BGPPeer', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'purelb.yaml': routed, 'ippools.yaml': lbPool, 'bgp.yaml': meshOff });

    // Assert
    const fs = withRule(a, 'lb-no-bgp-peers');
    expect(where(fs)).toEqual(['bgp.yaml:6:26']);
    expect(fs[0]!.severity).toBe('notice');
  });

  it('is quiet with a BGPPeer in the scope', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'bgp.yaml': meshOff,
      'peer.yaml': peer,
    });

    // Assert
    expect(withRule(a, 'lb-no-bgp-peers')).toEqual([]);
  });
});

describe('lb-interface-ignored', () => {
  const agent = (extlbint: string) => `apiVersion: purelb.io/v1
kind: LBNodeAgent
metadata:
  name: default
  namespace: purelb
spec:
  local:
    extlbint: ${extlbint}
`;

  it('fires on an ignoredInterfaces pattern matching kube-lb0', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'bgp.yaml': bgpConfig('default', 'ignoredInterfaces:', '- eth1', '- kube-*'),
    });

    // Assert
    expect(where(withRule(a, 'lb-interface-ignored'))).toEqual(['bgp.yaml:8:5']);
  });

  it('fires on an LBNodeAgent interface BIRD never imports', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'agent.yaml': agent('cali-lb0'),
    });

    // Assert
    expect(where(withRule(a, 'lb-interface-ignored'))).toEqual(['agent.yaml:8:15']);
  });

  it('is quiet when the patterns miss the dummy interface', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'agent.yaml': agent('lb0'),
      'bgp.yaml': bgpConfig('default', 'ignoredInterfaces:', '- kube-lb?', '- eth*'),
    });

    // Assert
    expect(withRule(a, 'lb-interface-ignored')).toEqual([]);
  });
});

describe('lb-bgpfilter-rejects', () => {
  // filter: exportV4 items from line 7 on.
  const filter = (...rules: string[]) => `apiVersion: crd.projectcalico.org/v1
kind: BGPFilter
metadata:
  name: edge
spec:
  exportV4:
${rules.map((l) => `  ${l}\n`).join('')}`;
  const usingPeer = `${peer}  filters:
  - edge
`;

  it('fires on the export rule that rejects P for a peer using the filter', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'peer.yaml': usingPeer,
      'filter.yaml': filter(
        '- cidr: 10.99.0.0/16',
        '  matchOperator: In',
        '  action: Reject',
        '- cidr: 10.10.0.0/16',
        '  matchOperator: In',
        '  action: Reject',
      ),
    });

    // Assert
    const fs = withRule(a, 'lb-bgpfilter-rejects');
    expect(where(fs)).toEqual(['filter.yaml:10:5']);
    expect(where(fs[0]!.related as Finding[])).toEqual(['purelb.yaml:9:11', 'peer.yaml:9:5']);
  });

  it('fires on an Accept that runs before the prefixAdvertisements communities', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'peer.yaml': usingPeer,
      'bgp.yaml': bgpConfig(
        'default',
        'prefixAdvertisements:',
        '- cidr: 10.10.0.0/24',
        '  communities:',
        '  - 65000:100',
      ),
      'filter.yaml': filter('- cidr: 10.10.0.0/24', '  matchOperator: In', '  action: Accept'),
    });

    // Assert
    expect(where(withRule(a, 'lb-bgpfilter-rejects'))).toEqual(['filter.yaml:7:5']);
    expect(withRule(a, 'lb-bgpfilter-rejects')[0]!.message).toContain('untagged');
  });

  it('is quiet for rules that cannot match a connected route, and for filters no peer uses', () => {
    // Arrange
    const remoteOnly = filter(
      '- source: RemotePeers',
      '  action: Reject',
      '- cidr: 10.10.0.0/24',
      '  matchOperator: NotIn',
      '  action: Reject',
    );

    // Act
    const used = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'peer.yaml': usingPeer,
      'filter.yaml': remoteOnly,
    });
    const unused = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'peer.yaml': peer,
      'filter.yaml': filter('- action: Reject'),
    });

    // Assert
    expect(withRule(used, 'lb-bgpfilter-rejects')).toEqual([]);
    expect(withRule(unused, 'lb-bgpfilter-rejects')).toEqual([]);
  });
});

describe('lb-local-pool-exported', () => {
  // v2 local group: pool at 11:13.
  const local = `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: lan
  namespace: purelb-system
spec:
  local:
    v4pools:
    - subnet: 192.168.1.0/24
      aggregation: default
      pool: 192.168.1.240-192.168.1.250
`;

  it('is a notice on the IPPool that contains a local pool', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': local,
      'ippools.yaml': ipPool('lan', '192.168.1.0/24', 'disabled: true'),
    });

    // Assert
    const fs = withRule(a, 'lb-local-pool-exported');
    expect(where(fs)).toEqual(['ippools.yaml:6:9']);
    expect(fs[0]!.severity).toBe('notice');
    expect(where(fs[0]!.related as Finding[])).toEqual(['purelb.yaml:11:13']);
    expect(withRule(a, 'lb-pool-not-exported')).toEqual([]);
  });

  it('is quiet when the IPPool does not export', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': local,
      'ippools.yaml': ipPool('lan', '192.168.1.0/24', 'disabled: true', 'disableBGPExport: true'),
    });

    // Assert
    expect(withRule(a, 'lb-local-pool-exported')).toEqual([]);
  });
});

describe('lb-operator-pool', () => {
  // ipPools item at 8:7; its fields from line 8 on.
  const install = (...fields: string[]) => `apiVersion: operator.tigera.io/v1
kind: Installation
metadata:
  name: default
spec:
  calicoNetwork:
    ipPools:
    - cidr: 10.10.0.0/24
${fields.map((l) => `      ${l}\n`).join('')}`;

  it('fires on each field the ipPool made for the PureLB pool gets wrong', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'purelb.yaml': routed,
      'install.yaml': install('encapsulation: IPIP', 'blockSize: 20'),
    });

    // Assert
    const fs = withRule(a, 'lb-operator-pool');
    expect(where(fs)).toEqual(['install.yaml:8:7', 'install.yaml:9:22']);
    expect(fs.map((f) => f.message)).toEqual([
      expect.stringContaining('disableNewAllocations'),
      expect.stringContaining('encapsulation: IPIP'),
    ]);
    expect(withRule(a, 'lb-ippool-allocatable')).toEqual([]);
    // The block size is the operator's check for every ipPool: section C says it, once.
    const blocks = withRule(a, 'ippool-block-size');
    expect(where(blocks)).toEqual(['install.yaml:10:18']);
    expect(blocks[0]!.message).toContain('the operator rejects the Installation');
  });

  it('takes the IPv6 default encapsulation (None) into account', () => {
    // Arrange
    const v6 = sgV1('v6', '2001:db8:1::/64', '2001:db8:1::10-2001:db8:1::20', '/128');
    const v6Install = install('disableNewAllocations: true').replace('10.10.0.0/24', '2001:db8:1::/64');

    // Act
    const a = analyzeFiles({ 'purelb.yaml': v6, 'install.yaml': `${v6Install}      blockSize: 122\n` });

    // Assert
    expect(withRule(a, 'lb-operator-pool')).toEqual([]);
  });

  it('is quiet for a well-shaped ipPool, and for an operator pod pool outside the subnet', () => {
    // Arrange / Act
    const good = analyzeFiles({
      'purelb.yaml': routed,
      'install.yaml': install('encapsulation: None', 'disableNewAllocations: true', 'blockSize: 24'),
    });

    // Assert
    expect(withRule(good, 'lb-operator-pool')).toEqual([]);
  });
});

describe('section D as a whole', () => {
  it('gives the seed (PureLB documented example) no error-level D finding, and the mesh-off notice', () => {
    // Arrange / Act
    const a = analyzeFixture('seed');

    // Assert
    const d = a.findings.filter((f) => D_RULES.includes(f.rule));
    expect(d.filter((f) => f.severity === 'error')).toEqual([]);
    expect(d.map((f) => `${f.rule} ${f.severity} ${f.file}:${f.line}:${f.column}`)).toEqual([
      'lb-no-bgp-peers notice calico/bgpconfiguration.yaml:9:26',
    ]);
  });

  it('skips every D rule in a scope without Calico, with one calico-not-in-scope notice', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'purelb.yaml': routed });

    // Assert
    expect(a.findings.filter((f) => D_RULES.includes(f.rule))).toEqual([]);
    expect(where(withRule(a, 'calico-not-in-scope'))).toEqual(['purelb.yaml:4:9']);
  });

  it('fills the pool table from the same facts', () => {
    // Arrange / Act
    const ok = analyzeFiles({
      'purelb.yaml': routed,
      'ippools.yaml': lbPool,
      'bgp.yaml': bgpConfig(
        'default',
        'prefixAdvertisements:',
        '- cidr: 10.10.0.0/24',
        '  communities:',
        '  - 65000:100',
      ),
    });
    const bad = analyzeFiles({ 'purelb.yaml': routed, 'ippools.yaml': ipPool('other', '10.99.0.0/24') });

    // Assert
    expect(ok.pools).toEqual([
      expect.objectContaining({
        coveringIpPool: 'lb',
        communities: '65000:100',
        verdict: 'ok',
        mode: 'routed',
      }),
    ]);
    expect(bad.pools).toEqual([expect.objectContaining({ coveringIpPool: '', verdict: 'problem' })]);
  });
});
