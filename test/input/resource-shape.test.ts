import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const group = (apiVersion: string, pool: string) => `apiVersion: ${apiVersion}
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb-system
spec:
  local:
    v4pools:
      - subnet: 192.168.1.0/24
        pool: ${pool}
        aggregation: default
`;

describe('resource-shape', () => {
  it('points at a pool written as a list', () => {
    // Arrange
    const files = { 'lb.yaml': group('purelb.io/v2', '[192.168.1.240/29]') };

    // Act
    const a = analyzeFiles(files);

    // Assert
    const found = withRule(a, 'resource-shape');
    expect(where(found)).toEqual(['lb.yaml:10:15']);
    expect(found[0]).toMatchObject({
      severity: 'error',
      resource: { kind: 'ServiceGroup', name: 'default' },
    });
  });

  it('points at an unknown PureLB apiVersion', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'lb.yaml': group('purelb.io/v3', '192.168.1.240/29') });

    // Assert
    expect(where(withRule(a, 'resource-shape'))).toEqual(['lb.yaml:1:13']);
  });

  it('points at `spec:` of an IPPool without cidr', () => {
    // Arrange
    const files = {
      'pool.yaml':
        'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: lb\nspec:\n  disabled: true\n',
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    const found = withRule(a, 'resource-shape');
    expect(where(found)).toEqual(['pool.yaml:5:1']);
    expect(found[0]!.message).toContain('cidr');
  });

  it('points at a missing metadata.name through its parent', () => {
    // Arrange
    const files = {
      'pool.yaml':
        'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  labels: {}\nspec:\n  cidr: 10.0.0.0/16\n',
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'resource-shape'))).toEqual(['pool.yaml:3:1']);
  });

  it('is quiet on well-typed resources, and on a Service-like kind of another API group', () => {
    // Arrange
    const files = {
      'lb.yaml': group('purelb.io/v2', '192.168.1.240/29'),
      'other.yaml': 'apiVersion: example.com/v1\nkind: IPPool\nmetadata:\n  name: x\nspec:\n  cidr: [1]\n',
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'resource-shape')).toEqual([]);
  });
});
