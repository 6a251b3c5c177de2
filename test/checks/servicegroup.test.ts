import { describe, expect, it } from 'vitest';
import { RULES_BY_ID } from '../../src/checks/index.ts';
import { analyzePools } from '../../src/checks/pools.ts';
import { loadFiles } from '../../src/manifests/load.ts';
import { buildModel } from '../../src/manifests/model.ts';
import { analyzeFiles, analyzeFixture, toFiles, where, withRule } from '../helpers.ts';

// Fixed headers so positions are predictable: `spec:` is line 6, the body starts on line 7.
const v1 = (name: string, body: string, ns = 'purelb') =>
  `apiVersion: purelb.io/v1\nkind: ServiceGroup\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${body}`;
const v2 = (name: string, body: string, ns = 'purelb-system') =>
  `apiVersion: purelb.io/v2\nkind: ServiceGroup\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${body}`;

/** v1 legacy pool: subnet on line 8 (value column 13), pool line 9 (column 11), aggregation line 10 (column 18). */
const legacy = (subnet: string, pool: string, aggregation = 'default') =>
  `  local:\n    subnet: ${subnet}\n    pool: ${pool}\n    aggregation: ${aggregation}\n`;

/** v2 v4pools/v6pools item: subnet on line 9 (column 17), pool line 10 (column 15), aggregation line 11 (column 22). */
const listed = (slot: string, subnet: string, pool: string, aggregation = 'default') =>
  `  local:\n    ${slot}:\n      - subnet: ${subnet}\n        pool: ${pool}\n        aggregation: ${aggregation}\n`;

/** A Flux `${NAME}` substitution left in a value. */
const flux = (name: string) => `\${${name}}`;

/** What sections D and E see of each pool: valid, invalid, or unresolved (unknown). */
function validity(files: Record<string, string>, nodeSubnets: string[] = []): string[] {
  const model = buildModel(loadFiles(toFiles(files)).resources, []);
  return analyzePools(model, nodeSubnets).map((p) =>
    p.valid ? 'valid' : p.unresolved ? 'unresolved' : 'invalid',
  );
}

describe('section B registry', () => {
  it('holds every catalog id with its default severity, and fix text where the catalog has one', () => {
    // Arrange
    const catalog: Record<string, string> = {
      'sg-shape': 'error',
      'sg-pool-syntax': 'error',
      'sg-subnet-syntax': 'error',
      'sg-subnet-not-canonical': 'warning',
      'sg-pool-outside-subnet': 'error',
      'sg-pool-family': 'error',
      'sg-aggregation': 'error',
      'sg-aggregation-wider-than-subnet': 'warning',
      'sg-pool-overlap': 'error',
      'sg-duplicate-name': 'error',
      'sg-cidr-pool-host-bits': 'warning',
      'sg-namespace': 'warning',
    };

    // Act
    const rules = Object.keys(catalog).map((id) => RULES_BY_ID.get(id));

    // Assert
    expect(rules.map((r) => [r?.id, r?.severity, r?.family])).toEqual(
      Object.entries(catalog).map(([id, sev]) => [id, sev, 'servicegroup']),
    );
    for (const r of rules) {
      expect(r?.check).toBeTypeOf('function');
      expect(r?.evidence.length).toBeGreaterThan(0);
      expect(r?.rationale.length).toBeGreaterThan(40);
    }
    expect(rules.filter((r) => r?.fix).map((r) => r?.id)).toEqual([
      'sg-subnet-not-canonical',
      'sg-aggregation',
    ]);
  });
});

