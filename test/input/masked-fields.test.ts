// Independent checks stay independent: a field of the wrong type is a resource-shape finding, and
// the rest of the resource is still checked.
import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const INSTALL = `apiVersion: operator.tigera.io/v1
kind: Installation
metadata:
  name: default
spec:
  calicoNetwork:
    ipPools:
    - cidr: 10.244.0.0/16
      natOutgoing: true
      ipipMode: Always
`;

const IPPOOL = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.0/16
  blockSize: "26"
  ipipMode: always
`;

describe('a shape error on one field', () => {
  it('hides no check on the others: a boolean natOutgoing beside an IPPool field in the operator pool', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'install.yaml': INSTALL });

    // Assert
    expect(where(withRule(a, 'resource-shape'))).toEqual(['install.yaml:9:20']);
    const shape = withRule(a, 'install-shape');
    expect(where(shape)).toEqual(['install.yaml:10:7']);
    expect(shape[0]!.message).toContain('unknown field calicoNetwork.ipPools.0.ipipMode');
  });

  it('hides no check on an IPPool: a string blockSize beside a miscased ipipMode', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'ippool.yaml': IPPOOL });

    // Assert
    expect(where(withRule(a, 'resource-shape'))).toEqual(['ippool.yaml:7:14']);
    expect(where(withRule(a, 'ippool-encapsulation'))).toEqual(['ippool.yaml:8:13']);
  });

  it('leaves a well-typed resource without resource-shape, and the same checks firing', () => {
    // Arrange
    const fine = IPPOOL.replace('blockSize: "26"', 'blockSize: 26');

    // Act
    const a = analyzeFiles({ 'ippool.yaml': fine });

    // Assert
    expect(withRule(a, 'resource-shape')).toEqual([]);
    expect(where(withRule(a, 'ippool-encapsulation'))).toEqual(['ippool.yaml:8:13']);
  });
});
