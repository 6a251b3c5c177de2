import { describe, expect, it } from 'vitest';
import { serviceRules } from '../../src/checks/services.ts';
import { analyzeFiles, analyzeFixture, where, withRule } from '../helpers.ts';

// Line 1 apiVersion ... line 6 `annotations:` (when any), annotation i on line 7 + i, then `spec:`.
function service(name: string, annotations: string[], spec: string[], namespace = 'apps'): string {
  const ann = annotations.length ? `  annotations:\n${annotations.map((a) => `    ${a}\n`).join('')}` : '';
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
${ann}spec:
${spec.map((s) => `  ${s}\n`).join('')}`;
}

const LB = 'type: LoadBalancer';

// v1, local: default 192.168.1.100-150 in 192.168.1.0/24.
const V1_GROUPS = `apiVersion: purelb.io/v1
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb
spec:
  local:
    v4pool:
      subnet: 192.168.1.0/24
      pool: 192.168.1.100-192.168.1.150
      aggregation: default
---
apiVersion: purelb.io/v1
kind: ServiceGroup
metadata:
  name: lab
  namespace: purelb
spec:
  local:
    v4pool:
      subnet: 192.168.2.0/24
      pool: 192.168.2.100-192.168.2.150
      aggregation: default
`;

// v2, remote: bgp pool aggregated as /24 (the pool line is 11, its aggregation line 12).
const v2Remote = (aggregation: string, name = 'bgp') => `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: ${name}
  namespace: purelb-system
spec:
  remote:
    v4pools:
      - subnet: 172.30.200.0/24
        pool: 172.30.200.10-172.30.200.50
        aggregation: ${aggregation}
`;

const A_GROUP = 'purelb.io/service-group'; // value column 5 + 23 + 2 = 30
const A_ADDR = 'purelb.io/addresses'; // value column 5 + 19 + 2 = 26

describe('section E registry', () => {
  it('carries every catalog id with its default severity, in catalog order', () => {
    // Arrange / Act
    const ids = serviceRules.map((r) => `${r.id}:${r.severity}`);

    // Assert
    expect(ids).toEqual([
      'svc-unknown-group:error',
      'svc-default-group-missing:warning',
      'svc-address-syntax:error',
      'svc-address-outside-pool:error',
      'svc-address-conflict:error',
      'svc-annotation-conflict:warning',
      'svc-lb-controller-race:warning',
      'svc-lb-class:warning',
      'svc-local-traffic-aggregation:warning',
      'svc-loadbalancerip-deprecated:notice',
      'svc-annotation-not-lb:notice',
    ]);
    for (const r of serviceRules) expect(r.evidence.length).toBeGreaterThan(0);
  });
});

describe('svc-unknown-group', () => {
  it('fires on a group name the scope does not define, at the annotation value', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_GROUP}: labb`], [LB]),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-unknown-group');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:7:30']);
    expect(found[0]!.message).toContain('"labb"');
    expect(found[0]!.message).toContain('default, lab');
  });

  it('stays quiet for a defined group, a scope without groups, and another controller', () => {
    // Arrange
    const defined = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_GROUP}: lab`], [LB]),
    };
    const noGroups = { 'apps/web.yaml': service('web', [`${A_GROUP}: labb`], [LB]) };
    const otherClass = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service(
        'web',
        [`${A_GROUP}: labb`],
        [LB, 'loadBalancerClass: io.cilium/l2-announcer'],
      ),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(defined), 'svc-unknown-group')).toEqual([]);
    expect(withRule(analyzeFiles(noGroups), 'svc-unknown-group')).toEqual([]);
    expect(withRule(analyzeFiles(otherClass), 'svc-unknown-group')).toEqual([]);
  });

  it('does not report a group that is defined but invalid (one cause, one finding)', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': v2Remote('24'),
      'apps/web.yaml': service('web', [`${A_GROUP}: bgp`], [LB]),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'svc-unknown-group')).toEqual([]);
  });

  it('leaves an unknown group next to purelb.io/addresses to svc-annotation-conflict', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_GROUP}: labb`, `${A_ADDR}: 192.168.2.120`], [LB]),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'svc-unknown-group')).toEqual([]);
    expect(where(withRule(a, 'svc-annotation-conflict'))).toEqual(['apps/web.yaml:7:30']);
    expect(withRule(a, 'svc-annotation-conflict')[0]!.message).toContain('no ServiceGroup of that name');
  });

  it('skips a group name that is a Flux placeholder', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_GROUP}: \${POOL}`], [LB]),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'svc-unknown-group')).toEqual([]);
  });
});

describe('svc-default-group-missing', () => {
  it('fires on a Service with no group when no group is named default, at spec.type', () => {
    // Arrange
    const files = { 'purelb/groups.yaml': v2Remote('/32'), 'apps/web.yaml': service('web', [], [LB]) };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-default-group-missing');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:7:9']);
    expect(found[0]!.severity).toBe('warning');
  });

  it('stays quiet when a default group exists, an address is requested, or a v2 group binds the namespace', () => {
    // Arrange
    const withDefault = { 'purelb/groups.yaml': V1_GROUPS, 'apps/web.yaml': service('web', [], [LB]) };
    const pinned = {
      'purelb/groups.yaml': v2Remote('/32'),
      'apps/web.yaml': service('web', [`${A_ADDR}: 172.30.200.20`], [LB]),
    };
    const bound = {
      'purelb/groups.yaml': `${v2Remote('/32')}  namespaces:\n    - apps\n`,
      'apps/web.yaml': service('web', [], [LB]),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(withDefault), 'svc-default-group-missing')).toEqual([]);
    expect(withRule(analyzeFiles(pinned), 'svc-default-group-missing')).toEqual([]);
    expect(withRule(analyzeFiles(bound), 'svc-default-group-missing')).toEqual([]);
  });
});

describe('svc-address-syntax', () => {
  it('fires on a space after the comma (PureLB does not trim), at the annotation value', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_ADDR}: "192.168.1.100, 2001:db8::10"`], [LB]),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-address-syntax');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:7:26']);
    expect(found[0]!.message).toContain('whitespace');
  });

  it('fires on a CIDR and on a malformed spec.loadBalancerIP', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/a.yaml': service('a', [`${A_ADDR}: 192.168.1.100/32`], [LB]),
      'apps/b.yaml': service('b', [], [LB, 'loadBalancerIP: 192.168.1.300']),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-address-syntax');

    // Assert
    expect(where(found)).toEqual(['apps/a.yaml:7:26', 'apps/b.yaml:8:19']);
    expect(found[0]!.message).toContain('CIDR');
  });

  it('stays quiet on a dual-stack pair without spaces', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_ADDR}: 192.168.1.100,2001:db8::10`], [LB]),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'svc-address-syntax')).toEqual([]);
  });
});

describe('svc-address-outside-pool', () => {
  it('fires on an address in no pool of the scope', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_ADDR}: 192.168.1.200`], [LB]),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-address-outside-pool');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:7:26']);
    expect(found[0]!.message).toContain('192.168.1.200');
  });

  it('fires when the address lives in another group than the one named, with the holding pool as related', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_GROUP}: lab`, `${A_ADDR}: 192.168.1.120`], [LB]),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-address-outside-pool');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:8:26']);
    expect(found[0]!.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual([
      'purelb/groups.yaml:10:13',
    ]);
  });

  it('checks spec.loadBalancerIP when the annotation is absent', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [], [LB, 'loadBalancerIP: 10.0.0.1']),
    };

    // Act / Assert
    expect(where(withRule(analyzeFiles(files), 'svc-address-outside-pool'))).toEqual(['apps/web.yaml:8:19']);
  });

  it('stays quiet inside a pool, and when an invalid pool might hold the address', () => {
    // Arrange
    const inside = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_GROUP}: default`, `${A_ADDR}: 192.168.1.150`], [LB]),
    };
    const invalidGroup = {
      'purelb/groups.yaml': v2Remote('24'),
      'apps/web.yaml': service('web', [`${A_ADDR}: 172.30.200.20`], [LB]),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(inside), 'svc-address-outside-pool')).toEqual([]);
    expect(withRule(analyzeFiles(invalidGroup), 'svc-address-outside-pool')).toEqual([]);
  });
});

