import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine.ts';
import { strategicMerge } from '../../src/gitops/kustomize-merge.ts';
import { analyzeFiles, analyzeFixture, readFixture } from '../helpers.ts';

const found = (a: Analysis) =>
  a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} [${f.scope}]`);

describe('kustomize strategic merge on watched resources', () => {
  it('honours $patch: delete inside the patch: the overlay switches the ServiceGroup from local to remote', () => {
    // Act
    const a = analyzeFixture('gitops/kustomize-strategic-merge');

    // Assert: only the remote pool (from the patch file) is checked; local is gone, so no sg-shape.
    expect(a.scopes.map((s) => s.name)).toEqual(['overlays/lab']);
    expect(found(a)).toEqual([
      'calico-not-in-scope base/servicegroup.yaml:4:9 [overlays/lab]',
      'sg-pool-outside-subnet overlays/lab/remote.yaml:13:15 [overlays/lab]',
    ]);
  });

  it('keeps both modes without the directive (near miss), and is quiet with the pool inside its subnet', () => {
    // Arrange
    const files = readFixture('gitops/kustomize-strategic-merge');
    const merged = { ...files };
    merged['overlays/lab/remote.yaml'] = files['overlays/lab/remote.yaml']!.replace(
      '  local:\n    $patch: delete\n',
      '',
    );
    const fixed = { ...files };
    fixed['overlays/lab/remote.yaml'] = files['overlays/lab/remote.yaml']!.replace(
      'pool: 10.50.1.10-10.50.1.20',
      'pool: 10.50.0.10-10.50.0.20',
    );

    // Act / Assert
    expect(found(analyzeFiles(merged))).toContain('sg-shape overlays/lab/remote.yaml:8:3 [overlays/lab]');
    expect(found(analyzeFiles(fixed))).toEqual([
      'calico-not-in-scope base/servicegroup.yaml:4:9 [overlays/lab]',
    ]);
  });
});

describe('strategicMerge (kyaml merge2 as kustomize runs it)', () => {
  const service = {
    kind: 'Service',
    spec: {
      ports: [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'https', port: 443, protocol: 'TCP' },
      ],
    },
  };

  it('merges Service ports by port and protocol (a port without protocol matches), patch items first', () => {
    // Act
    const res = strategicMerge('Service', service, {
      spec: {
        ports: [
          { port: 443, targetPort: 8443 },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
      },
    });

    // Assert
    expect(res?.data.spec).toEqual({
      ports: [
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'http', port: 80, protocol: 'TCP' },
      ],
    });
    // Positions: the merged item's targetPort is the patch's, its name the base's (moved from index 1).
    expect(res?.writes).toContainEqual({
      path: ['spec', 'ports', 0, 'targetPort'],
      at: ['spec', 'ports', 0, 'targetPort'],
    });
    expect(res?.moves).toContainEqual({ path: ['spec', 'ports', 0], from: ['spec', 'ports', 1] });
    expect(res?.moves).toContainEqual({ path: ['spec', 'ports', 2], from: ['spec', 'ports', 0] });
  });

  it('deletes a keyed item with $patch: delete, and replaces the list with a $patch: replace item', () => {
    // Act
    const deleted = strategicMerge('Service', service, {
      spec: { ports: [{ port: 80, $patch: 'delete' }] },
    });
    const replaced = strategicMerge('Service', service, {
      spec: { ports: [{ $patch: 'replace' }, { name: 'dns', port: 53 }] },
    });

    // Assert
    expect(deleted?.data.spec).toEqual({ ports: [{ name: 'https', port: 443, protocol: 'TCP' }] });
    expect(replaced?.data.spec).toEqual({ ports: [{ name: 'dns', port: 53 }] });
  });

  it('replaces a custom resource list (no schema, no inferred keys) and honours map directives', () => {
    // Arrange
    const group = {
      kind: 'ServiceGroup',
      spec: {
        local: {
          v4pools: [
            { subnet: 'a', pool: 'x' },
            { subnet: 'b', pool: 'y' },
          ],
        },
      },
    };

    // Act
    const listed = strategicMerge('ServiceGroup', group, {
      spec: { local: { v4pools: [{ subnet: 'b', pool: 'z' }] } },
    });
    const replaced = strategicMerge('ServiceGroup', group, {
      spec: { $patch: 'replace', remote: { v4pool: { subnet: 'c' } } },
    });
    const gone = strategicMerge('ServiceGroup', group, { $patch: 'delete' });

    // Assert
    expect(listed?.data.spec).toEqual({ local: { v4pools: [{ subnet: 'b', pool: 'z' }] } });
    expect(replaced?.data.spec).toEqual({ remote: { v4pool: { subnet: 'c' } } });
    expect(gone).toBeUndefined();
  });
});
