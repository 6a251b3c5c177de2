import { describe, expect, it } from 'vitest';
import { buildView, coverage } from '../../src/checks/advertisement-view.ts';
import { emptyModel } from '../../src/manifests/model.ts';
import { parseCidr } from '../../src/net/ip.ts';
import { analyzeFiles, withRule } from '../helpers.ts';

const subnet = (i: number) => `10.${Math.floor(i / 256)}.${i % 256}.0/24`;
const prefix = (i: number) => `10.${Math.floor(i / 256)}.${i % 256}`;

describe('section D at scale', () => {
  it('checks 2,000 routed pools against 2,000 IPPools', () => {
    // Arrange: one routed pool and one IPPool per /24; every 100th pool has no IPPool.
    const groups: string[] = [];
    const pools: string[] = [];
    for (let i = 0; i < 2000; i++) {
      groups.push(`apiVersion: purelb.io/v1
kind: ServiceGroup
metadata:
  name: g${i}
spec:
  local:
    subnet: ${subnet(i)}
    pool: ${prefix(i)}.0-${prefix(i)}.255
    aggregation: /32
`);
      if (i % 100 !== 0) {
        pools.push(`apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: p${i}
spec:
  cidr: ${subnet(i)}
  disabled: true
`);
      }
    }

    // Act
    const a = analyzeFiles({ 'purelb.yaml': groups.join('---\n'), 'ippools.yaml': pools.join('---\n') });

    // Assert
    expect(withRule(a, 'lb-pool-not-exported')).toHaveLength(20);
    expect(a.pools).toHaveLength(2000);
  });

  it('walks a /64 of /128 blocks by covering pools, not address by address', () => {
    // Arrange
    const m = emptyModel();
    const view = buildView(m);
    const span = parseCidr('2001:db8::/64')!;

    // Act
    const c = coverage(view, { span, prefix: 128 });

    // Assert: nothing covers it, and the first uncovered block is found at once.
    expect(c.uncovered).toEqual({ family: 6, start: span.start, end: span.start });
  });
});