describe('sg-shape', () => {
  it('fires on a v1 group with both local and netbox, at the second mode key', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', `${legacy('10.0.0.0/24', '10.0.0.10-10.0.0.20')}  netbox: {}\n`) };

    // Act
    const found = withRule(analyzeFiles(files), 'sg-shape');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:11:3']);
    expect(found[0]?.message).toContain('local and netbox');
  });

  it('fires on a v1 group with a v2-only mode', () => {
    // Arrange
    const files = {
      'sg.yaml': v1('a', '  remote:\n    v4pool:\n      subnet: 10.0.0.0/24\n      pool: 10.0.0.1/32\n'),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'sg-shape');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:7:3']);
    expect(found[0]?.message).toContain('purelb.io/v1 has no spec.remote');
  });

  it('fires on each legacy field of a v2 group, and says nothing else about them', () => {
    // Arrange
    const files = { 'sg.yaml': v2('a', legacy('10.0.0.0/24', '10.0.0.5')) };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'sg-shape'))).toEqual(['sg.yaml:8:5', 'sg.yaml:9:5', 'sg.yaml:10:5']);
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
  });

  it('fires on multiPool with balancePools, at balancePools', () => {
    // Arrange
    const body = `${listed('v4pools', '10.0.0.0/24', '10.0.0.10-10.0.0.20')}    multiPool: true\n    balancePools: true\n`;

    // Act
    const found = withRule(analyzeFiles({ 'sg.yaml': v2('a', body) }), 'sg-shape');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:13:5']);
  });

  it('fires on a mode without any pool, and on a spec without a mode', () => {
    // Arrange
    const files = { 'a.yaml': v2('a', '  local: {}\n'), 'b.yaml': v2('b', '  namespaces: [web]\n') };

    // Act
    const found = withRule(analyzeFiles(files), 'sg-shape');

    // Assert
    expect(where(found)).toEqual(['a.yaml:7:3', 'b.yaml:6:1']);
  });

  it('stays quiet on one mode with multiPool alone, and on netbox', () => {
    // Arrange
    const body = `${listed('v4pools', '10.0.0.0/24', '10.0.0.10-10.0.0.20')}    multiPool: true\n`;
    const files = {
      'a.yaml': v2('a', body),
      'b.yaml': v1('b', '  netbox:\n    url: https://netbox.example\n'),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'sg-shape')).toEqual([]);
    expect(validity(files)).toEqual(['valid']);
  });

  it('makes every pool of the group invalid', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', `${legacy('10.0.0.0/24', '10.0.0.10-10.0.0.20')}  netbox: {}\n`) };

    // Act
    const states = validity(files);

    // Assert
    expect(states).toEqual(['invalid']);
  });
});

describe('sg-pool-syntax', () => {
  it('fires on a bare address, at the pool value', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.5')) };

    // Act
    const found = withRule(analyzeFiles(files), 'sg-pool-syntax');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:9:11']);
    expect(found[0]?.message).toContain('bare address');
  });

  it('fires on reversed ends, a comma list and mixed families', () => {
    // Arrange
    const files = {
      'a.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.20-10.0.0.10')),
      'b.yaml': v1('b', legacy('10.1.0.0/24', '10.1.0.5/32,10.1.0.6/32')),
      'c.yaml': v1('c', legacy('10.2.0.0/24', '10.2.0.5-2001:db8::5')),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'sg-pool-syntax');

    // Assert
    expect(where(found)).toEqual(['a.yaml:9:11', 'b.yaml:9:11', 'c.yaml:9:11']);
  });

  it('fires on a missing pool, at the list item', () => {
    // Arrange
    const body = '  local:\n    v4pools:\n      - subnet: 10.0.0.0/24\n        aggregation: default\n';

    // Act
    const found = withRule(analyzeFiles({ 'sg.yaml': v2('a', body) }), 'sg-pool-syntax');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:9:9']);
  });

  it('stays quiet on a /32 CIDR and on a range with spaces around the dash', () => {
    // Arrange
    const files = {
      'a.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.5/32')),
      'b.yaml': v1('b', legacy('10.1.0.0/24', '10.1.0.5 - 10.1.0.9')),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'sg-pool-syntax')).toEqual([]);
    expect(validity(files)).toEqual(['valid', 'valid']);
  });
});

