// routes-max-per-peer: a scope that sends one peer more routes than config routes.maxPerPeer.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.ts';
import { analyzeFiles, where, withRule } from '../helpers.ts';
import { bgpConfig, ipPool, peer, sg } from './fixtures.ts';

const FILES = {
  'a.yaml': sg('host', '10.10.2.0/24', '10.10.2.10-10.10.2.20', '/32'),
  'b.yaml': sg('whole', '10.10.3.0/24', '10.10.3.10-10.10.3.20', 'default'),
  'ippools.yaml': ipPool('lb', '10.10.0.0/16', 'disabled: true'),
  'bgp.yaml': bgpConfig('default', 'nodeToNodeMeshEnabled: false'),
  'peers.yaml': `${peer('tor', '192.168.1.1')}---\n${peer('v6', 'fd00::1')}`,
};
const limit = (maxPerPeer: number | undefined) => ({ routes: { ...DEFAULT_CONFIG.routes, maxPerPeer } });

describe('routes-max-per-peer', () => {
  it('fires on the BGPPeer that would receive more routes than routes.maxPerPeer, naming the largest sources', () => {
    // Arrange / Act: 11 /32 routes plus one /24 go to the IPv4 peer; the IPv6 peer gets none.
    const a = analyzeFiles(FILES, limit(11));

    // Assert
    const fs = withRule(a, 'routes-max-per-peer');
    expect(where(fs)).toEqual(['peers.yaml:4:9']);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.message).toBe(
      'Scope "default" announces 12 routes to BGPPeer tor, over routes.maxPerPeer 11: a router with that max-prefix limit drops the session. The most come from 10.10.2.10/32-10.10.2.20/32 (11), 10.10.3.0/24 (1).',
    );
    expect(where(fs[0]!.related as never)).toEqual(['a.yaml:9:11', 'b.yaml:9:11']);
  });

  it('is quiet at exactly the limit, and without routes.maxPerPeer', () => {
    // Arrange / Act
    const atLimit = analyzeFiles(FILES, limit(12));
    const unset = analyzeFiles(FILES, limit(undefined));

    // Assert
    expect(withRule(atLimit, 'routes-max-per-peer')).toEqual([]);
    expect(withRule(unset, 'routes-max-per-peer')).toHaveLength(0);
  });

  it('points at the default BGPConfiguration for the node mesh', () => {
    // Arrange / Act
    const a = analyzeFiles({ ...FILES, 'bgp.yaml': bgpConfig('default', 'asNumber: 64512') }, limit(12));

    // Assert: the mesh and the IPv4 peer both get all 12.
    expect(where(withRule(a, 'routes-max-per-peer'))).toEqual([]);
    const b = analyzeFiles({ ...FILES, 'bgp.yaml': bgpConfig('default', 'asNumber: 64512') }, limit(5));
    expect(where(withRule(b, 'routes-max-per-peer'))).toEqual(['bgp.yaml:4:9', 'peers.yaml:4:9']);
  });

  it('reads routes.maxPerPeer from the config file and reports a value that is not a positive integer', () => {
    // Arrange / Act
    const ok = analyzeFiles({ ...FILES, '.github/lbguard.yml': 'routes:\n  maxPerPeer: 11\n' });
    const bad = analyzeFiles({ ...FILES, '.github/lbguard.yml': 'routes:\n  maxPerPeer: 0\n' });

    // Assert
    expect(where(withRule(ok, 'routes-max-per-peer'))).toEqual(['peers.yaml:4:9']);
    expect(where(withRule(bad, 'config'))).toEqual(['.github/lbguard.yml:2:3']);
    expect(withRule(bad, 'routes-max-per-peer')).toEqual([]);
  });
});
