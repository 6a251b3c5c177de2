// The bundled example through the real command line, in every format: exit codes, exact
// workflow-command lines, and SARIF that code scanning accepts.
import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sarifSchema } from '../render/sarif-schema.ts';
import { run, tempRepo } from './harness.ts';

const EXAMPLE = join(import.meta.dirname, '../../examples/homelab');

/** A copy outside any git checkout, so paths are relative to the example itself. */
function homelab(): string {
  const dir = tempRepo();
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

describe('lbguard check examples/homelab', () => {
  it('prints one exact workflow command per finding, then the summary, and exits 1', async () => {
    // Arrange
    const dir = homelab();

    // Act
    const r = await run(['check', '--format', 'github', dir]);

    // Assert
    const lines = r.out.split('\n');
    expect(lines.map((l) => l.split('::').slice(0, 2).join('::'))).toEqual([
      '::warning file=apps/web/service.yaml,line=7,col=30,endLine=7,endColumn=37,title=svc-annotation-conflict',
      '::error file=apps/web/service.yaml,line=8,col=26,endLine=8,endColumn=39,title=svc-address-outside-pool',
      '::error file=infrastructure/calico/bgpconfiguration.yaml,line=6,col=13,endLine=6,endColumn=23,title=bgp-asnumber',
      '::notice file=infrastructure/calico/bgpconfiguration.yaml,line=10,col=3,endLine=10,endColumn=23,title=lb-community-missing',
      '::notice file=infrastructure/calico/bgpconfiguration.yaml,line=10,col=3,endLine=10,endColumn=23,title=lb-community-missing',
      '::error file=infrastructure/calico/bgpconfiguration.yaml,line=13,col=7,endLine=13,endColumn=13,title=bgp-community-undefined',
      '::error file=infrastructure/calico/bgpconfiguration.yaml,line=17,col=7,endLine=17,endColumn=13,title=bgp-community-undefined',
      '::error file=infrastructure/calico/ippools.yaml,line=34,col=9,endLine=34,endColumn=21,title=lb-ippool-allocatable',
      '::error file=infrastructure/purelb/games.yaml,line=11,col=13,endLine=11,endColumn=25,title=lb-pool-not-exported',
      '::error file=infrastructure/purelb/servicegroups.yaml,line=38,col=22,endLine=38,endColumn=26,title=sg-aggregation',
      'lbguard: 7 files, 13 resources: 7 errors, 1 warning, 2 notices',
      '',
    ]);
    expect(lines[9]).toBe(
      '::error file=infrastructure/purelb/servicegroups.yaml,line=38,col=22,endLine=38,endColumn=26,title=sg-aggregation::' +
        'Aggregation "32" lacks the slash: write "/32"; PureLB cannot build the mask and never adds the address.',
    );
    // A related place rides on an escaped second line of the same command.
    expect(lines[8]).toMatch(
      /IPPool purelb-games \(10\.70\.0\.0\/26\) covers only part of it\.%0Arelated: infrastructure\/calico\/ippools\.yaml:44:9 nearest Calico pool: IPPool purelb-games \(10\.70\.0\.0\/26\), does not contain 10\.70\.0\.0\/24$/,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
  });

  it('writes SARIF that passes the code-scanning structure, one result per finding, and exits 1', async () => {
    // Arrange
    const dir = homelab();

    // Act
    const [sarif, json] = await Promise.all([
      run(['check', '--format', 'sarif', dir]),
      run(['check', '--format', 'json', dir]),
    ]);

    // Assert
    const log = sarifSchema.parse(JSON.parse(sarif.out));
    const findings = (JSON.parse(json.out) as { findings: { rule: string; fingerprint: string }[] }).findings;
    const results = log.runs[0]!.results;
    expect(results.map((x) => [x.ruleId, x.partialFingerprints['lbguard/v1']])).toEqual(
      findings.map((f) => [f.rule, f.fingerprint]),
    );
    const notExported = results.find((x) => x.ruleId === 'lb-pool-not-exported')!;
    expect(notExported.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'infrastructure/purelb/games.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 11, startColumn: 13, endLine: 11, endColumn: 25 },
    });
    expect(notExported.relatedLocations?.[0]?.physicalLocation.artifactLocation.uri).toBe(
      'infrastructure/calico/ippools.yaml',
    );
    expect([sarif.code, json.code]).toEqual([1, 1]);
  });

  it('exits 0 once the config turns every error rule down to a warning', async () => {
    // Arrange
    const dir = homelab();
    const rules = [
      'svc-address-outside-pool',
      'bgp-asnumber',
      'bgp-community-undefined',
      'lb-ippool-allocatable',
      'lb-pool-not-exported',
      'sg-aggregation',
    ];
    const quiet = join(dir, 'quiet.yml');
    cpSync(join(dir, '.github/lbguard.yml'), quiet);
    appendFileSync(quiet, rules.map((id) => `  ${id}: warning\n`).join(''));

    // Act
    const r = await run(['check', '--format', 'json', '--config', quiet, dir]);

    // Assert
    const summary = (JSON.parse(r.out) as { summary: { errors: number; warnings: number } }).summary;
    expect(summary.errors).toBe(0);
    expect(summary.warnings).toBe(8);
    expect(r.code).toBe(0);
  });
});