describe('svc-address-conflict', () => {
  const shared = (name: string, key?: string) =>
    service(name, [`${A_ADDR}: 192.168.1.110`, ...(key ? [`purelb.io/allow-shared-ip: ${key}`] : [])], [LB]);

  it('reports the later Service, with the first as related', () => {
    // Arrange
    const files = { 'purelb/groups.yaml': V1_GROUPS, 'apps/a.yaml': shared('a'), 'apps/b.yaml': shared('b') };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-address-conflict');

    // Assert
    expect(where(found)).toEqual(['apps/b.yaml:7:26']);
    expect(found[0]!.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual(['apps/a.yaml:7:26']);
    expect(found[0]!.message).toContain('apps/a');
  });

  it('fires when the sharing keys differ', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/a.yaml': shared('a', 'dns'),
      'apps/b.yaml': shared('b', 'web'),
    };

    // Act / Assert
    expect(where(withRule(analyzeFiles(files), 'svc-address-conflict'))).toEqual(['apps/b.yaml:7:26']);
  });

  it('stays quiet when both share one key, or the addresses differ', () => {
    // Arrange
    const sameKey = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/a.yaml': shared('a', 'dns'),
      'apps/b.yaml': shared('b', 'dns'),
    };
    const distinct = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/a.yaml': shared('a'),
      'apps/b.yaml': service('b', [`${A_ADDR}: 192.168.1.111`], [LB]),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(sameKey), 'svc-address-conflict')).toEqual([]);
    expect(withRule(analyzeFiles(distinct), 'svc-address-conflict')).toEqual([]);
  });

  it('does not compare Services of two clusters', () => {
    // Arrange
    const files = {
      'clusters/a/groups.yaml': V1_GROUPS,
      'clusters/a/web.yaml': shared('a'),
      'clusters/b/groups.yaml': V1_GROUPS,
      'clusters/b/web.yaml': shared('b'),
    };

    // Act
    const a = analyzeFiles(files, { clusters: { a: ['clusters/a/**'], b: ['clusters/b/**'] } });

    // Assert
    expect(withRule(a, 'svc-address-conflict')).toEqual([]);
  });

  it('stays linear: a thousand Services with one address each finish quickly', () => {
    // Arrange
    const files: Record<string, string> = { 'purelb/groups.yaml': V1_GROUPS };
    const docs: string[] = [];
    for (let i = 0; i < 1000; i++)
      docs.push(service(`s${i}`, [`${A_ADDR}: 192.168.1.${100 + (i % 2)}`], [LB]));
    files['apps/many.yaml'] = docs.join('---\n');

    // Act
    const found = withRule(analyzeFiles(files), 'svc-address-conflict');

    // Assert
    expect(found).toHaveLength(998);
  });
});

