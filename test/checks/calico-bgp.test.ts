import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

/** A Calico document; spec line k (0-based) lands on line 6 + k of its document. */
const res = (kind: string, name: string, ...spec: string[]): string =>
  ['apiVersion: crd.projectcalico.org/v1', `kind: ${kind}`, 'metadata:', `  name: ${name}`, 'spec:']
    .concat(spec.map((s) => `  ${s}`))
    .join('\n') + '\n';
const bgp = (name: string, ...spec: string[]) => res('BGPConfiguration', name, ...spec);
/** A Flux `${VAR}` placeholder, built so the linter does not take it for a template mistake. */
const flux = (name: string): string => '$' + '{' + name + '}';
const docs = (...d: string[]): string => d.join('---\n');

describe('bgp-asnumber', () => {
  it('reports an ASN above int32 with the 2-byte remediation, a bad asdot part and an ASN above 32 bits', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp('default', 'asNumber: 4200000101'),
      'p.yaml': docs(
        res('BGPPeer', 'a', 'peerIP: 192.0.2.1', 'asNumber: 65536.1'),
        res('BGPPeer', 'b', 'peerIP: 192.0.2.2', 'asNumber: 4294967296'),
      ),
    });

    // Assert
    const f = withRule(a, 'bgp-asnumber');
    expect(where(f)).toEqual(['b.yaml:6:13', 'p.yaml:7:13', 'p.yaml:15:13']);
    expect(f[0]!.message).toContain('use a private 2-byte ASN (64512-65534)');
    expect(f[0]!.message).toContain('13494');
    expect(f[1]!.message).toContain('16-bit');
  });

  it('stays quiet on a 2-byte ASN, asdot 1.10 (read as written, not as 1.1), int32 max and a placeholder', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp('default', 'asNumber: 64512'),
      'p.yaml': docs(
        res('BGPPeer', 'a', 'peerIP: 192.0.2.1', 'asNumber: 1.10'),
        res('BGPPeer', 'b', 'peerIP: 192.0.2.2', 'asNumber: 2147483647'),
        res('BGPPeer', 'c', 'peerIP: 192.0.2.3', 'asNumber: "100.1"'),
        res('BGPPeer', 'd', 'peerIP: 192.0.2.4', `asNumber: ${flux('PEER_ASN')}`),
      ),
    });

    // Assert
    expect(withRule(a, 'bgp-asnumber')).toEqual([]);
  });
  it('reads asdot as X * 65536 + Y, so 65000.1 is above int32 too', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'p.yaml': res('BGPPeer', 'a', 'peerIP: 192.0.2.1', 'asNumber: 65000.1') });

    // Assert
    const f = withRule(a, 'bgp-asnumber');
    expect(where(f)).toEqual(['p.yaml:7:13']);
    expect(f[0]!.message).toContain('65000.1 (4259840001)');
  });
});

describe('bgp-community-format', () => {
  it('reports a bad name, an out-of-range value and an out-of-range literal in prefixAdvertisements', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp(
        'default',
        'communities:',
        '- name: Bad_Name',
        '  value: 65536:1',
        'prefixAdvertisements:',
        '- cidr: 10.0.0.0/24',
        '  communities:',
        '  - 1:2:4294967296',
        '  - Bad_Name',
      ),
    });

    // Assert
    expect(where(withRule(a, 'bgp-community-format'))).toEqual(['b.yaml:7:11', 'b.yaml:8:12', 'b.yaml:12:7']);
    expect(withRule(a, 'bgp-community-undefined')).toEqual([]);
  });

  it('reports a community without a value at the list item', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp(
        'default',
        'communities:',
        '- name: lb',
        'prefixAdvertisements:',
        '- cidr: 10.0.0.0/24',
        '  communities: [lb]',
      ),
    });

    // Assert
    expect(where(withRule(a, 'bgp-community-format'))).toEqual(['b.yaml:7:5']);
  });

  it('stays quiet on a label name, a standard and a large value at their limits', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp(
        'default',
        'communities:',
        '- name: purelb-lb',
        '  value: 65535:65535',
        '- name: big',
        '  value: 4294967295:0:4294967295',
        'prefixAdvertisements:',
        '- cidr: 10.0.0.0/24',
        '  communities: [purelb-lb, big, "100:100", "1:2:3"]',
      ),
    });

    // Assert
    expect(withRule(a, 'bgp-community-format')).toEqual([]);
  });
});

