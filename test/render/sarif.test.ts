import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/checks/index.ts';
import { renderSarif } from '../../src/render/sarif.ts';
import { TOOL } from '../../src/render/tool.ts';
import { analysisOf, finding } from './sample.ts';
import { sarifSchema } from './sarif-schema.ts';

const parse = (out: string) => sarifSchema.parse(JSON.parse(out));

describe('SARIF output', () => {
  it('is SARIF 2.1.0 as code scanning reads it, describing every registry rule', () => {
    // Arrange
    const a = analysisOf([
      finding(),
      finding({ rule: 'template-skipped', severity: 'notice', line: 1, column: 1, endLine: 1, endColumn: 1 }),
    ]);

    // Act
    const log = parse(renderSarif(a));

    // Assert
    const run = log.runs[0]!;
    expect(run.tool.driver.version).toBe(TOOL.version);
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(run.results.map((r) => r.level)).toEqual(['error', 'note']);
  });

  it('places a result at the finding, with a fingerprint and a widened file-level region', () => {
    // Arrange
    const a = analysisOf([
      finding(),
      finding({ rule: 'template-skipped', severity: 'notice', line: 1, column: 1, endLine: 1, endColumn: 1 }),
    ]);

    // Act
    const [first, second] = parse(renderSarif(a)).runs[0]!.results;

    // Assert
    expect(first?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'purelb/sg.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 9, startColumn: 11, endLine: 9, endColumn: 24 },
    });
    expect(first?.partialFingerprints).toEqual({ 'lbguard/v1': '0123456789abcdef' });
    expect(second?.locations[0]?.physicalLocation.region).toEqual({
      startLine: 1,
      startColumn: 1,
      endLine: 1,
      endColumn: 2,
    });
  });

  it('carries related places, the baseline state and the checkout prefix', () => {
    // Arrange
    const f = finding({
      state: 'existing',
      related: [
        { file: 'calico/pool.yaml', line: 6, column: 9, endLine: 6, endColumn: 20, message: 'the IPPool' },
      ],
    });

    // Act
    const result = parse(renderSarif(analysisOf([f]), { pathPrefix: 'infra' })).runs[0]!.results[0]!;

    // Assert
    expect(result.locations[0]?.physicalLocation.artifactLocation.uri).toBe('infra/purelb/sg.yaml');
    expect(result.relatedLocations).toEqual([
      {
        id: 0,
        physicalLocation: {
          artifactLocation: { uri: 'infra/calico/pool.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 6, startColumn: 9, endLine: 6, endColumn: 20 },
        },
        message: { text: 'the IPPool' },
      },
    ]);
    expect(result.baselineState).toBe('unchanged');
  });

  it('describes a rule the registry does not know, so ruleIndex still resolves', () => {
    // Arrange
    const a = analysisOf([finding({ rule: 'future-rule', severity: 'warning' })]);

    // Act
    const run = parse(renderSarif(a)).runs[0]!;

    // Assert
    const result = run.results[0]!;
    expect(run.tool.driver.rules[result.ruleIndex]).toMatchObject({
      id: 'future-rule',
      name: 'FutureRule',
      defaultConfiguration: { level: 'warning' },
    });
  });

  it('links each rule to its docs/rules.md anchor', () => {
    // Act
    const rules = parse(renderSarif(analysisOf([]))).runs[0]!.tool.driver.rules;

    // Assert
    expect(rules.find((r) => r.id === 'yaml-syntax')?.helpUri).toBe(
      `${TOOL.informationUri}/blob/main/docs/rules.md#yaml-syntax`,
    );
  });
});
