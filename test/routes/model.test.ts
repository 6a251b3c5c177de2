// The route model against route sets computed by hand from Calico's export filter and PureLB's
// aggregation (docs/routes.md): every prefix, how many routes it stands for, who receives it.
import { describe, expect, it } from 'vitest';
import { peerCounts } from '../../src/checks/routes.ts';
import { analyzeFiles, where, withRule } from '../helpers.ts';
import { bgpConfig, filter, install, ipPool, peer, sg, table } from './fixtures.ts';

const lbPool = ipPool('lb', '10.10.0.0/16', 'disabled: true');
const meshOff = bgpConfig('default', 'nodeToNodeMeshEnabled: false');
const modelOf = (a: ReturnType<typeof analyzeFiles>) => a.routes[0]!.model;

describe('routes of PureLB pools', () => {
  it('announces the subnet for aggregation default, one route per address for /32, and /N blocks for /N', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': sg('whole', '10.10.1.0/24', '10.10.1.10-10.10.1.20', 'default'),
      'b.yaml': sg('host', '10.10.2.0/24', '10.10.2.10-10.10.2.20', '/32'),
      'c.yaml': sg('mid', '10.10.3.0/24', '10.10.3.10-10.10.3.40', '/28'),
      'ippools.yaml': lbPool,
    });

    // Assert: .10-.40 touches the /28 blocks .0, .16 and .32.
    expect(table(a)).toEqual([
      {
        prefix: '10.10.1.0/24',
        count: 1,
        source: 'pool a.yaml:9',
        exported: true,
        communities: [],
        peers: ['node-to-node mesh:1'],
      },
      {
        prefix: '10.10.2.10/32-10.10.2.20/32',
        count: 11,
        source: 'pool b.yaml:9',
        exported: true,
        communities: [],
        peers: ['node-to-node mesh:11'],
      },
      {
        prefix: '10.10.3.0/28-10.10.3.32/28',
        count: 3,
        source: 'pool c.yaml:9',
        exported: true,
        communities: [],
        peers: ['node-to-node mesh:3'],
      },
    ]);
  });

  it('announces IPv6 prefixes to the mesh and to no IPv4 peer', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': sg('v6host', 'fd00:10:1::/64', 'fd00:10:1::10-fd00:10:1::1f', '/128'),
      'b.yaml': sg('v6whole', 'fd00:10:2::/64', 'fd00:10:2::10-fd00:10:2::1f', 'default'),
      'c.yaml': sg('v4', '10.10.2.0/24', '10.10.2.10-10.10.2.11', '/32'),
      'ippools.yaml': `${lbPool}---\n${ipPool('lb6', 'fd00:10::/32', 'disabled: true')}`,
      'peer.yaml': peer('tor', '192.168.1.1'),
    });

    // Assert
    expect(table(a)).toEqual([
      {
        prefix: 'fd00:10:1::10/128-fd00:10:1::1f/128',
        count: 16,
        source: 'pool a.yaml:9',
        exported: true,
        communities: [],
        peers: ['node-to-node mesh:16'],
      },
      {
        prefix: 'fd00:10:2::/64',
        count: 1,
        source: 'pool b.yaml:9',
        exported: true,
        communities: [],
        peers: ['node-to-node mesh:1'],
      },
      {
        prefix: '10.10.2.10/32-10.10.2.11/32',
        count: 2,
        source: 'pool c.yaml:9',
        exported: true,
        communities: [],
        peers: ['node-to-node mesh:2', 'BGPPeer tor:2'],
      },
    ]);
    expect(peerCounts(modelOf(a)).map((c) => `${c.peer.name}:${c.count}`)).toEqual([
      'node-to-node mesh:19',
      'BGPPeer tor:2',
    ]);
  });

  it('exports nothing from a pool no IPPool covers, for the reason lb-pool-not-exported gives at the same place', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': sg('lost', '10.20.0.0/24', '10.20.0.10-10.20.0.12', '/32'),
      'ippools.yaml': ipPool('other', '10.99.0.0/24', 'disabled: true'),
    });

    // Assert
    expect(table(a)).toEqual([
      {
        prefix: '10.20.0.10/32-10.20.0.12/32',
        count: 3,
        source: 'pool a.yaml:9',
        exported: false,
        reason: 'no-covering-ippool lb-pool-not-exported a.yaml:9:11',
        communities: [],
        peers: [],
      },
    ]);
    expect(where(withRule(a, 'lb-pool-not-exported'))).toEqual(['a.yaml:9:11']);
  });

  it('exports nothing from a pool inside a disableBGPExport IPPool, tied to lb-ippool-export-disabled', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': sg('host', '10.10.2.0/24', '10.10.2.10-10.10.2.11', '/32'),
      'ippools.yaml': ipPool('lb', '10.10.0.0/16', 'disabled: true', 'disableBGPExport: true'),
    });

    // Assert
    expect(table(a)[0]).toMatchObject({
      exported: false,
      reason: 'export-disabled lb-ippool-export-disabled ippools.yaml:8:21',
      peers: [],
    });
    expect(where(withRule(a, 'lb-ippool-export-disabled'))).toEqual(['ippools.yaml:8:21']);
  });

  it('exports nothing when the Installation disables BGP, tied to lb-bgp-disabled', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': sg('host', '10.10.2.0/24', '10.10.2.10-10.10.2.11', '/32'),
      'ippools.yaml': lbPool,
      'install.yaml': install('Disabled'),
    });

    // Assert
    expect(table(a)[0]).toMatchObject({
      exported: false,
      reason: 'bgp-disabled lb-bgp-disabled install.yaml:7:10',
      peers: [],
    });
    expect(where(withRule(a, 'lb-bgp-disabled'))).toEqual(['install.yaml:7:10']);
  });

  it('gives each node with its own prefixAdvertisements that list, not the global one', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': sg('host', '10.10.2.0/24', '10.10.2.10-10.10.2.11', '/32'),
      'ippools.yaml': lbPool,
      'bgp.yaml': [
        bgpConfig('default', 'prefixAdvertisements:', '- cidr: 10.10.0.0/16', '  communities: ["65000:100"]'),
        bgpConfig(
          'node.worker-1',
          'prefixAdvertisements:',
          '- cidr: 10.10.2.0/24',
          '  communities: ["65000:200", "65000:201"]',
        ),
        bgpConfig('node.worker-2', 'prefixAdvertisements: []'),
        bgpConfig(
          'node.worker-3',
          'prefixAdvertisements:',
          '- cidr: 10.10.0.0/16',
          '  communities: ["65000:100"]',
        ),
      ].join('---\n'),
    });

    // Assert: worker-3 says the same as the global list, so it is no override.
    const r = modelOf(a).routes[0]!;
    expect(r.communities).toEqual(['65000:100']);
    expect(r.nodeCommunities.map((n) => [n.node, n.communities, `${n.at.file}:${n.at.line}`])).toEqual([
      ['worker-1', ['65000:200', '65000:201'], 'bgp.yaml:15'],
      ['worker-2', [], 'bgp.yaml:24'],
    ]);
  });
});

