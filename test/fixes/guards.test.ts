// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux ${VAR} placeholders are what these tests are about
// Text lbguard must not rewrite: resources built from chart values, and Flux ${VAR} placeholders.
import { describe, expect, it } from 'vitest';
import { editable, editFix, set } from '../../src/fixes/build.ts';
import type { Locator } from '../../src/manifests/document.ts';
import type { Resource } from '../../src/manifests/resource.ts';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const argoApp = (aggregation: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: purelb
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: purelb-system
  source:
    repoURL: https://gitlab.com/api/v4/projects/20400619/packages/helm/stable
    chart: purelb
    targetRevision: v0.16.0
    helm:
      values: |
        serviceGroup:
          create: true
          name: default
          spec:
            local:
              v4pools:
                - subnet: 192.168.1.0/24
                  pool: 192.168.1.240-192.168.1.250
                  aggregation: ${aggregation}
`;

/** A resource whose file text says `text` at every path, and `kind` at ['kind']. */
const resource = (kind: string, written: string | undefined): Resource => {
  const doc: Locator = {
    file: 'x.yaml',
    span: () => ({ file: 'x.yaml', line: 1, column: 1, endLine: 1, endColumn: 1 }),
    has: () => true,
    source: (path) => (path[0] === 'kind' ? written : '${LB_SUBNET}'),
  };
  return {
    kind,
    apiVersion: 'purelb.io/v2',
    group: 'purelb.io',
    version: 'v2',
    name: 'web',
    file: 'x.yaml',
    doc,
    data: {},
    annotations: {},
  };
};

describe('fixes only where the text is the value', () => {
  it('reports a chart-values aggregation without a fix (the ServiceGroup is not written in the file)', () => {
    // Act
    const found = withRule(analyzeFiles({ 'apps/purelb.yaml': argoApp('"32"') }), 'sg-aggregation');
    // Assert
    expect(where(found)).toEqual(['apps/purelb.yaml:25:32']);
    expect(found[0]?.fix).toBeUndefined();
  });

  it('will not rewrite a Flux ${VAR} with the value it had for one cluster', () => {
    // Arrange
    const res = resource('ServiceGroup', 'ServiceGroup');
    // Act / Assert
    expect(editable(res, ['spec', 'subnet'])).toBe(false);
    expect(editFix('t', res, set(['spec', 'subnet'], '10.0.0.0/24'))).toBeUndefined();
  });

  it('edits a plain manifest (near miss)', () => {
    // Arrange
    const res = {
      ...resource('ServiceGroup', 'ServiceGroup'),
      doc: {
        ...resource('ServiceGroup', 'ServiceGroup').doc,
        source: (p: (string | number)[]) => (p[0] === 'kind' ? 'ServiceGroup' : '10.0.0.5/24'),
      },
    };
    // Act / Assert
    expect(editable(res, ['spec', 'subnet'])).toBe(true);
  });
});
