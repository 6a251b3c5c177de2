import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

/** An operator Installation; calicoNetwork line k (0-based) lands on line 7 + k. */
const installation = (...network: string[]): string =>
  [
    'apiVersion: operator.tigera.io/v1',
    'kind: Installation',
    'metadata:',
    '  name: default',
    'spec:',
    '  calicoNetwork:',
  ]
    .concat(network.map((s) => `    ${s}`))
    .join('\n') + '\n';

describe('install-shape', () => {
  it('reports wrong enum case, an unknown calicoNetwork field and IPPool fields in an operator ipPool', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'i.yaml': installation(
        'bgp: enabled',
        'mtuSize: 1440',
        'ipPools:',
        '- cidr: 10.244.0.0/16',
        '  encapsulation: vxlan',
        '  natOutgoing: enabled',
        '  ipipMode: Always',
        '  blocksize: 26',
      ),
    });

    // Assert
    const f = withRule(a, 'install-shape');
    expect(where(f)).toEqual([
      'i.yaml:7:10',
      'i.yaml:8:5',
      'i.yaml:11:22',
      'i.yaml:12:20',
      'i.yaml:13:7',
      'i.yaml:14:7',
    ]);
    expect(f[0]!.message).toContain('did you mean `Enabled`');
    expect(f[2]!.message).toContain('did you mean `VXLAN`');
    expect(f[4]!.message).toContain('encapsulation: IPIP');
    expect(f[5]!.message).toContain('did you mean `blockSize`');
  });

  it('stays quiet on a well-formed Installation', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'i.yaml': installation(
        'bgp: Enabled',
        'linuxDataplane: BPF',
        'mtu: 1440',
        'nodeAddressAutodetectionV4:',
        '  kubernetes: NodeInternalIP',
        'ipPools:',
        '- name: default-ipv4',
        '  cidr: 10.244.0.0/16',
        '  encapsulation: VXLANCrossSubnet',
        '  natOutgoing: Enabled',
        '  nodeSelector: all()',
        '  blockSize: 26',
        '  disableNewAllocations: false',
        '- cidr: 10.50.0.0/24',
        '  encapsulation: None',
        '  natOutgoing: Disabled',
        '  disableBGPExport: false',
        '  allowedUses: [LoadBalancer]',
        '  assignmentMode: Manual',
      ),
    });

    // Assert
    expect(withRule(a, 'install-shape')).toEqual([]);
  });
});

describe('calico-namespaced', () => {
  it('notes metadata.namespace on a cluster-scoped Calico resource, at the namespace', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'p.yaml': [
        'apiVersion: projectcalico.org/v3',
        'kind: IPPool',
        'metadata:',
        '  name: pods',
        '  namespace: calico-system',
        'spec:',
        '  cidr: 10.244.0.0/16',
        '',
      ].join('\n'),
    });

    // Assert
    const f = withRule(a, 'calico-namespaced');
    expect(where(f)).toEqual(['p.yaml:5:14']);
    expect(f[0]!.severity).toBe('notice');
  });

  it('stays quiet without a namespace, and on namespaced kinds', () => {
    // Arrange / Act
    const a = analyzeFiles({
      'p.yaml': [
        'apiVersion: crd.projectcalico.org/v1',
        'kind: BGPPeer',
        'metadata:',
        '  name: tor',
        'spec:',
        '  peerIP: 192.0.2.1',
        '  asNumber: 65001',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: web',
        '  namespace: web',
        'spec:',
        '  type: LoadBalancer',
        '',
      ].join('\n'),
    });

    // Assert
    expect(withRule(a, 'calico-namespaced')).toEqual([]);
  });
});