describe('what the route model cannot say', () => {
  it('names a routed pool it leaves out, and unresolved community CIDRs, instead of a table that looks complete', () => {
    // Arrange / Act: the /33 aggregation is a section-B error; the entry's CIDR is a Flux variable.
    const a = analyzeFiles({
      'a.yaml': sg('bad', '10.10.2.0/24', '10.10.2.10-10.10.2.11', '/33'),
      'b.yaml': sg('host', '10.10.3.0/24', '10.10.3.10-10.10.3.11', '/32'),
      'ippools.yaml': lbPool,
      'bgp.yaml': bgpConfig(
        'default',
        'prefixAdvertisements:',
        '- cidr: ${LB_CIDR}',
        '  communities: ["65000:1"]',
      ),
    });

    // Assert
    expect(table(a).map((r) => r.prefix)).toEqual(['10.10.3.10/32-10.10.3.11/32']);
    expect(modelOf(a).skipped).toEqual([
      'pool 10.10.2.10-10.10.2.11 of ServiceGroup bad (a.yaml:9): a section-B error makes PureLB drop it, so its routes are unknown',
      'a prefixAdvertisements CIDR is still a ${VAR}: the communities shown may be incomplete',
    ]);
  });
});

describe('routes per peer', () => {
  it('sends every route to each of two peers when the mesh is off', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': sg('host', '10.10.2.0/24', '10.10.2.10-10.10.2.20', '/32'),
      'ippools.yaml': lbPool,
      'bgp.yaml': meshOff,
      'peers.yaml': `${peer('a', '192.168.1.1')}---\n${peer('b', '192.168.1.2', 'nodeSelector: rack == "r1"')}`,
    });

    // Assert
    expect(table(a)[0]!.peers).toEqual(['BGPPeer a:11', 'BGPPeer b:11']);
    expect(modelOf(a).peers.map((p) => [p.name, p.written])).toEqual([
      ['BGPPeer a', { peerIP: '192.168.1.1', asNumber: '65001' }],
      ['BGPPeer b', { peerIP: '192.168.1.2', asNumber: '65001', nodeSelector: 'rack == "r1"' }],
    ]);
  });

  it('drops the routes a BGPFilter rejects for its peer only, counting each /32 it rejects', () => {
    // Arrange / Act: the filter rejects .16/28, which holds .16-.20 of the pool's .10-.20.
    const a = analyzeFiles({
      'a.yaml': sg('host', '10.10.2.0/24', '10.10.2.10-10.10.2.20', '/32'),
      'ippools.yaml': lbPool,
      'bgp.yaml': meshOff,
      'peers.yaml': `${peer('a', '192.168.1.1', 'filters: [edge]')}---\n${peer('b', '192.168.1.2')}`,
      'filter.yaml': filter('edge', '- cidr: 10.10.2.16/28', '  matchOperator: In', '  action: Reject'),
    });

    // Assert
    const r = modelOf(a).routes[0]!;
    expect(table(a)[0]!.peers).toEqual(['BGPPeer a:6', 'BGPPeer b:11']);
    expect(
      r.hits.map((h) => `${h.peer.name} ${h.action} ${h.count} ${h.at.file}:${h.at.line}:${h.at.column}`),
    ).toEqual(['BGPPeer a Reject 5 filter.yaml:7:5']);
    expect(where(withRule(a, 'lb-bgpfilter-rejects'))).toEqual(['filter.yaml:7:5']);
  });

  it('marks a route a filter accepts before Calico adds its communities as untagged for that peer', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': sg('host', '10.10.2.0/24', '10.10.2.10-10.10.2.11', '/32'),
      'ippools.yaml': lbPool,
      'bgp.yaml': bgpConfig(
        'default',
        'nodeToNodeMeshEnabled: false',
        'prefixAdvertisements:',
        '- cidr: 10.10.0.0/16',
        '  communities: ["65000:100"]',
      ),
      'peers.yaml': peer('a', '192.168.1.1', 'filters: [edge]'),
      'filter.yaml': filter('edge', '- cidr: 10.10.0.0/16', '  matchOperator: In', '  action: Accept'),
    });

    // Assert
    expect(table(a)[0]).toMatchObject({ communities: ['65000:100'], peers: ['BGPPeer a:2 untagged'] });
  });
});