describe('sg-subnet-syntax', () => {
  it('fires on a subnet without prefix, at the subnet value', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0', '10.0.0.5/32')) };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'sg-subnet-syntax'))).toEqual(['sg.yaml:8:13']);
    expect(validity(files)).toEqual(['invalid']);
  });

  it('fires on a missing subnet, at the list item', () => {
    // Arrange
    const body = '  local:\n    v4pools:\n      - pool: 10.0.0.5/32\n';

    // Act
    const found = withRule(analyzeFiles({ 'sg.yaml': v2('a', body) }), 'sg-subnet-syntax');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:9:9']);
  });

  it('stays quiet on a CIDR subnet', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.5/32')) };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'sg-subnet-syntax')).toEqual([]);
  });
});

describe('sg-subnet-not-canonical', () => {
  it('warns on host bits in the subnet and names the network address; the pool stays valid', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.5/24', '10.0.0.10-10.0.0.20')) };

    // Act
    const a = analyzeFiles(files);
    const found = withRule(a, 'sg-subnet-not-canonical');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:8:13']);
    expect(found[0]?.severity).toBe('warning');
    expect(found[0]?.message).toContain('10.0.0.0/24');
    expect(validity(files)).toEqual(['valid']);
  });

  it('stays quiet on the network address', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.10-10.0.0.20')) };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'sg-subnet-not-canonical')).toEqual([]);
  });
});

describe('sg-pool-outside-subnet', () => {
  it('fires when an end lies outside the subnet, at the pool value', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.250-10.0.1.5')) };

    // Act
    const a = analyzeFiles(files);
    const found = withRule(a, 'sg-pool-outside-subnet');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:9:11']);
    expect(found[0]?.message).toContain('10.0.1.5');
    expect(validity(files)).toEqual(['invalid']);
  });

  it('fires on a legacy pool of another family than its subnet', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0/24', '2001:db8::1-2001:db8::5')) };

    // Act / Assert
    expect(where(withRule(analyzeFiles(files), 'sg-pool-outside-subnet'))).toEqual(['sg.yaml:9:11']);
  });

  it('stays quiet on a pool touching both ends of the subnet', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.0-10.0.0.255')) };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'sg-pool-outside-subnet')).toEqual([]);
  });
});

describe('sg-pool-family', () => {
  it('fires on IPv6 in v4pools, at the pool value, and not also as outside-subnet', () => {
    // Arrange
    const files = { 'sg.yaml': v2('a', listed('v4pools', '10.0.0.0/24', '2001:db8::1-2001:db8::5')) };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'sg-pool-family'))).toEqual(['sg.yaml:10:15']);
    expect(withRule(a, 'sg-pool-outside-subnet')).toEqual([]);
  });

  it('fires on an IPv4 subnet in v6pools, at the subnet value', () => {
    // Arrange
    const files = { 'sg.yaml': v2('a', listed('v6pools', '10.0.0.0/24', '2001:db8::1-2001:db8::5')) };

    // Act / Assert
    expect(where(withRule(analyzeFiles(files), 'sg-pool-family'))).toEqual(['sg.yaml:9:17']);
  });

  it('stays quiet on IPv6 in v6pools', () => {
    // Arrange
    const files = { 'sg.yaml': v2('a', listed('v6pools', '2001:db8::/64', '2001:db8::1-2001:db8::5')) };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'sg-pool-family')).toEqual([]);
    expect(validity(files)).toEqual(['valid']);
  });
});

