// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux ${VAR} placeholders are what these tests are about
import { describe, expect, it } from 'vitest';
import { analyzeFiles, analyzeFixture, readFixture } from '../helpers.ts';

describe('a cluster-settings made by configMapGenerator', () => {
  it('feeds Flux substitution from env files and literals, pointing at the line that set each value', () => {
    // Act
    const a = analyzeFixture('gitops/generated-settings');

    // Assert
    expect(a.scopes.map((s) => s.name)).toEqual(['home']);
    expect(a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual([
      'calico-not-in-scope infrastructure/purelb.yaml:4:9',
      'sg-pool-syntax infrastructure/purelb.yaml:10:15',
    ]);
    expect(a.findings[1]!.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual([
      'clusters/home/cluster-settings.env:2:10',
    ]);
  });

  it('reads literals at their line in the kustomization', () => {
    // Arrange
    const files = readFixture('gitops/generated-settings');
    files['clusters/home/kustomization.yaml'] = files['clusters/home/kustomization.yaml']!.replace(
      'LB_SUBNET=192.168.60.0/24',
      'LB_SUBNET=192.168.60.0/33',
    );

    // Act
    const a = analyzeFiles(files);

    // Assert
    const subnet = a.findings.find((f) => f.rule === 'sg-subnet-syntax')!;
    expect(subnet.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual([
      'clusters/home/kustomization.yaml:12:9',
    ]);
  });

  it("names the generated ConfigMap as kustomize does, with the kustomization's namePrefix", () => {
    // Arrange: kustomize makes home-cluster-settings, which substituteFrom must name.
    const files = readFixture('gitops/generated-settings');
    const kustomization = 'clusters/home/kustomization.yaml';
    files[kustomization] = files[kustomization]!.replace('resources:', 'namePrefix: home-\nresources:');
    const renamed = { ...files };
    renamed['clusters/home/infrastructure.yaml'] = files['clusters/home/infrastructure.yaml']!.replace(
      'name: cluster-settings',
      'name: home-cluster-settings',
    );

    // Act
    const stale = analyzeFiles(files).findings.map((f) => f.rule);
    const found = analyzeFiles(renamed).findings.map((f) => f.rule);

    // Assert
    expect(stale).toContain('value-unresolved');
    expect(stale).not.toContain('sg-pool-syntax');
    expect(found).toContain('sg-pool-syntax');
  });

  it('leaves the variables unresolved when the generator names another ConfigMap (near miss)', () => {
    // Arrange
    const files = readFixture('gitops/generated-settings');
    files['clusters/home/kustomization.yaml'] = files['clusters/home/kustomization.yaml']!.replace(
      '- name: cluster-settings',
      '- name: other-settings',
    );

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.findings.map((f) => f.rule)).toContain('value-unresolved');
    expect(a.findings.map((f) => f.rule)).not.toContain('sg-pool-syntax');
  });
});
