// Real repository layouts (fixtures under test/fixtures/gitops/): which scopes lbguard sees and
// exactly what it reports there.
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/engine.ts';
import { analyzeFixture } from '../helpers.ts';

const scopeNames = (a: Analysis) => a.scopes.map((s) => s.name);
const found = (a: Analysis) =>
  a.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} [${f.scope}]`);

describe('the cluster-template layout: an OCIRepository `flux` Kustomization with path ./', () => {
  it('is one cluster named after its entry point, so PureLB is checked against Calico', () => {
    // Act
    const a = analyzeFixture('gitops/flux-oci-template');

    // Assert
    expect(scopeNames(a)).toEqual(['kubernetes']);
    expect(a.scopes[0]!.entry).toBe('kubernetes/flux');
    expect(found(a)).toEqual([
      'value-unresolved kubernetes/apps/default/echo/app/service.yaml:7:26 [kubernetes]',
      'lb-community-missing kubernetes/apps/network/calico/app/ippool.yaml:14:3 [kubernetes]',
      'lb-pool-not-exported kubernetes/apps/network/purelb/app/servicegroup.yaml:9:17 [kubernetes]',
    ]);
  });

  it('substitutes through a set-based patch selector (`notin`) and skips the child it excludes', () => {
    // Act
    const a = analyzeFixture('gitops/flux-oci-template');

    // Assert: cluster-settings reached the ServiceGroup through the patch; echo opted out by label.
    const notExported = a.findings.find((f) => f.rule === 'lb-pool-not-exported')!;
    expect(notExported.message).toContain('192.168.50.0/24');
    expect(notExported.related?.map((r) => `${r.file}:${r.line}:${r.column}`)).toContain(
      'kubernetes/flux/vars/cluster-settings.yaml:7:14',
    );
    expect(a.findings.find((f) => f.rule === 'value-unresolved')!.message).toContain('ECHO_ADDRESS');
  });
});

describe('an archived Kustomization beside two clusters', () => {
  it('founds no cluster and merges none: two clusters, the archive in default', () => {
    // Act
    const a = analyzeFixture('gitops/flux-archived');

    // Assert
    expect(a.scopes.map((s) => `${s.name}:${[...s.paths].sort().join(',')}`)).toEqual([
      'alpha:clusters/alpha/flux-system/gotk-sync.yaml,clusters/alpha/infrastructure.yaml,infrastructure/alpha/purelb.yaml',
      'beta:clusters/beta/flux-system/gotk-sync.yaml,clusters/beta/infrastructure.yaml,infrastructure/beta/purelb.yaml',
      'default:archive/legacy.yaml',
    ]);
    expect(found(a)).toEqual([
      'calico-not-in-scope infrastructure/alpha/purelb.yaml:4:9 [alpha]',
      'calico-not-in-scope infrastructure/beta/purelb.yaml:4:9 [beta]',
    ]);
  });

  it('reports the duplicate once the config puts everything in one cluster (near miss)', () => {
    // Act
    const a = analyzeFixture('gitops/flux-archived', { clusters: { all: ['**'] } });

    // Assert
    expect(found(a).filter((f) => !f.startsWith('calico-not-in-scope'))).toEqual([
      'sg-duplicate-name infrastructure/beta/purelb.yaml:4:9 [all]',
    ]);
  });
});

describe('loose sibling test folders that define the same objects', () => {
  it('are alternatives: one scope each, with the shared files, and no duplicate across them', () => {
    // Act
    const a = analyzeFixture('gitops/loose-tests');

    // Assert
    expect(a.scopes.map((s) => `${s.name}:${[...s.paths].sort().join(',')}`)).toEqual([
      'tests/bgp-basic:common/bgp.yaml,tests/bgp-basic/purelb.yaml',
      'tests/bgp-ecmp:common/bgp.yaml,tests/bgp-ecmp/purelb.yaml',
    ]);
    expect(a.scopes[0]!.reason).toBe(
      'alternative to tests/bgp-ecmp: sibling folders that both define ServiceGroup purelb-system/default, so not one cluster (config clusters puts them together)',
    );
    expect(found(a)).toEqual([
      'lb-community-missing common/bgp.yaml:4:3 [tests/bgp-basic]',
      'sg-pool-outside-subnet tests/bgp-ecmp/purelb.yaml:11:15 [tests/bgp-ecmp]',
    ]);
  });

  it('are one cluster when the config says so, and then the duplicates are real (near miss)', () => {
    // Act
    const a = analyzeFixture('gitops/loose-tests', { clusters: { lab: ['**'] } });

    // Assert
    expect(found(a).filter((f) => f.startsWith('sg-duplicate-name'))).toEqual([
      'sg-duplicate-name tests/bgp-ecmp/purelb.yaml:5:9 [lab]',
    ]);
  });
});
