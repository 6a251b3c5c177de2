// Route differences between a base and a head tree, each with the place that caused it.
import { describe, expect, it } from 'vitest';
import { diffPeerCounts, diffRoutes, type RouteChange } from '../../src/route-diff.ts';
import { analyzeFiles } from '../helpers.ts';
import { bgpConfig, filter, ipPool, peer, sg } from './fixtures.ts';

const host = sg('host', '10.10.2.0/24', '10.10.2.10-10.10.2.20', '/32');
const lbPool = ipPool('lb', '10.10.0.0/16', 'disabled: true');
const advert = (community: string) =>
  bgpConfig(
    'default',
    'nodeToNodeMeshEnabled: false',
    'prefixAdvertisements:',
    '- cidr: 10.10.0.0/16',
    `  communities: ["${community}"]`,
  );
const peers = (filters = '') =>
  `${peer('a', '192.168.1.1', ...(filters ? [`filters: [${filters}]`] : []))}---\n${peer('b', '192.168.1.2')}`;

const BASE = {
  'a.yaml': host,
  'ippools.yaml': lbPool,
  'bgp.yaml': advert('65000:100'),
  'peers.yaml': peers(),
};

function diff(base: Record<string, string>, head: Record<string, string>) {
  const b = analyzeFiles(base);
  const h = analyzeFiles(head);
  return { changes: diffRoutes(h.routes, b.routes), counts: diffPeerCounts(h.routes, b.routes) };
}

const brief = (cs: readonly RouteChange[]) =>
  cs.map((c) => `${c.change} ${c.prefix} cause ${c.cause.file}:${c.cause.line} (${c.cause.tree})`);

describe('route differences', () => {
  it('shows nothing when nothing on the wire changed, even if lines moved', () => {
    // Arrange / Act
    const { changes, counts } = diff(BASE, { ...BASE, 'ippools.yaml': `# moved down\n\n${lbPool}` });

    // Assert
    expect(changes).toEqual([]);
    expect(counts).toEqual([]);
  });

  it('adds the routes of a new pool, caused by the pool', () => {
    // Arrange / Act
    const { changes, counts } = diff(BASE, {
      ...BASE,
      'b.yaml': sg('more', '10.10.3.0/24', '10.10.3.0-10.10.3.3', '/32'),
    });

    // Assert
    expect(brief(changes)).toEqual(['added 10.10.3.0/32-10.10.3.3/32 cause b.yaml:9 (head)']);
    expect(counts).toEqual([
      { scope: 'default', peer: 'BGPPeer a', before: 11, after: 15 },
      { scope: 'default', peer: 'BGPPeer b', before: 11, after: 15 },
    ]);
  });

  it('withdraws the routes an IPPool exported when it is removed, caused by the IPPool in the base', () => {
    // Arrange / Act
    const { 'ippools.yaml': _gone, ...head } = BASE;
    const { changes } = diff(BASE, head);

    // Assert
    expect(brief(changes)).toEqual(['withdrawn 10.10.2.10/32-10.10.2.20/32 cause ippools.yaml:6 (base)']);
    expect(changes[0]!.after?.blockers.map((b) => b.code)).toEqual(['no-covering-ippool']);
  });

  it('pairs a pool whose subnet changed with its old route: the old prefix is withdrawn, caused by the pool', () => {
    // Arrange / Act: aggregation default announces the subnet; the /15 lies in no IPPool.
    const whole = (subnet: string) => sg('whole', subnet, '10.10.2.10-10.10.2.20', 'default');
    const { changes } = diff(
      { ...BASE, 'a.yaml': whole('10.10.2.0/24') },
      { ...BASE, 'a.yaml': whole('10.10.0.0/15') },
    );

    // Assert
    expect(brief(changes)).toEqual(['withdrawn 10.10.2.0/24 cause a.yaml:9 (head)']);
    expect(changes[0]!.after!.prefix).toBe('10.10.0.0/15');
  });

  it('re-tags a route whose prefixAdvertisements community changes, caused by that entry', () => {
    // Arrange / Act
    const { changes, counts } = diff(BASE, { ...BASE, 'bgp.yaml': advert('65000:200') });

    // Assert
    expect(brief(changes)).toEqual(['changed 10.10.2.10/32-10.10.2.20/32 cause bgp.yaml:8 (head)']);
    expect(changes[0]!.before!.communities).toEqual(['65000:100']);
    expect(changes[0]!.after!.communities).toEqual(['65000:200']);
    expect(counts).toEqual([]);
  });

  it('changes the peers of a route when a filter that rejects it is added, caused by the filter rule', () => {
    // Arrange / Act
    const { changes, counts } = diff(BASE, {
      ...BASE,
      'peers.yaml': peers('edge'),
      'filter.yaml': filter('edge', '- cidr: 10.10.0.0/16', '  matchOperator: In', '  action: Reject'),
    });

    // Assert
    expect(brief(changes)).toEqual(['changed 10.10.2.10/32-10.10.2.20/32 cause filter.yaml:7 (head)']);
    expect(changes[0]!.after!.receipts.map((r) => r.peer.name)).toEqual(['BGPPeer b']);
    expect(counts).toEqual([{ scope: 'default', peer: 'BGPPeer a', before: 11, after: 0 }]);
  });
});