describe('bgp-community-undefined', () => {
  it("reports a name defined only in another resource, at the list item (Calico looks in the same resource's spec)", () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': docs(
        bgp(
          'default',
          'communities:',
          '- name: lb',
          '  value: 65000:100',
          'prefixAdvertisements:',
          '- cidr: 10.0.0.0/24',
          '  communities: [lb]',
        ),
        bgp(
          'node.a',
          'prefixAdvertisements:',
          '- cidr: 10.0.0.0/24',
          '  communities:',
          '  - 65000:1',
          '  - lb',
        ),
      ),
    });

    // Assert
    const f = withRule(a, 'bgp-community-undefined');
    expect(where(f)).toEqual(['b.yaml:22:7']);
    expect(f[0]!.message).toContain('this resource defines none');
  });

  it('stays quiet on names defined in the same resource and on literals', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp(
        'default',
        'communities:',
        '- name: lb',
        '  value: 65000:100',
        'prefixAdvertisements:',
        '- cidr: 10.0.0.0/24',
        `  communities: [lb, "65000:1", "65000:1:2", "${flux('EXTRA')}"]`,
      ),
    });

    // Assert
    expect(withRule(a, 'bgp-community-undefined')).toEqual([]);
  });
});

describe('bgp-community-unused', () => {
  it('reports communities without prefixAdvertisements at the communities key', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'b.yaml': bgp('default', 'communities:', '- name: lb', '  value: 65000:100') });

    // Assert
    expect(where(withRule(a, 'bgp-community-unused'))).toEqual(['b.yaml:6:3']);
  });

  it('stays quiet when prefixAdvertisements exist, even if they use only literals', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp(
        'default',
        'communities:',
        '- name: lb',
        '  value: 65000:100',
        'prefixAdvertisements:',
        '- cidr: 10.0.0.0/24',
        '  communities: ["65000:1"]',
      ),
    });

    // Assert
    expect(withRule(a, 'bgp-community-unused')).toEqual([]);
  });
});

describe('bgp-community-4byte-asn', () => {
  it('notes each standard community once per resource, named or literal, skipping well-known ones', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp(
        'default',
        'asNumber: 4200000',
        'communities:',
        '- name: tag',
        '  value: 200:1',
        'prefixAdvertisements:',
        '- cidr: 10.0.0.0/24',
        '  communities:',
        '  - 100:100',
        '  - 65535:65281',
        '  - tag',
        '- cidr: 10.0.1.0/24',
        '  communities:',
        '  - 100:100',
      ),
    });

    // Assert
    const f = withRule(a, 'bgp-community-4byte-asn');
    expect(where(f)).toEqual(['b.yaml:13:7', 'b.yaml:15:7']);
    expect(f.every((x) => x.severity === 'notice')).toBe(true);
    expect(f[0]!.message).toContain('4200000:0:100');
  });

  it('uses the default configuration ASN for a node configuration', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': docs(
        bgp('default', 'asNumber: 4200000'),
        bgp('node.a', 'prefixAdvertisements:', '- cidr: 10.0.0.0/24', '  communities: ["100:100"]'),
      ),
    });

    // Assert
    expect(where(withRule(a, 'bgp-community-4byte-asn'))).toEqual(['b.yaml:15:19']);
  });

  it('stays quiet on a 2-byte ASN, on large communities, and on an ASN bgp-asnumber already rejects', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': bgp(
        'default',
        'asNumber: 65010',
        'prefixAdvertisements:',
        '- cidr: 10.0.0.0/24',
        '  communities: ["100:100"]',
      ),
      'b.yaml': bgp('big', 'prefixAdvertisements:', '- cidr: 10.0.0.0/24', '  communities: ["4200000:1:1"]'),
      'c.yaml': bgp('node.c', 'asNumber: 4200000101'),
    });

    // Assert
    expect(withRule(a, 'bgp-community-4byte-asn')).toEqual([]);
  });
});

