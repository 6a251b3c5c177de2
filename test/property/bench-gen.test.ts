import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/gen.ts';
import { analyzeFiles } from '../helpers.ts';

describe('bench corpus generator', () => {
  it('generates the documents it counts, and a clean repository', () => {
    // Arrange / Act
    const corpus = generateCorpus({ clusters: 2, apps: 5, pools: 12, services: 7 });
    const a = analyzeFiles(corpus.files);

    // Assert
    expect(corpus.counts).toEqual({
      documents: 2 * (5 + 5 + 12 + 12 + 7 + 3),
      deployments: 10,
      configMaps: 10,
      serviceGroups: 24,
      ipPools: 24,
      services: 14,
      calico: 6,
    });
    expect(a.stats.documents).toBe(corpus.counts.documents + 1); // and .github/lbguard.yml
    expect(a.summary.resources).toBe(24 + 24 + 14 + 6);
    expect(a.findings.filter((f) => f.severity !== 'notice')).toEqual([]);
    expect(a.scopes.map((s) => s.name).sort()).toEqual(['c0', 'c1', 'default']);
  });
});