describe('routes of Calico service CIDRs', () => {
  it('announces the default BGPConfiguration service CIDRs with their communities, and says why single addresses are left out', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'bgp.yaml': bgpConfig(
        'default',
        'serviceClusterIPs:',
        '- cidr: 10.96.0.0/12',
        'serviceExternalIPs:',
        '- cidr: 192.0.2.0/24',
        '- cidr: 192.0.2.77/32',
        'serviceLoadBalancerIPs:',
        '- cidr: 198.51.100.0/24',
        'prefixAdvertisements:',
        '- cidr: 198.51.100.0/24',
        '  communities: ["65000:300"]',
      ),
    });

    // Assert
    expect(table(a)).toEqual([
      {
        prefix: '10.96.0.0/12',
        count: 1,
        source: 'serviceClusterIPs bgp.yaml:7',
        exported: true,
        communities: [],
        peers: ['node-to-node mesh:1'],
      },
      {
        prefix: '192.0.2.0/24',
        count: 1,
        source: 'serviceExternalIPs bgp.yaml:9',
        exported: true,
        communities: [],
        peers: ['node-to-node mesh:1'],
      },
      {
        prefix: '198.51.100.0/24',
        count: 1,
        source: 'serviceLoadBalancerIPs bgp.yaml:12',
        exported: true,
        communities: ['65000:300'],
        peers: ['node-to-node mesh:1'],
      },
    ]);
    expect(modelOf(a).skipped).toEqual([
      'BGPConfiguration default serviceExternalIPs 192.0.2.77/32: a single address is announced per Service, not from this config',
    ]);
  });

  it('announces no service CIDR when BGP is disabled, and names no rule when no PureLB pool makes lb-bgp-disabled speak', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'bgp.yaml': bgpConfig('default', 'serviceClusterIPs:', '- cidr: 10.96.0.0/12'),
      'install.yaml': install('Disabled'),
    });

    // Assert
    expect(table(a)[0]).toMatchObject({
      exported: false,
      reason: 'bgp-disabled - install.yaml:7:10',
      peers: [],
    });
    expect(withRule(a, 'lb-bgp-disabled')).toEqual([]);
  });
});

describe('the route model and the findings', () => {
  it('has a finding at the very place of every reason that names a rule, in every scope of the example', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': sg('lost', '10.20.0.0/24', '10.20.0.10-10.20.0.12', '/32'),
      'b.yaml': sg('host', '10.10.2.0/24', '10.10.2.10-10.10.2.11', '/32'),
      'ippools.yaml': ipPool('lb', '10.10.0.0/16', 'disabled: true', 'disableBGPExport: true'),
      'install.yaml': install('Disabled'),
    });

    // Assert
    const reasons = a.routes.flatMap((s) => s.model.routes.flatMap((r) => r.blockers)).filter((b) => b.rule);
    expect(reasons.length).toBeGreaterThan(2);
    for (const b of reasons) {
      expect(
        a.findings.some((f) => f.rule === b.rule && f.file === b.at!.file && f.line === b.at!.line),
      ).toBe(true);
    }
  });
});