describe('svc-annotation-conflict', () => {
  it('fires when both addresses and service-group are set, at the group annotation', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_ADDR}: 192.168.1.120`, `${A_GROUP}: default`], [LB]),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-annotation-conflict');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:8:30']);
  });

  it('stays quiet with only one of them', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_ADDR}: 192.168.1.120`], [LB]),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'svc-annotation-conflict')).toEqual([]);
  });
});

describe('svc-lb-class', () => {
  it('fires on the v1 class when the scope has only v2 groups, at spec.loadBalancerClass', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': v2Remote('/32'),
      'apps/web.yaml': service('web', [`${A_GROUP}: bgp`], [LB, 'loadBalancerClass: purelb.io/purelb']),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-lb-class');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:10:22']);
    expect(found[0]!.message).toContain('"purelb.io/purelbv2"');
  });

  it('stays quiet on the matching class and on another controller’s class', () => {
    // Arrange
    const matching = {
      'purelb/groups.yaml': v2Remote('/32'),
      'apps/web.yaml': service('web', [`${A_GROUP}: bgp`], [LB, 'loadBalancerClass: purelb.io/purelbv2']),
    };
    const other = {
      'purelb/groups.yaml': v2Remote('/32'),
      'apps/web.yaml': service('web', [], [LB, 'loadBalancerClass: metallb.io/metallb']),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(matching), 'svc-lb-class')).toEqual([]);
    expect(analyzeFiles(other).findings.filter((f) => f.rule.startsWith('svc-'))).toEqual([]);
  });
});

