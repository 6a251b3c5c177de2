// Edge cases of section D where a first version disagreed with BIRD or with another rule.
import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const ippool = (name: string, cidr: string) => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: ${name}
spec:
  cidr: ${cidr}
  disabled: true
`;

const localGroup = `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: lan
  namespace: purelb-system
spec:
  local:
    v4pool:
      subnet: 192.168.1.0/24
      pool: 192.168.1.240-192.168.1.250
      aggregation: default
`;

describe('lb-local-pool-exported follows BIRD: an IPPool must contain the route, not just the range', () => {
  it('fires on an IPPool as wide as the LAN subnet', () => {
    const a = analyzeFiles({ 'sg.yaml': localGroup, 'pool.yaml': ippool('lan', '192.168.1.0/24') });
    expect(where(withRule(a, 'lb-local-pool-exported'))).toEqual(['pool.yaml:6:9']);
  });

  it('stays quiet on an IPPool covering only the range (the /24 route is not inside it)', () => {
    const a = analyzeFiles({ 'sg.yaml': localGroup, 'pool.yaml': ippool('lan', '192.168.1.240/28') });
    expect(withRule(a, 'lb-local-pool-exported')).toEqual([]);
  });
});

const remoteGroup = `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: bgp
  namespace: purelb-system
spec:
  remote:
    v4pool:
      subnet: 10.50.0.0/24
      pool: 10.50.0.0/28
      aggregation: /32
`;

describe('the pool table agrees with the rules', () => {
  it('says unknown, not problem, while the IPPool cidr is a ${VAR}', () => {
    const a = analyzeFiles({ 'sg.yaml': remoteGroup, 'pool.yaml': ippool('lb', '${LB_CIDR}') });
    expect(withRule(a, 'lb-pool-not-exported')).toEqual([]);
    expect(a.pools.map((p) => p.verdict)).toEqual(['unknown']);
  });

  it('says problem when the written IPPool does not cover the pool (near miss)', () => {
    const a = analyzeFiles({ 'sg.yaml': remoteGroup, 'pool.yaml': ippool('lb', '10.60.0.0/24') });
    expect(a.pools.map((p) => p.verdict)).toEqual(['problem']);
  });
});

describe('lb-interface-ignored on a purelb.io/v2 LBNodeAgent', () => {
  it('points at dummyInterface, the v2 field', () => {
    const agent = `apiVersion: purelb.io/v2
kind: LBNodeAgent
metadata:
  name: default
  namespace: purelb-system
spec:
  local:
    dummyInterface: cali-lb0
`;
    const a = analyzeFiles({
      'sg.yaml': remoteGroup,
      'pool.yaml': ippool('lb', '10.50.0.0/24'),
      'agent.yaml': agent,
    });
    expect(where(withRule(a, 'lb-interface-ignored'))).toEqual(['agent.yaml:8:21']);
  });
});

describe('lb-service-ips-double-advertised and a service CIDR with host bits', () => {
  const bgp = (cidr: string) => `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  serviceLoadBalancerIPs:
    - cidr: ${cidr}
`;

  it('leaves a CIDR with host bits to bgp-prefix-cidr (one cause, one finding)', () => {
    const a = analyzeFiles({
      'sg.yaml': remoteGroup,
      'pool.yaml': ippool('lb', '10.50.0.0/24'),
      'bgp.yaml': bgp('10.50.0.5/24'),
    });
    expect(where(withRule(a, 'bgp-prefix-cidr'))).toEqual(['bgp.yaml:7:13']);
    expect(withRule(a, 'lb-service-ips-double-advertised')).toEqual([]);
  });

  it('warns on the same range written as a network (near miss)', () => {
    const a = analyzeFiles({
      'sg.yaml': remoteGroup,
      'pool.yaml': ippool('lb', '10.50.0.0/24'),
      'bgp.yaml': bgp('10.50.0.0/24'),
    });
    expect(where(withRule(a, 'lb-service-ips-double-advertised'))).toEqual(['bgp.yaml:7:13']);
  });
});

describe('a community name defined twice resolves as confd does: the last value wins', () => {
  const bgp = (first: string, last: string) => `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  communities:
    - name: lb
      value: "${first}"
    - name: lb
      value: "${last}"
  prefixAdvertisements:
    - cidr: 10.50.0.0/24
      communities: [lb]
`;
  const files = (b: string) => ({
    'sg.yaml': remoteGroup,
    'pool.yaml': ippool('lb', '10.50.0.0/24'),
    'bgp.yaml': b,
  });

  it('counts the required community carried by the last definition', () => {
    const a = analyzeFiles(files(bgp('64512:1', '64512:100')), { requiredCommunities: ['64512:100'] });
    expect(withRule(a, 'lb-community-missing')).toEqual([]);
  });

  it('reports it missing when only the overridden first definition carries it (near miss)', () => {
    const a = analyzeFiles(files(bgp('64512:100', '64512:1')), { requiredCommunities: ['64512:100'] });
    // On the entry that covers the pool but lacks the community.
    expect(where(withRule(a, 'lb-community-missing'))).toEqual(['bgp.yaml:12:7']);
  });
});
