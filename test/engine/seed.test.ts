import { describe, expect, it } from 'vitest';
import { analyzeFixture, where, withRule } from '../helpers.ts';

describe('PureLB documented Calico example (the seed)', () => {
  it('reports the undefined community name and the out-of-range AS number, and no coverage error', () => {
    // Arrange / Act
    const a = analyzeFixture('seed');

    // Assert
    expect(where(withRule(a, 'bgp-community-undefined'))).toEqual([
      'calico/bgpconfiguration.yaml:13:7',
      'calico/bgpconfiguration.yaml:17:7',
    ]);
    expect(where(withRule(a, 'bgp-asnumber'))).toEqual(['calico/bgpconfiguration.yaml:6:13']);
    expect(withRule(a, 'lb-pool-not-exported')).toEqual([]);
    expect(withRule(a, 'lb-ippool-allocatable')).toEqual([]);
    // Nothing else at error level: the IPPools cover both routed pools exactly as documented.
    expect(a.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual([
      'bgp-asnumber',
      'bgp-community-undefined',
      'bgp-community-undefined',
    ]);
  });
});