describe('svc-local-traffic-aggregation', () => {
  it('fires on externalTrafficPolicy Local with a routed /24 aggregation, pointing at the policy', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': v2Remote('/24'),
      'apps/web.yaml': service('web', [`${A_GROUP}: bgp`], [LB, 'externalTrafficPolicy: Local']),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-local-traffic-aggregation');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:10:26']);
    expect(found[0]!.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual([
      'purelb/groups.yaml:11:22',
    ]);
  });

  it('stays quiet with /32 aggregation or externalTrafficPolicy Cluster', () => {
    // Arrange
    const narrow = {
      'purelb/groups.yaml': v2Remote('/32'),
      'apps/web.yaml': service('web', [`${A_GROUP}: bgp`], [LB, 'externalTrafficPolicy: Local']),
    };
    const cluster = {
      'purelb/groups.yaml': v2Remote('/24'),
      'apps/web.yaml': service('web', [`${A_GROUP}: bgp`], [LB, 'externalTrafficPolicy: Cluster']),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(narrow), 'svc-local-traffic-aggregation')).toEqual([]);
    expect(withRule(analyzeFiles(cluster), 'svc-local-traffic-aggregation')).toEqual([]);
  });
});

describe('svc-loadbalancerip-deprecated', () => {
  it('notes spec.loadBalancerIP at its value', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [], [LB, 'loadBalancerIP: 192.168.1.120']),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-loadbalancerip-deprecated');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:8:19']);
    expect(found[0]!.severity).toBe('notice');
  });

  it('stays quiet without it, or with it empty', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/a.yaml': service('a', [`${A_ADDR}: 192.168.1.120`], [LB]),
      'apps/b.yaml': service('b', [], [LB, 'loadBalancerIP: ""']),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'svc-loadbalancerip-deprecated')).toEqual([]);
  });
});

describe('svc-annotation-not-lb', () => {
  it('notes purelb.io annotations on a ClusterIP Service, at the annotation key', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_GROUP}: default`], ['type: ClusterIP']),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-annotation-not-lb');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:7:5']);
    expect(found[0]!.message).toContain('ClusterIP');
    expect(withRule(analyzeFiles(files), 'svc-unknown-group')).toEqual([]);
  });

  it('stays quiet on a LoadBalancer Service', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_GROUP}: default`], [LB]),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'svc-annotation-not-lb')).toEqual([]);
  });
});

describe('overlays, patches and placeholders', () => {
  it('does not count a base and its overlay (one namespace/name) as two claims', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'base/web.yaml': service('web', [`${A_ADDR}: 192.168.1.110`], [LB]),
      'overlays/prod/web.yaml': service('web', [`${A_ADDR}: 192.168.1.110`], [LB]),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'svc-address-conflict')).toEqual([]);
  });

  it('does not call a typeless patch of a LoadBalancer Service a non-LoadBalancer', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'base/web.yaml': service('web', [`${A_GROUP}: default`], [LB]),
      'overlays/prod/patch.yaml': service('web', [`${A_GROUP}: lab`], ['ports: []']),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'svc-annotation-not-lb')).toEqual([]);
  });

  it('notes purelb.io annotations on a LoadBalancer that another controller owns', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_GROUP}: default`], [LB, 'loadBalancerClass: metallb.io/metallb']),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'svc-annotation-not-lb');

    // Assert
    expect(where(found)).toEqual(['apps/web.yaml:7:5']);
    expect(found[0]!.message).toContain('metallb.io/metallb');
  });

  it('leaves a Flux placeholder address to value-unresolved', () => {
    // Arrange
    const files = {
      'purelb/groups.yaml': V1_GROUPS,
      'apps/web.yaml': service('web', [`${A_ADDR}: \${WEB_IP}`], [LB]),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.findings.filter((f) => f.rule.startsWith('svc-address'))).toEqual([]);
    expect(where(withRule(a, 'value-unresolved'))).toEqual(['apps/web.yaml:7:26']);
  });
});

describe('a purelb.io/v2 cluster (fixture folder)', () => {
  it('reports the copied Service, its class, the stray annotation and Local traffic on a /26', () => {
    // Arrange / Act
    const a = analyzeFixture('rules/services/v2-cluster');
    const svc = a.findings
      .filter((f) => f.rule.startsWith('svc-'))
      .map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`);

    // Assert
    expect(svc).toEqual([
      'svc-local-traffic-aggregation apps/dns.yaml:13:26',
      'svc-address-conflict apps/web.yaml:8:26',
      'svc-lb-class apps/web.yaml:11:22',
      'svc-annotation-not-lb apps/web.yaml:21:5',
    ]);
  });
});