describe('bgp-prefix-cidr', () => {
  it('reports host bits (with a fix), a CIDR that does not parse, and a prefixAdvertisement without cidr', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp(
        'default',
        'prefixAdvertisements:',
        '- cidr: 10.0.0.1/24',
        '  communities: ["65000:1"]',
        '- communities: ["65000:2"]',
        'serviceLoadBalancerIPs:',
        '- cidr: 10.1.0.0/99',
      ),
    });

    // Assert
    const f = withRule(a, 'bgp-prefix-cidr');
    expect(where(f)).toEqual(['b.yaml:7:11', 'b.yaml:9:5', 'b.yaml:11:11']);
    expect(f[0]!.fix).toMatchObject({
      changes: [
        { ops: [{ op: 'set', path: ['spec', 'prefixAdvertisements', 0, 'cidr'], value: '10.0.0.0/24' }] },
      ],
    });
  });

  it('stays quiet on masked CIDRs, a bare address (Calico reads /32) and a service block without cidr', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp(
        'default',
        'prefixAdvertisements:',
        '- cidr: 10.0.0.0/24',
        '  communities: ["65000:1"]',
        '- cidr: 10.0.0.7',
        '  communities: ["65000:2"]',
        'serviceExternalIPs:',
        '- {}',
        'serviceClusterIPs:',
        '- cidr: fd00:96::/112',
      ),
    });

    // Assert
    expect(withRule(a, 'bgp-prefix-cidr')).toEqual([]);
  });
});

describe('bgp-default-only-field', () => {
  it('reports each default-only field of a non-default configuration at its key', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp(
        'node.a',
        'asNumber: 65010',
        'nodeToNodeMeshEnabled: false',
        'serviceClusterIPs: []',
        'serviceExternalIPs:',
        '- cidr: 192.0.2.0/24',
      ),
    });

    // Assert
    const f = withRule(a, 'bgp-default-only-field');
    expect(where(f)).toEqual(['b.yaml:6:3', 'b.yaml:7:3', 'b.yaml:9:3']);
    expect(f[0]!.message).toContain('per-node');
  });

  it('stays quiet on the default configuration and on a non-default one with only per-node fields', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'a.yaml': bgp(
        'default',
        'asNumber: 65010',
        'nodeToNodeMeshEnabled: false',
        'serviceExternalIPs:',
        '- cidr: 192.0.2.0/24',
      ),
      'b.yaml': bgp('node.a', 'listenPort: 179', 'ignoredInterfaces: [eth9]', 'serviceClusterIPs: []'),
    });

    // Assert
    expect(withRule(a, 'bgp-default-only-field')).toEqual([]);
  });
});

describe('bgp-service-cidr-overlaps-pool', () => {
  it('warns when serviceClusterIPs overlaps an IPPool, pointing at both', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp('default', 'serviceClusterIPs:', '- cidr: 10.244.0.0/16'),
      'p.yaml': res('IPPool', 'pods', 'cidr: 10.244.0.0/16'),
    });

    // Assert
    const f = withRule(a, 'bgp-service-cidr-overlaps-pool');
    expect(where(f)).toEqual(['b.yaml:7:11']);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual(['p.yaml:6:9']);
  });

  it('stays quiet on disjoint ranges and on serviceLoadBalancerIPs inside a pool', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'b.yaml': bgp(
        'default',
        'serviceClusterIPs:',
        '- cidr: 10.96.0.0/12',
        'serviceLoadBalancerIPs:',
        '- cidr: 10.50.0.0/24',
      ),
      'p.yaml': docs(
        res('IPPool', 'pods', 'cidr: 10.244.0.0/16'),
        res('IPPool', 'lb', 'cidr: 10.50.0.0/24', 'disabled: true'),
      ),
    });

    // Assert
    expect(withRule(a, 'bgp-service-cidr-overlaps-pool')).toEqual([]);
  });
});
