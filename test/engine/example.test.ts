// The bundled example (examples/homelab) must keep showing the mistakes its README promises.
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFixture, FIXTURES } from '../helpers.ts';

const EXAMPLE = relative(FIXTURES, `${import.meta.dirname}/../../examples/homelab`);

describe('examples/homelab', () => {
  it('reports each promised mistake at its value, and nothing more', () => {
    // Arrange / Act
    const a = analyzeFixture(EXAMPLE);

    // Assert
    expect(a.findings.map((f) => `${f.severity} ${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual([
      'warning svc-annotation-conflict apps/web/service.yaml:7:30',
      'error svc-address-outside-pool apps/web/service.yaml:8:26',
      'error bgp-asnumber infrastructure/calico/bgpconfiguration.yaml:6:13',
      'notice lb-community-missing infrastructure/calico/bgpconfiguration.yaml:10:3',
      'notice lb-community-missing infrastructure/calico/bgpconfiguration.yaml:10:3',
      'error bgp-community-undefined infrastructure/calico/bgpconfiguration.yaml:13:7',
      'error bgp-community-undefined infrastructure/calico/bgpconfiguration.yaml:17:7',
      'error lb-ippool-allocatable infrastructure/calico/ippools.yaml:34:9',
      'error lb-pool-not-exported infrastructure/purelb/games.yaml:11:13',
      'error sg-aggregation infrastructure/purelb/servicegroups.yaml:38:22',
    ]);
  });

  it('explains the narrow-pool case and widens that IPPool rather than adding an overlapping one', () => {
    // Arrange / Act
    const a = analyzeFixture(EXAMPLE);

    // Assert
    const f = a.findings.find((x) => x.rule === 'lb-pool-not-exported');
    expect(f?.message).toContain('Aggregation default advertises the whole subnet 10.70.0.0/24');
    expect(f?.fix?.title).toBe(
      'Widen IPPool purelb-games from 10.70.0.0/26 to 10.70.0.0/24, the subnet PureLB advertises',
    );
    expect(f?.fix?.changes.every((c) => c.kind === 'edit')).toBe(true);
  });
});