describe('sg-aggregation', () => {
  it('fires on a missing slash, at the aggregation value', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.5/32', '"32"')) };

    // Act
    const a = analyzeFiles(files);
    const found = withRule(a, 'sg-aggregation');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:10:18']);
    expect(found[0]?.message).toContain('write "/32"');
    expect(validity(files)).toEqual(['invalid']);
  });

  it('fires on a prefix beyond the family width', () => {
    // Arrange
    const files = { 'sg.yaml': v2('a', listed('v4pools', '10.0.0.0/24', '10.0.0.5/32', '/33')) };

    // Act
    const found = withRule(analyzeFiles(files), 'sg-aggregation');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:11:22']);
    expect(found[0]?.message).toContain('1..32 for IPv4');
  });

  it('fires on an empty aggregation of a routed v1 pool, at the pool holder', () => {
    // Arrange
    const body = '  local:\n    subnet: 10.0.0.0/24\n    pool: 10.0.0.10-10.0.0.20\n';

    // Act
    const found = withRule(
      analyzeFiles({ 'sg.yaml': v1('a', body) }, { nodeSubnets: ['192.168.1.0/24'] }),
      'sg-aggregation',
    );

    // Assert
    expect(where(found)).toEqual(['sg.yaml:7:3']);
    expect(found[0]?.message).toContain('/32');
  });

  it('stays quiet on an empty aggregation of a local v1 pool, and on default and /N', () => {
    // Arrange
    const files = {
      'a.yaml': v1('a', '  local:\n    subnet: 192.168.1.0/24\n    pool: 192.168.1.240-192.168.1.250\n'),
      'b.yaml': v1('b', legacy('10.0.0.0/24', '10.0.0.5/32', '/32')),
      'c.yaml': v2('c', listed('v6pools', '2001:db8::/64', '2001:db8::1-2001:db8::5', '/128')),
    };

    // Act
    const a = analyzeFiles(files, { nodeSubnets: ['192.168.1.0/24'] });

    // Assert
    expect(withRule(a, 'sg-aggregation')).toEqual([]);
    expect(validity(files, ['192.168.1.0/24'])).toEqual(['valid', 'valid', 'valid']);
  });
});

describe('sg-aggregation-wider-than-subnet', () => {
  it('warns when /N is shorter than the subnet prefix, at the aggregation value', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.5/32', '/16')) };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'sg-aggregation-wider-than-subnet'))).toEqual(['sg.yaml:10:18']);
    expect(validity(files)).toEqual(['valid']);
  });

  it('stays quiet when /N equals the subnet prefix', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.5/32', '/24')) };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'sg-aggregation-wider-than-subnet')).toEqual([]);
  });
});

describe('sg-pool-overlap', () => {
  it('reports an overlap across groups once, on the later pool, with the other as related', () => {
    // Arrange
    const files = {
      'a.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.10-10.0.0.50')),
      'b.yaml': v1('b', legacy('10.0.0.0/24', '10.0.0.40-10.0.0.60')),
    };

    // Act
    const a = analyzeFiles(files);
    const found = withRule(a, 'sg-pool-overlap');

    // Assert
    expect(where(found)).toEqual(['b.yaml:9:11']);
    expect(where(found[0]?.related as never)).toEqual(['a.yaml:9:11']);
    expect(found[0]?.message).toContain('10.0.0.40-10.0.0.50 in both');
    expect(validity(files)).toEqual(['valid', 'invalid']);
  });

  it('catches a pool nested in a larger one, whichever comes first', () => {
    // Arrange
    const files = {
      'a.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.20-10.0.0.30')),
      'b.yaml': v1('b', legacy('10.0.0.0/24', '10.0.0.0/24')),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'sg-pool-overlap');

    // Assert
    expect(where(found)).toEqual(['b.yaml:9:11']);
    expect(found[0]?.message).toContain('inside');
  });

  it('catches an overlap inside one group', () => {
    // Arrange
    const body = `${listed('v4pools', '10.0.0.0/24', '10.0.0.10-10.0.0.20')}      - subnet: 10.0.0.0/24\n        pool: 10.0.0.15/32\n`;

    // Act
    const found = withRule(analyzeFiles({ 'sg.yaml': v2('a', body) }), 'sg-pool-overlap');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:13:15']);
  });

  it('stays quiet on adjacent pools and on the same numbers in another family', () => {
    // Arrange
    const files = {
      'a.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.10-10.0.0.20')),
      'b.yaml': v1('b', legacy('10.0.0.0/24', '10.0.0.21-10.0.0.30')),
      'c.yaml': v2('c', listed('v6pools', '::/96', '::a00:a-::a00:14')),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'sg-pool-overlap')).toEqual([]);
  });

  // Speed is bench/'s to measure (the checks-phase ratio at 10x pools); this pins the answer at scale.
  it('scales: thousands of disjoint pools and one wide pool over all of them', () => {
    // Arrange
    const docs = Array.from({ length: 3000 }, (_, i) =>
      v1(`g${i}`, legacy(`10.${i >> 8}.${i & 255}.0/24`, `10.${i >> 8}.${i & 255}.0/24`)),
    );
    const files = {
      'many.yaml': docs.join('---\n'),
      'z.yaml': v1('wide', legacy('10.0.0.0/8', '10.0.0.0/8')),
    };

    // Act
    const found = withRule(analyzeFiles(files), 'sg-pool-overlap');

    // Assert
    expect(found).toHaveLength(3000);
    expect(new Set(found.map((f) => f.file))).toEqual(new Set(['z.yaml']));
  });
});

