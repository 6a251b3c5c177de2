import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, documentScanner, loadFiles, scanDocuments } from '../../src/manifests/load.ts';
import { analyzeFiles, toFiles, where, withRule } from '../helpers.ts';

// An IPPool whose cidr is a list: resource-shape at the list, line 6 column 9 of the document.
const badPool = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: lb
spec:
  cidr: [192.168.1.0/24]
`;

describe('splitting files into documents', () => {
  it('does not split on --- inside an indented block scalar, and counts lines across it', () => {
    // Arrange: the block scalar holds a `---` line indented by 4 spaces (lines 7-9).
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: motd
data:
  motd: |
    hello
    ---
    world
---
${badPool}`;

    // Act
    const a = analyzeFiles({ 'cm.yaml': text });

    // Assert
    expect(where(withRule(a, 'resource-shape'))).toEqual(['cm.yaml:16:9']);
    expect(a.stats.documents).toBe(2);
  });

  it('reads documents that start with `--- !tag`, with comments, or after `...`', () => {
    // Arrange
    const text = `# Calico pools for the lab
--- !calico
${badPool}...
# the next document has no --- marker
${badPool}---
# only a comment
`;

    // Act
    const a = analyzeFiles({ 'pools.yaml': text });

    // Assert
    expect(where(withRule(a, 'resource-shape'))).toEqual(['pools.yaml:8:9', 'pools.yaml:16:9']);
    expect(withRule(a, 'yaml-syntax')).toEqual([]);
  });

  it('is quiet on the same documents with a valid cidr', () => {
    // Arrange
    const good = badPool.replace('[192.168.1.0/24]', '192.168.1.0/24');

    // Act
    const a = analyzeFiles({
      'pools.yaml': `--- !calico\n${good}...\n${good.replace('name: lb', 'name: lb2')}`,
    });

    // Assert
    expect(a.findings.filter((f) => f.rule === 'resource-shape' || f.rule === 'yaml-syntax')).toEqual([]);
    expect(a.summary.resources).toBe(2);
  });

  it('parses only documents that mention a watched word; the others of that file are only syntax-checked', () => {
    // Arrange
    const text = `kind: Deployment\n---\nkind: ConfigMap\n---\n${badPool}---\nkind: Secret\n`;
    const workloads = 'kind: Deployment\n---\nkind: ConfigMap\n';

    // Act
    const loaded = loadFiles(toFiles({ 'a.yaml': text, 'b.yaml': workloads }), DEFAULT_LIMITS);

    // Assert
    expect(loaded.stats).toEqual({
      files: 2,
      bytes: text.length + workloads.length,
      documents: 6,
      parsed: 1,
      checked: 3,
      templates: 0,
    });
  });

  it('finds document starts and line offsets in one scan', () => {
    // Arrange
    const text = 'a: 1\n---\nkind: IPPool\n---\nb: 2\r\n--- \r\nkind: BGPPeer\n';

    // Act
    const scan = scanDocuments(text, documentScanner(['IPPool', 'BGPPeer']));

    // Assert
    expect(scan.documents).toBe(4);
    expect(scan.watched.map((c) => [text.slice(c.from, c.from + 3), c.lineOffset])).toEqual([
      ['---', 1],
      ['---', 5],
    ]);
  });

  it('splits only at --- that starts a line, not after U+2028 or inside a line', () => {
    // Arrange
    const text = 'kind: IPPool\nnote: "a\u2028--- b"\nx: y --- z\n';

    // Act
    const scan = scanDocuments(text, documentScanner(['IPPool']));

    // Assert
    expect(scan.documents).toBe(1);
    expect(scan.watched).toEqual([{ from: 0, to: text.length, lineOffset: 0 }]);
  });
});

describe('JSON manifests and lists', () => {
  it('reads a JSON manifest and points at the offending value', () => {
    // Arrange
    const json = `{
  "apiVersion": "crd.projectcalico.org/v1",
  "kind": "IPPool",
  "metadata": { "name": "lb" },
  "spec": { "cidr": 24 }
}
`;

    // Act
    const a = analyzeFiles({ 'pool.json': json });

    // Assert
    expect(where(withRule(a, 'resource-shape'))).toEqual(['pool.json:5:21']);
  });

  it('reads each item of a `kind: List` as a resource, pointing inside the item', () => {
    // Arrange: what `kubectl get ippools -o yaml` writes.
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: crd.projectcalico.org/v1
    kind: IPPool
    metadata:
      name: good
    spec:
      cidr: 10.0.0.0/16
  - apiVersion: crd.projectcalico.org/v1
    kind: IPPool
    metadata:
      name: bad
    spec:
      cidr: [192.168.1.0/24]
`;

    // Act
    const a = analyzeFiles({ 'list.yaml': text });

    // Assert
    const found = withRule(a, 'resource-shape');
    expect(where(found)).toEqual(['list.yaml:15:13']);
    expect(found[0]!.resource).toEqual({ kind: 'IPPool', name: 'bad' });
    expect(a.summary.resources).toBe(2);
  });

  it('is quiet on a List of valid items', () => {
    // Arrange
    const text = `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"crd.projectcalico.org/v1","kind":"IPPool","metadata":{"name":"a"},"spec":{"cidr":"10.0.0.0/16"}}]}`;

    // Act
    const a = analyzeFiles({ 'list.json': text });

    // Assert
    expect(withRule(a, 'resource-shape')).toEqual([]);
    expect(a.summary.resources).toBe(1);
  });
});

describe('documentScanner', () => {
  it('ignores empty words instead of looping forever', () => {
    // Arrange
    const text = 'a: 1\n---\nb: 2\n';

    // Act
    const none = scanDocuments(text, documentScanner([]));
    const empty = scanDocuments(text, documentScanner(['', 'b']));

    // Assert
    expect(none).toEqual({ documents: 2, watched: [] });
    expect(empty.watched).toEqual([{ from: 5, to: text.length, lineOffset: 1 }]);
  });
});

describe('scanDocuments with a pattern built elsewhere', () => {
  it('adds the g flag rather than looping forever', () => {
    // Arrange
    const text = 'kind: IPPool\n---\nkind: IPPool\n';

    // Act
    const scan = scanDocuments(text, new RegExp(documentScanner(['IPPool']).source));

    // Assert
    expect(scan.watched.map((c) => c.lineOffset)).toEqual([0, 1]);
  });
});
