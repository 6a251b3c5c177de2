import { describe, expect, it } from 'vitest';
import { analyzeFiles, where, withRule } from '../helpers.ts';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
`;
const configMap = `apiVersion: v1
kind: Secret
metadata:
  name: settings
`;
// Line 8 starts one column left of its sibling: "All mapping items must start at the same column".
const brokenGroup = `apiVersion: purelb.io/v2
kind: ServiceGroup
metadata:
  name: default
spec:
  local:
    subnet: 192.168.1.0/24
   pool: 192.168.1.240-192.168.1.250
`;

describe('yaml-syntax', () => {
  it('reports a broken ServiceGroup at the parser position, counting lines of earlier documents', () => {
    // Arrange: the ServiceGroup is the third document; its own line 8 is line 18 of the file.
    const files = { 'infra/lb.yaml': `${deployment}---\n${configMap}---\n${brokenGroup}` };

    // Act
    const a = analyzeFiles(files);

    // Assert
    const found = withRule(a, 'yaml-syntax');
    expect(where(found)).toEqual(['infra/lb.yaml:18:1']);
    expect(found[0]!.severity).toBe('error');
    expect(found[0]!.message).toContain('same column');
  });

  it('is silent on the same error in a file with only Deployments: not ours to judge', () => {
    // Arrange
    const broken = brokenGroup.replace('purelb.io/v2', 'apps/v1').replace('ServiceGroup', 'Deployment');
    const files = { 'apps/web.yaml': `${deployment}---\n${configMap}---\n${broken}` };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.findings).toEqual([]);
    expect(a.stats.parsed).toBe(0);
  });

  it('points at the second of two duplicate keys', () => {
    // Arrange
    const files = {
      'lb.yaml': 'apiVersion: purelb.io/v2\nkind: ServiceGroup\nmetadata:\n  name: a\n  name: b\n',
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'yaml-syntax'))).toEqual(['lb.yaml:5:3']);
  });

  it('keeps positions right with CRLF line endings', () => {
    // Arrange
    const text = `${deployment}---\n${configMap}---\n${brokenGroup}`.replace(/\n/g, '\r\n');

    // Act
    const a = analyzeFiles({ 'crlf.yaml': text });

    // Assert
    expect(where(withRule(a, 'yaml-syntax'))).toEqual(['crlf.yaml:18:1']);
  });

  it('keeps positions right after a byte order mark', () => {
    // Arrange
    const text = `\uFEFF${brokenGroup}`;

    // Act
    const a = analyzeFiles({ 'bom.yaml': text });

    // Assert
    expect(where(withRule(a, 'yaml-syntax'))).toEqual(['bom.yaml:8:1']);
  });

  it('is quiet on a valid multi-document file', () => {
    // Arrange
    const fixed = brokenGroup.replace('   pool', '    pool');

    // Act
    const a = analyzeFiles({ 'lb.yaml': `${deployment}---\n${configMap}---\n${fixed}` });

    // Assert
    expect(withRule(a, 'yaml-syntax')).toEqual([]);
    expect(a.stats).toMatchObject({ documents: 3, parsed: 1 });
  });
});

describe('yaml-syntax for documents read for the GitOps module only', () => {
  it('is silent on a broken Flux HelmRelease that names no watched kind', () => {
    // Arrange: HelmRelease is read (its values may create ServiceGroups), but it is not ours to judge.
    const files = {
      'apps/release.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: a\n  name: b\n',
    };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(withRule(a, 'yaml-syntax')).toEqual([]);
  });
});

describe('yaml-syntax for the other documents of a file that holds a watched kind', () => {
  const brokenDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  name: web-v2
`;
  const group = brokenGroup.replace('   pool', '    pool');

  it('reports a broken Deployment beside a ServiceGroup, at the parser position: Flux rejects the whole file', () => {
    // Arrange: the Deployment is the second document; its line 5 is line 14 of the file.
    const files = { 'infra/lb.yaml': `${group}---\n${brokenDeployment}` };

    // Act
    const a = analyzeFiles(files);

    // Assert
    const found = withRule(a, 'yaml-syntax');
    expect(where(found)).toEqual(['infra/lb.yaml:14:3']);
    expect(found[0]!.message).toContain('this Deployment document');
    expect(found[0]!.message).toContain('Flux and kubectl reject the whole file');
    expect(found).toHaveLength(1);
  });

  it('reports a broken HelmRelease beside a ServiceGroup too, though alone it is not ours', () => {
    // Arrange
    const release =
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: a\n  name: b\n';
    const files = { 'infra/lb.yaml': `${release}---\n${group}` };

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(where(withRule(a, 'yaml-syntax'))).toEqual(['infra/lb.yaml:5:3']);
    expect(withRule(a, 'yaml-syntax')[0]!.message).toContain('this HelmRelease document');
  });

  it('stays quiet on valid workloads beside a ServiceGroup, and never parses a file of workloads alone', () => {
    // Arrange
    const fixed = brokenDeployment.replace('  name: web\n', '');

    // Act
    const mixed = analyzeFiles({ 'infra/lb.yaml': `${group}---\n${fixed}---\n${deployment}` });
    const alone = analyzeFiles({ 'apps/web.yaml': `${brokenDeployment}---\n${deployment}` });

    // Assert
    expect(withRule(mixed, 'yaml-syntax')).toEqual([]);
    expect(withRule(alone, 'yaml-syntax')).toEqual([]);
    expect(alone.stats).toMatchObject({ documents: 2, parsed: 0 });
  });
});
