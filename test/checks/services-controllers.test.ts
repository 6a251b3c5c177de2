// LoadBalancer controllers other than PureLB: their Services get no PureLB rule, and a scope that
// runs two controllers gets one warning per Service both would take.
import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

// Line 1 apiVersion ... line 6 `annotations:` (when any), annotation i on line 7 + i, then `spec:`.
function service(name: string, annotations: string[], spec: string[]): string {
  const ann = annotations.length ? `  annotations:\n${annotations.map((a) => `    ${a}\n`).join('')}` : '';
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: apps
${ann}spec:
${spec.map((s) => `  ${s}\n`).join('')}`;
}

const GROUP = `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb-system
spec:
  local:
    v4pools:
      - subnet: 192.168.1.0/24
        pool: 192.168.1.100-192.168.1.150
        aggregation: default
`;

const METALLB_POOL = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: lan
  namespace: metallb-system
spec:
  addresses:
    - 192.168.5.0/24
`;

const CILIUM_POOL = `apiVersion: cilium.io/v2alpha1
kind: CiliumLoadBalancerIPPool
metadata:
  name: blue
spec:
  blocks:
    - cidr: 10.0.10.0/24
`;

const SHARED = 'metallb.universe.tf/allow-shared-ip: dns';

describe('Services another controller owns', () => {
  it('get no PureLB rule: two MetalLB Services sharing an address through allow-shared-ip', () => {
    // Arrange: seen on a public repository, where both got svc-address-conflict and a deprecation notice.
    const files = {
      'purelb/sg.yaml': GROUP,
      'apps/dns-tcp.yaml': service(
        'dns-tcp',
        [SHARED],
        ['type: LoadBalancer', 'loadBalancerIP: 192.168.1.120'],
      ),
      'apps/dns-udp.yaml': service(
        'dns-udp',
        [SHARED],
        ['type: LoadBalancer', 'loadBalancerIP: 192.168.1.120'],
      ),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.findings.filter((f) => f.rule.startsWith('svc-'))).toEqual([]);
  });

  it('get no PureLB rule with another class, kube-vip or Cilium annotations', () => {
    // Arrange
    const files = {
      'purelb/sg.yaml': GROUP,
      'apps/a.yaml': service(
        'a',
        [],
        ['type: LoadBalancer', 'loadBalancerClass: kube-vip.io/kube-vip-class', 'loadBalancerIP: 10.9.9.9'],
      ),
      'apps/b.yaml': service(
        'b',
        ['lbipam.cilium.io/ips: 10.0.10.5'],
        ['type: LoadBalancer', 'loadBalancerIP: 10.9.9.9'],
      ),
      'apps/c.yaml': service(
        'c',
        ['kube-vip.io/loadbalancerIPs: 10.9.9.8'],
        ['type: LoadBalancer', 'loadBalancerIP: 10.9.9.8'],
      ),
    };

    // Act
    const deprecated = withRule(analyzeFiles(files), 'svc-loadbalancerip-deprecated');

    // Assert
    expect(deprecated).toEqual([]);
  });

  it('still get the PureLB rules when they carry a purelb.io annotation too (the author meant PureLB)', () => {
    // Arrange
    const files = {
      'purelb/sg.yaml': GROUP,
      'apps/a.yaml': service('a', [SHARED, 'purelb.io/service-group: nope'], ['type: LoadBalancer']),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-unknown-group');

    // Assert
    expect(where(found)).toEqual(['apps/a.yaml:8:30']);
  });
});

describe('a scope where PureLB does not run (no ServiceGroup, no LBNodeAgent)', () => {
  it('gives a plain LoadBalancer Service no PureLB rule: a cloud, MetalLB or Cilium serves it', () => {
    // Arrange: MetalLB's pool is the only LoadBalancer controller in the scope.
    const files = {
      'metallb/pool.yaml': METALLB_POOL,
      'apps/a.yaml': service('a', [], ['type: LoadBalancer', 'loadBalancerIP: 192.168.5.10']),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.findings).toEqual([]);
  });

  it('still judges a Service that names PureLB itself (near miss: an annotation says PureLB)', () => {
    // Arrange
    const files = {
      'apps/a.yaml': service(
        'a',
        ['purelb.io/allow-shared-ip: web'],
        ['type: LoadBalancer', 'loadBalancerIP: 192.168.5.10'],
      ),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-loadbalancerip-deprecated');

    // Assert
    expect(where(found)).toEqual(['apps/a.yaml:10:19']);
  });
});

describe('svc-lb-controller-race', () => {
  it('fires on each class-less LoadBalancer Service when PureLB and MetalLB share a scope', () => {
    // Arrange
    const files = {
      'purelb/sg.yaml': GROUP,
      'metallb/pool.yaml': METALLB_POOL,
      'apps/web.yaml': service('web', [], ['type: LoadBalancer']),
      'apps/dns.yaml': service('dns', [SHARED], ['type: LoadBalancer']),
      'apps/mine.yaml': service('mine', [], ['type: LoadBalancer', 'loadBalancerClass: purelb.io/purelbv2']),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-lb-controller-race');

    // Assert
    expect(where(found)).toEqual(['apps/dns.yaml:9:9', 'apps/web.yaml:7:9']);
    expect(found[1]!.message).toBe(
      'LoadBalancer Service apps/web has no loadBalancerClass, and this scope runs both PureLB and MetalLB (IPAddressPool lan): both will assign it an address.',
    );
    expect(found[0]!.message).toContain('(its annotations are for MetalLB)');
    expect(found[1]!.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual([
      'metallb/pool.yaml:4:9',
    ]);
  });

  it('fires for Cilium LB-IPAM too', () => {
    // Arrange / Act
    const found = withRule(
      analyzeFiles({
        'purelb/sg.yaml': GROUP,
        'cilium/pool.yaml': CILIUM_POOL,
        'apps/web.yaml': service('web', [], ['type: LoadBalancer']),
      }),
      'svc-lb-controller-race',
    );

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:7:9']);
    expect(found[0]!.message).toContain('both PureLB and Cilium LB-IPAM (CiliumLoadBalancerIPPool blue)');
  });

  it('is quiet with one controller only, or when every Service names its class', () => {
    // Arrange
    const web = service('web', [], ['type: LoadBalancer']);
    const classed = service('web', [], ['type: LoadBalancer', 'loadBalancerClass: purelb.io/purelbv2']);

    const pureOnly = analyzeFiles({ 'purelb/sg.yaml': GROUP, 'apps/web.yaml': web });
    const metalOnly = analyzeFiles({ 'm/pool.yaml': METALLB_POOL, 'apps/web.yaml': web });
    const allClassed = analyzeFiles({
      'purelb/sg.yaml': GROUP,
      'm/pool.yaml': METALLB_POOL,
      'apps/web.yaml': classed,
    });

    // Act / Assert
    expect(withRule(pureOnly, 'svc-lb-controller-race')).toEqual([]);
    expect(withRule(metalOnly, 'svc-lb-controller-race')).toEqual([]);
    expect(withRule(allClassed, 'svc-lb-controller-race')).toEqual([]);
  });
});

describe('svc-annotation-conflict with spec.loadBalancerIP', () => {
  it('fires on spec.loadBalancerIP together with purelb.io/service-group, at the group annotation', () => {
    // Arrange
    const files = {
      'purelb/sg.yaml': GROUP,
      'apps/web.yaml': service(
        'web',
        ['purelb.io/service-group: default'],
        ['type: LoadBalancer', 'loadBalancerIP: 192.168.1.120'],
      ),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-annotation-conflict');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:7:30']);
    expect(found[0]!.message).toContain(
      'sets both spec.loadBalancerIP and purelb.io/service-group "default"',
    );
  });

  it('is quiet with spec.loadBalancerIP alone', () => {
    // Arrange / Act
    const found = withRule(
      analyzeFiles({
        'purelb/sg.yaml': GROUP,
        'apps/web.yaml': service('web', [], ['type: LoadBalancer', 'loadBalancerIP: 192.168.1.120']),
      }),
      'svc-annotation-conflict',
    );

    // Assert
    expect(found).toEqual([]);
  });
});
