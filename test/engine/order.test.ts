// The CLI lists files in readdir or git order, the App in tarball order: the report must not care.
import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const group = (pool: string) => `apiVersion: purelb.io/v1
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb
spec:
  local:
    subnet: 192.168.1.0/24
    pool: ${pool}
    aggregation: default
`;

describe('file order', () => {
  it('reports "the later" duplicate and overlap by path order, whatever order the files come in', () => {
    // Arrange
    const a = group('192.168.1.240-192.168.1.250');
    const b = group('192.168.1.245-192.168.1.255');

    // Act
    const forward = analyzeFiles({ 'a.yaml': a, 'b.yaml': b });
    const backward = analyzeFiles({ 'b.yaml': b, 'a.yaml': a });

    // Assert
    expect(where(withRule(forward, 'sg-duplicate-name'))).toEqual(['b.yaml:4:9']);
    expect(where(withRule(backward, 'sg-duplicate-name'))).toEqual(['b.yaml:4:9']);
    expect(backward.findings).toEqual(forward.findings);
    expect(backward.pools).toEqual(forward.pools);
  });
});
