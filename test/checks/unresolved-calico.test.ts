// Verdicts that depend on a Calico value still written as a Flux ${VAR} are not given: the
// unknown value may be exactly the one that makes the pool right (value-unresolved says so).
import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const group = `apiVersion: purelb.io/v2
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

const ippool = (cidr: string) => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: lb
spec:
  cidr: ${cidr}
  disabled: true
`;

const bgp = (advertised: string) => `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: 64512
  prefixAdvertisements:
    - cidr: ${advertised}
      communities: ["64512:100"]
`;

describe('lb-pool-not-exported with an unresolved IPPool cidr', () => {
  it('stays quiet, and value-unresolved names the variable', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'sg.yaml': group,
      'pool.yaml': ippool('${LB_CIDR}'),
      'bgp.yaml': bgp('10.50.0.0/24'),
    });

    // Assert
    expect(withRule(a, 'lb-pool-not-exported')).toEqual([]);
    expect(where(withRule(a, 'value-unresolved'))).toEqual(['pool.yaml:6:9']);
  });

  it('fires when the same IPPool is written out and does not cover the pool (near miss)', () => {
    const a = analyzeFiles({
      'sg.yaml': group,
      'pool.yaml': ippool('10.60.0.0/24'),
      'bgp.yaml': bgp('10.50.0.0/24'),
    });
    expect(where(withRule(a, 'lb-pool-not-exported'))).toEqual(['sg.yaml:10:13']);
  });
});

describe('lb-community-missing with an unresolved prefixAdvertisements cidr', () => {
  it('stays quiet', () => {
    const a = analyzeFiles(
      { 'sg.yaml': group, 'pool.yaml': ippool('10.50.0.0/24'), 'bgp.yaml': bgp('${LB_CIDR}') },
      { requiredCommunities: ['64512:100'] },
    );
    expect(withRule(a, 'lb-community-missing')).toEqual([]);
  });

  it('fires when the entry is written out and covers something else (near miss)', () => {
    const a = analyzeFiles(
      { 'sg.yaml': group, 'pool.yaml': ippool('10.50.0.0/24'), 'bgp.yaml': bgp('10.60.0.0/24') },
      { requiredCommunities: ['64512:100'] },
    );
    expect(withRule(a, 'lb-community-missing').map((f) => f.severity)).toEqual(['error']);
  });
});

describe('sg-namespace and ServiceGroups made by the PureLB chart', () => {
  const release = (namespace: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: purelb
  namespace: ${namespace}
spec:
  chart:
    spec:
      chart: purelb
      version: 0.15.2
  values:
    serviceGroup:
      create: true
      spec:
        local:
          v4pool:
            subnet: 192.168.1.0/24
            pool: 192.168.1.240-192.168.1.250
            aggregation: default
`;

  it('does not warn on a chart-made group, whatever namespace the release is in', () => {
    const a = analyzeFiles({ 'purelb.yaml': release('purelb') });
    expect(withRule(a, 'sg-namespace')).toEqual([]);
  });

  it('still warns on a written v2 group outside the PureLB namespace (near miss)', () => {
    const a = analyzeFiles({ 'sg.yaml': group.replace('purelb-system', 'purelb') });
    expect(where(withRule(a, 'sg-namespace'))).toEqual(['sg.yaml:5:14']);
  });
});