describe('sg-duplicate-name', () => {
  it('fires on a v1 name used twice, even in two namespaces, at the later metadata.name', () => {
    // Arrange
    const files = {
      'a.yaml': v1('web', legacy('10.0.0.0/24', '10.0.0.10-10.0.0.20'), 'purelb'),
      'b.yaml': v1('web', legacy('10.0.0.0/24', '10.0.0.10-10.0.0.20'), 'other'),
    };

    // Act
    const a = analyzeFiles(files);
    const found = withRule(a, 'sg-duplicate-name');

    // Assert
    expect(where(found)).toEqual(['b.yaml:4:9']);
    expect(where(found[0]?.related as never)).toEqual(['a.yaml:4:9']);
    expect(withRule(a, 'sg-pool-overlap')).toEqual([]);
  });

  it('fires on a v2 name used twice in one namespace', () => {
    // Arrange
    const files = {
      'a.yaml': v2('web', listed('v4pools', '10.0.0.0/24', '10.0.0.10-10.0.0.20')),
      'b.yaml': v2('web', listed('v4pools', '10.1.0.0/24', '10.1.0.10-10.1.0.20')),
    };

    // Act / Assert
    expect(where(withRule(analyzeFiles(files), 'sg-duplicate-name'))).toEqual(['b.yaml:4:9']);
  });

  it('stays quiet on a v2 name reused in another namespace', () => {
    // Arrange
    const files = {
      'a.yaml': v2('web', listed('v4pools', '10.0.0.0/24', '10.0.0.10-10.0.0.20'), 'purelb-system'),
      'b.yaml': v2('web', listed('v4pools', '10.1.0.0/24', '10.1.0.10-10.1.0.20'), 'team-b'),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'sg-duplicate-name')).toEqual([]);
  });
});

describe('sg-cidr-pool-host-bits', () => {
  it('warns on a CIDR pool with host bits and says where it really starts', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.100/24')) };

    // Act
    const a = analyzeFiles(files);
    const found = withRule(a, 'sg-cidr-pool-host-bits');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:9:11']);
    expect(found[0]?.message).toContain('10.0.0.100-10.0.0.255');
    expect(validity(files)).toEqual(['valid']);
  });

  it('stays quiet on a network-address CIDR pool', () => {
    // Arrange
    const files = { 'sg.yaml': v1('a', legacy('10.0.0.0/24', '10.0.0.128/25')) };

    // Act / Assert
    expect(withRule(analyzeFiles(files), 'sg-cidr-pool-host-bits')).toEqual([]);
  });
});

