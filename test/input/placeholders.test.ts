import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const group = `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: default
  namespace: purelb-system
spec:
  local:
    v4pools:
      - subnet: \${LB_SUBNET}
        pool: \${LB_POOL:=192.168.1.240/29}
        aggregation: default
`;

describe('value-unresolved', () => {
  it('reports one notice per file at the first placeholder, listing every name', () => {
    // Arrange: two resources with placeholders in one file.
    const pool = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: lb
spec:
  cidr: \${LB_SUBNET}
  disabled: true
`;

    // Act
    const a = analyzeFiles({ 'clusters/lab/lb.yaml': `${group}---\n${pool}` });

    // Assert
    const found = withRule(a, 'value-unresolved');
    expect(where(found)).toEqual(['clusters/lab/lb.yaml:9:17']);
    expect(found[0]!.severity).toBe('notice');
    expect(found[0]!.message).toContain('LB_POOL, LB_SUBNET');
    expect(withRule(a, 'yaml-syntax')).toEqual([]);
  });

  it('is quiet on `$` signs that are not placeholders and on placeholders outside watched kinds', () => {
    // Arrange
    const files = {
      'lb.yaml': group
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Flux placeholder, not a template literal
        .replace('${LB_SUBNET}', '192.168.1.0/24')
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Flux placeholder, not a template literal
        .replace('${LB_POOL:=192.168.1.240/29}', '192.168.1.240/29'),
      'app.yaml':
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Flux placeholder, not a template literal
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${REPLICAS}\n',
      'svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    note: cost is $5\nspec:\n  type: LoadBalancer\n',
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'value-unresolved')).toEqual([]);
  });
});

describe('value-unresolved on Service annotations', () => {
  it('reports a placeholder in purelb.io/addresses at the annotation value', () => {
    // Arrange
    const svc = `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    purelb.io/addresses: \${WEB_IP}
spec:
  type: LoadBalancer
`;

    // Act
    const a = analyzeFiles({ 'svc.yaml': svc });

    // Assert
    const found = withRule(a, 'value-unresolved');
    expect(where(found)).toEqual(['svc.yaml:6:26']);
    expect(found[0]!.message).toContain('WEB_IP');
  });
});
