// Section C on the operator's ipPools: the one Calico pool table holds IPPool resources and the
// Installation's ipPools, so every pool rule judges both, with no PureLB in the scope.
import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

/** An Installation with one ipPool; the pool's fields start at line 8 column 7 (cidr at 8:13). */
const install = (cidr: string, ...fields: string[]): string => `apiVersion: operator.tigera.io/v1
kind: Installation
metadata:
  name: default
spec:
  calicoNetwork:
    ipPools:
    - cidr: ${cidr}
${fields.map((l) => `      ${l}\n`).join('')}`;

const ipPool = (name: string, cidr: string): string => `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: ${name}
spec:
  cidr: ${cidr}
`;

describe('Calico pool rules on operator ipPools', () => {
  it('reports host bits, a pool smaller than the default /26 block and an overlap, each once', () => {
    // Arrange: seen on a public repository, where it produced no finding at all.
    const files = {
      'install.yaml': install('192.168.203.50/27', 'encapsulation: None'),
      'ippool.yaml': ipPool('lan', '192.168.203.0/24'),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    const cidr = withRule(a, 'ippool-cidr');
    expect(where(cidr)).toEqual(['install.yaml:8:13']);
    expect(cidr[0]!.message).toBe(
      "Installation default calicoNetwork.ipPools.0: cidr 192.168.203.50/27 has host bits set; the operator passes it on as written and Calico's validator rejects the IPPool (IP pool CIDR is not strictly masked). Use 192.168.203.32/27.",
    );
    const block = withRule(a, 'ippool-block-size');
    expect(where(block)).toEqual(['install.yaml:8:13']);
    expect(block[0]!.message).toContain('smaller than its /26 block (the default)');
    expect(block[0]!.message).toContain('the operator rejects the Installation');
    const overlap = withRule(a, 'ippool-overlap');
    expect(where(overlap)).toEqual(['install.yaml:8:13']);
    expect(overlap[0]!.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual(['ippool.yaml:6:9']);
    expect(a.findings.filter((f) => f.rule.startsWith('lb-'))).toEqual([]);
  });

  it('judges the block size even on a pool with allocations disabled, and takes the IPv6 default /122', () => {
    // Arrange
    const v4 = install('10.30.0.0/28', 'disableNewAllocations: true');
    const v6 = install('2001:db8::/123');

    // Act
    const a4 = withRule(analyzeFiles({ 'i.yaml': v4 }), 'ippool-block-size');
    const a6 = withRule(analyzeFiles({ 'i.yaml': v6 }), 'ippool-block-size');

    // Assert
    expect(where(a4)).toEqual(['i.yaml:8:13']);
    expect(where(a6)).toEqual(['i.yaml:8:13']);
    expect(a6[0]!.message).toContain('/122 block (the default)');
  });

  it('is quiet for a masked operator pool that holds its block and overlaps nothing', () => {
    // Arrange
    const files = {
      'install.yaml': install('192.168.204.0/26', 'encapsulation: None'),
      'ippool.yaml': ipPool('lan', '192.168.203.0/24'),
      'small.yaml': install('10.30.0.0/28', 'blockSize: 28').replace('default', 'other'),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'ippool-cidr')).toEqual([]);
    expect(withRule(a, 'ippool-block-size')).toEqual([]);
    expect(withRule(a, 'ippool-overlap')).toEqual([]);
  });

  it('reads an operator cidr as Go net.ParseCIDR does: a bare address is no CIDR', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'i.yaml': install('10.30.0.1') });

    // Assert
    const fs = withRule(a, 'ippool-cidr');
    expect(where(fs)).toEqual(['i.yaml:8:13']);
    expect(fs[0]!.message).toContain('the operator needs a prefix length');
  });

  it('reports two ipPools of one Installation with one CIDR, but not an IPPool the operator adopts', () => {
    // Arrange
    const twice = `${install('10.40.0.0/16')}    - cidr: 10.40.0.0/16\n`;
    const adopted = { 'i.yaml': install('10.50.0.0/16'), 'p.yaml': ipPool('pods', '10.50.0.0/16') };

    // Act
    const a = withRule(analyzeFiles({ 'i.yaml': twice }), 'ippool-overlap');
    const b = withRule(analyzeFiles(adopted), 'ippool-overlap');

    // Assert
    expect(where(a)).toEqual(['i.yaml:9:13']);
    expect(a[0]!.message).toContain(
      'the operator rejects the Installation (IP pool is specified more than once)',
    );
    expect(b).toEqual([]);
  });

  it('reports a link-local operator pool', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'i.yaml': install('169.254.0.0/16', 'blockSize: 26') });

    // Assert
    expect(where(withRule(a, 'ippool-link-local'))).toEqual(['i.yaml:8:13']);
  });
});
