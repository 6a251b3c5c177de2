import { describe, expect, it } from 'vitest';
import { calicoRules } from '../../src/checks/calico.ts';
import { analyzeFiles, analyzeFixture, where, withRule } from '../helpers.ts';

/** An IPPool document; spec line k (0-based) lands on line 6 + k of its document. */
const pool = (name: string, ...spec: string[]): string =>
  ['apiVersion: crd.projectcalico.org/v1', 'kind: IPPool', 'metadata:', `  name: ${name}`, 'spec:']
    .concat(spec.map((s) => `  ${s}`))
    .join('\n') + '\n';

/** A Flux `${VAR}` placeholder, built so the linter does not take it for a template mistake. */
const flux = (name: string): string => '$' + '{' + name + '}';
const docs = (...d: string[]): string => d.join('---\n');

describe('section C registry entries', () => {
  it('has every catalog id once, in the calico family, with evidence', () => {
    // Arrange
    const ids = [
      'ippool-cidr',
      'ippool-overlap',
      'ippool-block-size',
      'ippool-encapsulation',
      'ippool-link-local',
      'ippool-allowed-uses',
      'bgp-asnumber',
      'bgp-community-format',
      'bgp-community-undefined',
      'bgp-community-unused',
      'bgp-community-4byte-asn',
      'bgp-prefix-cidr',
      'bgp-default-only-field',
      'bgp-service-cidr-overlaps-pool',
      'install-shape',
      'calico-namespaced',
    ];

    // Act
    const got = calicoRules.map((r) => r.id);

    // Assert
    expect(got).toEqual(ids);
    for (const r of calicoRules) {
      expect(r.family).toBe('calico');
      expect(r.evidence.length).toBeGreaterThan(0);
      expect(r.check).toBeTypeOf('function');
    }
    const sev = Object.fromEntries(calicoRules.map((r) => [r.id, r.severity]));
    expect(sev['bgp-community-4byte-asn']).toBe('notice');
    expect(sev['calico-namespaced']).toBe('notice');
    expect(sev['bgp-service-cidr-overlaps-pool']).toBe('warning');
  });
});

describe('ippool-cidr', () => {
  it('reports a CIDR with host bits set, with a network-address fix', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'p.yaml': pool('a', 'cidr: 10.0.0.5/24', 'disabled: true') });

    // Assert
    const f = withRule(a, 'ippool-cidr');
    expect(where(f)).toEqual(['p.yaml:6:9']);
    expect(f[0]!.message).toContain('10.0.0.0/24');
    expect(f[0]!.fix).toMatchObject({
      changes: [{ kind: 'edit', ops: [{ op: 'set', path: ['spec', 'cidr'], value: '10.0.0.0/24' }] }],
    });
  });

  it('reports a CIDR that does not parse', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'p.yaml': pool('a', 'cidr: 10.0.0.0/33') });

    // Assert
    expect(where(withRule(a, 'ippool-cidr'))).toEqual(['p.yaml:6:9']);
  });

  it('stays quiet on a strictly masked CIDR, a bare address (Calico reads /32) and a placeholder', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'p.yaml': docs(
        pool('a', 'cidr: 10.0.0.0/24'),
        pool('b', 'cidr: 10.1.0.1', 'disabled: true'),
        pool('c', `cidr: ${flux('POD_CIDR')}`),
      ),
    });

    // Assert
    expect(withRule(a, 'ippool-cidr')).toEqual([]);
  });
});

describe('ippool-overlap', () => {
  it('reports a pool nested in another once, on the later one, pointing at the other', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': pool('wide', 'cidr: 10.0.0.0/16'),
      'b.yaml': pool('narrow', 'cidr: 10.0.3.0/24', 'disabled: true'),
    });

    // Assert
    const f = withRule(a, 'ippool-overlap');
    expect(where(f)).toEqual(['b.yaml:6:9']);
    expect(f[0]!.message).toContain('lies inside');
    expect(f[0]!.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual(['a.yaml:6:9']);
  });

  it('stays quiet on adjacent pools, pools of different families and the same pool written twice', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'p.yaml': docs(
        pool('a', 'cidr: 10.0.0.0/24'),
        pool('b', 'cidr: 10.0.1.0/24'),
        pool('c', 'cidr: fd00::/64', 'blockSize: 122'),
      ),
      'overlay.yaml': pool('a', 'cidr: 10.0.0.0/24'),
    });

    // Assert
    expect(withRule(a, 'ippool-overlap')).toEqual([]);
  });

  // Speed is bench/'s to measure (the checks-phase ratio at 10x pools); this pins the answer at scale.
  it('finds no overlap among many disjoint pools', () => {
    // Arrange
    const many = Array.from({ length: 3000 }, (_, i) => pool(`p${i}`, `cidr: 10.${i >> 8}.${i & 255}.0/24`));

    // Act
    const a = analyzeFiles({ 'many.yaml': docs(...many) });

    // Assert
    expect(withRule(a, 'ippool-overlap')).toEqual([]);
  });
});

describe('ippool-block-size', () => {
  it('reports a blockSize outside 20..32 at the blockSize', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'p.yaml': pool('a', 'cidr: 10.0.0.0/16', 'blockSize: 18') });

    // Assert
    expect(where(withRule(a, 'ippool-block-size'))).toEqual(['p.yaml:7:14']);
  });

  it('reports an enabled pool smaller than its default /26 block at the cidr', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'p.yaml': pool('a', 'cidr: 10.0.0.0/28') });

    // Assert
    const f = withRule(a, 'ippool-block-size');
    expect(where(f)).toEqual(['p.yaml:6:9']);
    expect(f[0]!.message).toContain('/26 block (the default)');
  });

  it('stays quiet on a disabled small pool, an IPv6 /122 block and a block equal to the prefix', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'p.yaml': docs(
        pool('a', 'cidr: 10.0.0.0/28', 'disabled: true'),
        pool('b', 'cidr: fd00::/64', 'blockSize: 122'),
        pool('c', 'cidr: 10.1.0.0/29', 'blockSize: 29'),
      ),
    });

    // Assert
    expect(withRule(a, 'ippool-block-size')).toEqual([]);
  });
});

