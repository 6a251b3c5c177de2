import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/gen.ts';
import { analyzeFiles, withRule } from '../helpers.ts';

const small = { clusters: 2, apps: 5, pools: 12, services: 7 };

describe('bench corpus generator', () => {
  it('generates the documents it counts, and a clean repository with scopes from the Flux layout', () => {
    // Arrange / Act
    const corpus = generateCorpus(small);
    const a = analyzeFiles(corpus.files);

    // Assert
    expect(corpus.counts).toEqual({
      documents: 2 * (5 * 3 + 7 * 2 + 1 + 3 + (12 - 1) + 12 + 2 + 9),
      deployments: 10,
      configMaps: 10,
      kustomizeFiles: 2 * (5 + 7 + 1 + 3),
      serviceGroups: 24,
      ipPools: 24,
      services: 14,
      calico: 6,
      fromCharts: 4,
      flux: 18,
    });
    expect(a.stats.documents).toBe(corpus.counts.documents + 1); // and .github/lbguard.yml
    expect(a.summary.resources).toBe(24 + 24 + 14 + 6);
    expect(a.findings).toEqual([]);
    expect(a.scopes.map((s) => s.name).sort()).toEqual(['c0', 'c1', 'default']);
  });

  it('exercises substitution: a bad value in one cluster-settings ConfigMap is found, in that cluster only', () => {
    // Arrange
    const corpus = generateCorpus(small);
    const settings = 'clusters/c1/cluster-settings.yaml';
    corpus.files[settings] = corpus.files[settings]!.replace(
      'LB_SUBNET_3: 10.16.3.0/24',
      'LB_SUBNET_3: 10.16.3.5/24',
    );

    // Act
    const a = analyzeFiles(corpus.files);

    // Assert: the IPPool cidr `${LB_SUBNET_3}` is no longer strictly masked, and the finding says which ConfigMap line said so
    const found = withRule(a, 'ippool-cidr');
    expect(found.map((f) => `${f.scope} ${f.file}`)).toEqual(['c1 infrastructure/c1/calico/ippools-0.yaml']);
    expect(found[0]!.related?.map((r) => r.file)).toContain(settings);
  });
});