describe('sg-namespace', () => {
  it('warns on a v2 group outside the PureLB namespace, at metadata.namespace', () => {
    // Arrange
    const files = { 'sg.yaml': v2('a', listed('v4pools', '10.0.0.0/24', '10.0.0.5/32'), 'purelb') };

    // Act
    const found = withRule(analyzeFiles(files), 'sg-namespace');

    // Assert
    expect(where(found)).toEqual(['sg.yaml:5:14']);
    expect(found[0]?.message).toContain('purelb-system');
  });

  it('follows config purelb.namespace, and leaves v1 groups alone', () => {
    // Arrange
    const files = {
      'a.yaml': v2('a', listed('v4pools', '10.0.0.0/24', '10.0.0.5/32'), 'purelb'),
      'b.yaml': v1('b', legacy('10.1.0.0/24', '10.1.0.5/32'), 'elsewhere'),
    };

    // Act / Assert
    expect(withRule(analyzeFiles(files, { purelbNamespace: 'purelb' }), 'sg-namespace')).toEqual([]);
  });
});

describe('unresolved Flux placeholders', () => {
  it('are skipped by every rule, and make the pool unknown rather than valid', () => {
    // Arrange
    const files = {
      'a.yaml': v1('a', legacy(flux('SUBNET'), '10.9.0.5', flux('AGG'))),
      'b.yaml': v1('b', legacy('10.0.0.0/24', flux('POOL'))),
      'c.yaml': v2(flux('NAME'), listed('v4pools', '10.1.0.0/24', '10.1.0.5/32'), flux('NS')),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.findings.filter((f) => f.rule.startsWith('sg-')).map((f) => `${f.rule} ${f.file}`)).toEqual([
      'sg-pool-syntax a.yaml',
    ]);
    expect(validity(files)).toEqual(['unresolved', 'unresolved', 'valid']);
  });

  it('still lets a resolved pool take part in overlap checks', () => {
    // Arrange
    const files = {
      'a.yaml': v1('a', legacy(flux('SUBNET'), '10.0.0.10-10.0.0.20')),
      'b.yaml': v1('b', legacy('10.0.0.0/24', '10.0.0.15/32')),
    };

    // Act / Assert
    expect(where(withRule(analyzeFiles(files), 'sg-pool-overlap'))).toEqual(['b.yaml:9:11']);
  });
});

describe('a PureLB 0.17 repository after a few hand edits (fixture)', () => {
  it('reports each section-B problem once, at its value', () => {
    // Arrange / Act
    const a = analyzeFixture('rules/servicegroup/homelab-v2');

    // Assert
    const sg = a.findings.filter((f) => f.rule.startsWith('sg-'));
    expect(sg.map((f) => `${f.rule} ${where([f])[0]}`)).toEqual([
      'sg-aggregation purelb/servicegroups.yaml:16:22',
      'sg-namespace purelb/servicegroups.yaml:23:14',
      'sg-pool-overlap purelb/servicegroups.yaml:28:15',
      'sg-subnet-not-canonical purelb/servicegroups.yaml:40:15',
    ]);
    expect(where(sg[2]?.related as never)).toEqual(['purelb/servicegroups.yaml:11:15']);
  });
});

describe('fingerprints', () => {
  it('follow the offending value, not the line', () => {
    // Arrange
    const body = legacy('10.0.0.0/24', '10.0.0.5/32', '"32"');
    const before = analyzeFiles({ 'sg.yaml': v1('a', body) });

    // Act
    const after = analyzeFiles({ 'sg.yaml': `# moved down by a comment\n${v1('a', body)}` });

    // Assert
    const [x] = withRule(before, 'sg-aggregation');
    const [y] = withRule(after, 'sg-aggregation');
    expect(y?.line).toBe((x?.line ?? 0) + 1);
    expect(y?.fingerprint).toBe(x?.fingerprint);
  });
});
