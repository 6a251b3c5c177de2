// The pool table never says ok beside a problem: for generated scopes (one PureLB pool, Calico
// pools, BGP settings and an operator Installation drawn at random), a pool whose verdict is ok
// has no error or warning finding about it. "About it" is judged here independently of the
// table's own code: the finding, or one of its related places, lies in the ServiceGroup's file.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULES_BY_ID } from '../../src/checks/index.ts';
import { analyzeFiles } from '../helpers.ts';

const subnet = fc.constantFrom('10.50.0.0/24', '10.50.0.0/25', '10.60.0.0/24', '10.50.0.7/24');
const range = fc.constantFrom('10.50.0.10-10.50.0.20', '10.50.0.0/28', '10.60.0.1-10.60.0.9', '10.50.0.40');
const aggregation = fc.constantFrom(undefined, 'default', '/32', '/24', '32', '/16');
const calicoCidr = fc.constantFrom(
  '10.50.0.0/24',
  '10.50.0.0/16',
  '10.50.0.0/26',
  '10.244.0.0/16',
  '10.50.0.5/24',
);

const ipPool = fc.record({
  cidr: calicoCidr,
  disabled: fc.boolean(),
  disableBGPExport: fc.boolean(),
  ipipMode: fc.constantFrom('Never', 'Always'),
});

const scope = fc.record({
  version: fc.constantFrom('v1', 'v2'),
  subnet,
  range,
  aggregation,
  ipPools: fc.array(ipPool, { maxLength: 3 }),
  installation: fc.option(
    fc.record({
      bgp: fc.constantFrom('Enabled', 'Disabled'),
      cidr: fc.option(calicoCidr, { nil: undefined }),
    }),
    { nil: undefined },
  ),
  advert: fc.option(fc.record({ cidr: calicoCidr, community: fc.constantFrom('65000:100', '65000:200') }), {
    nil: undefined,
  }),
  required: fc.constantFrom([], ['65000:100']),
});

type Scope = typeof scope extends fc.Arbitrary<infer T> ? T : never;

function filesOf(s: Scope): Record<string, string> {
  const agg = s.aggregation === undefined ? '' : `\n      aggregation: "${s.aggregation}"`;
  const sg =
    s.version === 'v1'
      ? `apiVersion: purelb.io/v1\nkind: ServiceGroup\nmetadata:\n  name: default\n  namespace: purelb\nspec:\n  local:\n    subnet: ${s.subnet}\n    pool: ${s.range}${agg.replace(/\n {6}/, '\n    ')}\n`
      : `apiVersion: purelb.io/v2\nkind: ServiceGroup\nmetadata:\n  name: default\n  namespace: purelb-system\nspec:\n  remote:\n    v4pools:\n    - subnet: ${s.subnet}\n      pool: ${s.range}${agg}\n`;
  const calico = s.ipPools.map(
    (p, i) =>
      `apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: p${i}\nspec:\n  cidr: ${p.cidr}\n  disabled: ${p.disabled}\n  disableBGPExport: ${p.disableBGPExport}\n  ipipMode: ${p.ipipMode}\n`,
  );
  if (s.installation) {
    const pools = s.installation.cidr
      ? `\n    ipPools:\n    - cidr: ${s.installation.cidr}\n      encapsulation: None\n      disableNewAllocations: true`
      : '';
    calico.push(
      `apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata:\n  name: default\nspec:\n  calicoNetwork:\n    bgp: ${s.installation.bgp}${pools}\n`,
    );
  }
  if (s.advert) {
    calico.push(
      `apiVersion: crd.projectcalico.org/v1\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n  prefixAdvertisements:\n  - cidr: ${s.advert.cidr}\n    communities: ["${s.advert.community}"]\n`,
    );
  }
  const files: Record<string, string> = { 'purelb/sg.yaml': sg };
  if (calico.length) files['calico/calico.yaml'] = calico.join('---\n');
  if (s.required.length)
    files['.github/lbguard.yml'] = `communities:\n  required: ["${s.required.join('", "')}"]\n`;
  return files;
}

describe('the pool table verdict', () => {
  it('is ok only when no error or warning finding is about the pool', () => {
    fc.assert(
      fc.property(scope, (s) => {
        const a = analyzeFiles(filesOf(s));
        const serious = a.findings.filter(
          (f) =>
            f.severity !== 'notice' &&
            RULES_BY_ID.get(f.rule)?.family !== 'services' &&
            (f.file === 'purelb/sg.yaml' || (f.related ?? []).some((r) => r.file === 'purelb/sg.yaml')),
        );
        for (const row of a.pools) {
          if (row.verdict === 'ok') expect(serious.map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('says problem for the case the review found: lb-bgp-disabled beside a covering disabled IPPool', () => {
    // Arrange: a routed pool exported by a disabled IPPool, in a scope whose Installation turns BGP off.
    const files = filesOf({
      version: 'v2',
      subnet: '10.50.0.0/24',
      range: '10.50.0.10-10.50.0.20',
      aggregation: '/32',
      ipPools: [{ cidr: '10.50.0.0/24', disabled: true, disableBGPExport: false, ipipMode: 'Never' }],
      installation: { bgp: 'Disabled', cidr: undefined },
      advert: undefined,
      required: [],
    });

    // Act
    const a = analyzeFiles(files);

    // Assert
    expect(a.findings.map((f) => f.rule)).toContain('lb-bgp-disabled');
    expect(a.pools.map((p) => p.verdict)).toEqual(['problem']);
  });
});