describe('ippool-encapsulation', () => {
  it('reports both modes enabled, IPIP on IPv6 and a wrongly cased mode', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'p.yaml': docs(
        pool('a', 'cidr: 10.0.0.0/16', 'ipipMode: Always', 'vxlanMode: CrossSubnet'),
        pool('b', 'cidr: fd00::/64', 'ipipMode: CrossSubnet'),
        pool('c', 'cidr: 10.1.0.0/16', 'vxlanMode: always'),
      ),
    });

    // Assert
    const f = withRule(a, 'ippool-encapsulation');
    expect(where(f)).toEqual(['p.yaml:7:13', 'p.yaml:16:13', 'p.yaml:24:14']);
    expect(f[2]!.message).toContain('did you mean `Always`');
  });

  it('stays quiet on one enabled mode and on IPv6 with ipipMode Never', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'p.yaml': docs(
        pool('a', 'cidr: 10.0.0.0/16', 'ipipMode: Never', 'vxlanMode: Always'),
        pool('b', 'cidr: fd00::/64', 'ipipMode: Never', 'vxlanMode: CrossSubnet'),
      ),
    });

    // Assert
    expect(withRule(a, 'ippool-encapsulation')).toEqual([]);
  });
});

describe('ippool-link-local', () => {
  it('reports IPv4 and IPv6 pools that overlap the link-local ranges', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'p.yaml': docs(pool('a', 'cidr: 169.254.0.0/24'), pool('b', 'cidr: fe80::/64', 'blockSize: 122')),
    });

    // Assert
    expect(where(withRule(a, 'ippool-link-local'))).toEqual(['p.yaml:6:9', 'p.yaml:13:9']);
  });

  it('stays quiet just outside the ranges', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'p.yaml': docs(pool('a', 'cidr: 169.255.0.0/24'), pool('b', 'cidr: fec0::/64', 'blockSize: 122')),
    });

    // Assert
    expect(withRule(a, 'ippool-link-local')).toEqual([]);
  });
});

describe('ippool-allowed-uses', () => {
  it('reports Workload with LoadBalancer at the item, and an exported-off, encapsulated, selective LB pool', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'p.yaml': docs(
        pool('a', 'cidr: 10.0.0.0/24', 'allowedUses:', '- LoadBalancer', '- Workload'),
        pool(
          'b',
          'cidr: 10.1.0.0/24',
          'allowedUses: [LoadBalancer]',
          'disableBGPExport: true',
          'vxlanMode: Always',
          'nodeSelector: rack == "a"',
        ),
      ),
    });

    // Assert
    expect(where(withRule(a, 'ippool-allowed-uses'))).toEqual([
      'p.yaml:9:5',
      'p.yaml:18:21',
      'p.yaml:19:14',
      'p.yaml:20:17',
    ]);
  });

  it('reports an operator ipPool mixing LoadBalancer and Tunnel', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'i.yaml': [
        'apiVersion: operator.tigera.io/v1',
        'kind: Installation',
        'metadata:',
        '  name: default',
        'spec:',
        '  calicoNetwork:',
        '    ipPools:',
        '    - cidr: 10.9.0.0/24',
        '      encapsulation: None',
        '      allowedUses: [LoadBalancer, Tunnel]',
        '',
      ].join('\n'),
    });

    // Assert
    expect(where(withRule(a, 'ippool-allowed-uses'))).toEqual(['i.yaml:10:35']);
  });

  it('stays quiet on a well-formed LoadBalancer pool and on a Workload+Tunnel pool', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'p.yaml': docs(
        pool(
          'a',
          'cidr: 10.0.0.0/24',
          'allowedUses: [LoadBalancer]',
          'nodeSelector: all()',
          'vxlanMode: Never',
        ),
        pool('b', 'cidr: 10.1.0.0/16', 'allowedUses: [Workload, Tunnel]', 'vxlanMode: Always'),
      ),
    });

    // Assert
    expect(withRule(a, 'ippool-allowed-uses')).toEqual([]);
  });
});

describe('section C on fixture repositories', () => {
  const sectionC = new Set(calicoRules.map((r) => r.id));

  it('reports every mix-up of a copy-pasted homelab Calico setup at its node', () => {
    // Arrange / Act
    const a = analyzeFixture('rules/calico/mixups');

    // Assert
    const got = a.findings
      .filter((f) => sectionC.has(f.rule))
      .map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`);
    expect(got).toEqual([
      'calico-namespaced calico/bgp.yaml:5:14',
      'bgp-asnumber calico/bgp.yaml:7:13',
      'bgp-service-cidr-overlaps-pool calico/bgp.yaml:9:11',
      'bgp-community-unused calico/bgp.yaml:10:3',
      'install-shape calico/installation.yaml:11:7',
    ]);
    const overlap = withRule(a, 'bgp-service-cidr-overlaps-pool')[0]!;
    expect(overlap.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual([
      'calico/installation.yaml:10:13',
    ]);
  });

  it('stays quiet on a clean operator + BGP + PureLB IPPool setup', () => {
    // Arrange / Act
    const a = analyzeFixture('rules/calico/clean');

    // Assert
    expect(a.findings.filter((f) => sectionC.has(f.rule))).toEqual([]);
  });
});
