import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const group = (name: string) => `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: ${name}
  namespace: purelb-system
spec:
  remote:
    v4pools:
      - subnet: 10.20.0.0/24
        pool: 10.20.0.0/24
        aggregation: /32
`;
const ipPool = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: lb
spec:
  cidr: 10.20.0.0/24
  disabled: true
`;

describe('calico-not-in-scope', () => {
  it('reports once per scope at the first ServiceGroup name when the scope has no Calico resource', () => {
    // Arrange
    const files = { 'purelb/a.yaml': group('a'), 'purelb/b.yaml': group('b') };

    // Act
    const a = analyzeFiles(files);

    // Assert
    const found = withRule(a, 'calico-not-in-scope');
    expect(where(found)).toEqual(['purelb/a.yaml:4:9']);
    expect(found[0]!.severity).toBe('notice');
  });

  it('is quiet when the scope has an IPPool', () => {
    // Arrange / Act
    const a = analyzeFiles({ 'purelb/a.yaml': group('a'), 'calico/pool.yaml': ipPool });

    // Assert
    expect(withRule(a, 'calico-not-in-scope')).toEqual([]);
  });

  it('judges each configured cluster on its own', () => {
    // Arrange: Calico is managed for the lab cluster only.
    const files = {
      '.github/lbguard.yml': 'clusters:\n  lab: ["lab/**"]\n  prod: ["prod/**"]\n',
      'lab/lb.yaml': group('lab'),
      'lab/pool.yaml': ipPool,
      'prod/lb.yaml': group('prod'),
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    const found = withRule(a, 'calico-not-in-scope');
    expect(where(found)).toEqual(['prod/lb.yaml:4:9']);
    expect(found[0]!.scope).toBe('prod');
  });
});
