// Section D fixes in the cases where lbguard must choose a place, a flavour, or no fix at all.
import { describe, expect, it } from 'vitest';
import type { Fix } from '../../src/findings.ts';
import { planFixes } from '../../src/fixes/plan.ts';
import { analyzeFiles, where, withRule } from '../helpers.ts';
import { ROUTED_SG as SG } from './fixtures.ts';

const BGP_V3 = `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  nodeToNodeMeshEnabled: true
`;

const fixOf = (files: Record<string, string>, rule: string, config = {}) =>
  withRule(analyzeFiles(files, config), rule).map((f) => f.fix as Fix | undefined);

describe('lb-pool-not-exported fix placement', () => {
  it('writes a new file beside the BGPConfiguration, in its API flavour, when the scope has no IPPool', () => {
    // Arrange
    const files = { 'purelb/sg.yaml': SG, 'calico/bgp.yaml': BGP_V3 };
    // Act
    const [fix] = fixOf(files, 'lb-pool-not-exported');
    // Assert
    expect(fix?.changes).toEqual([
      {
        kind: 'document',
        file: 'calico/purelb-10-30-0-0-24.yaml',
        content: {
          apiVersion: 'projectcalico.org/v3',
          kind: 'IPPool',
          metadata: { name: 'purelb-10-30-0-0-24' },
          spec: {
            cidr: '10.30.0.0/24',
            disabled: true,
            ipipMode: 'Never',
            vxlanMode: 'Never',
            natOutgoing: false,
          },
        },
      },
    ]);
  });

  it('prefers fixes.directory and calico.apiVersion from the config', () => {
    // Arrange
    const files = { 'purelb/sg.yaml': SG, 'calico/bgp.yaml': BGP_V3 };
    const config = {
      fixes: { mode: 'commit' as const, directory: 'clusters/prod/calico/' },
      calicoApiVersion: 'crd.projectcalico.org/v1' as const,
    };
    // Act
    const [fix] = fixOf(files, 'lb-pool-not-exported', config);
    const plan = planFixes(
      withRule(analyzeFiles(files, config), 'lb-pool-not-exported'),
      (f) => files[f as keyof typeof files],
    );
    // Assert
    expect(fix?.changes[0]).toMatchObject({ file: 'clusters/prod/calico/purelb-10-30-0-0-24.yaml' });
    expect(plan.changes.map((c) => [c.file, c.before, c.after])).toEqual([
      [
        'clusters/prod/calico/purelb-10-30-0-0-24.yaml',
        undefined,
        'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: purelb-10-30-0-0-24\nspec:\n  cidr: 10.30.0.0/24\n  disabled: true\n  ipipMode: Never\n  vxlanMode: Never\n  natOutgoing: false\n',
      ],
    ]);
  });

  it('offers no fix, and says why, when the new IPPool would overlap an existing one', () => {
    // Arrange: an IPPool covers only the range, but aggregation default advertises the whole /24,
    // and a second pool in the subnet means widening the first would overlap it.
    const files = {
      'purelb/sg.yaml': SG,
      'calico/ippool.yaml': `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: lb-range
spec:
  cidr: 10.30.0.0/26
  disabled: true
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: other
spec:
  cidr: 10.30.0.128/26
  disabled: true
`,
    };
    // Act
    const found = withRule(analyzeFiles(files), 'lb-pool-not-exported');
    // Assert
    expect(where(found)).toEqual(['purelb/sg.yaml:9:15']);
    expect(found[0]?.fix).toBeUndefined();
    expect(found[0]?.message).toContain(
      '(No fix: an IPPool for 10.30.0.0/24 would overlap IPPool lb-range (10.30.0.0/26) (ippool-overlap)',
    );
  });
});

describe('lb-pool-not-exported beside an IPPool with host bits set', () => {
  it('offers no fix, since masking that IPPool (ippool-cidr) would make the two overlap', () => {
    // Arrange
    const files = {
      'purelb/sg.yaml': SG,
      'calico/ippool.yaml': `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: lb
spec:
  cidr: 10.30.0.5/24
  disabled: true
`,
    };
    // Act
    const a = analyzeFiles(files);
    const found = withRule(a, 'lb-pool-not-exported');
    // Assert
    expect(where(found)).toEqual(['purelb/sg.yaml:9:15']);
    expect(found[0]?.fix).toBeUndefined();
    expect(found[0]?.message).toContain('would overlap IPPool lb (10.30.0.5/24)');
    expect(withRule(a, 'ippool-cidr')[0]?.fix).toBeDefined();
  });
});

describe('lb-community-missing without a usable community', () => {
  const ippool = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: lb
spec:
  cidr: 10.30.0.0/24
  disabled: true
`;

  it('cannot invent a value for a required name no BGPConfiguration defines', () => {
    // Arrange
    const files = {
      'purelb/sg.yaml': SG,
      'calico/ippool.yaml': ippool,
      'calico/bgp.yaml': BGP_V3,
      '.github/lbguard.yml': 'communities:\n  required: [lb-routes]\n',
    };
    // Act
    const found = withRule(analyzeFiles(files), 'lb-community-missing');
    // Assert
    expect(where(found)).toEqual(['calico/bgp.yaml:4:3']);
    expect(found[0]?.fix).toBeUndefined();
    expect(found[0]?.message).toContain(
      'No fix: community name "lb-routes" has no value in any BGPConfiguration',
    );
  });

  it('stays a plain notice without a fix when no community is required or used by other PureLB entries', () => {
    // Arrange
    const files = { 'purelb/sg.yaml': SG, 'calico/ippool.yaml': ippool, 'calico/bgp.yaml': BGP_V3 };
    // Act
    const found = withRule(analyzeFiles(files), 'lb-community-missing');
    // Assert
    expect(found.map((f) => [f.severity, f.fix])).toEqual([['notice', undefined]]);
    expect(found[0]?.message).not.toContain('No fix');
  });
});

describe('fixes composing on one resource', () => {
  it('applies three rules to one IPPool in one pass, and a second pass changes nothing', () => {
    // Arrange
    const pool = `# For PureLB
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: lb
spec:
  cidr: 10.30.0.0/24 # the group's subnet
  ipipMode: Always
  disableBGPExport: true
  natOutgoing: false
`;
    const files: Record<string, string> = { 'purelb/sg.yaml': SG, 'calico/ippool.yaml': pool };
    const rules = ['lb-ippool-allocatable', 'lb-ippool-export-disabled'];
    // Act
    const first = planFixes(analyzeFiles(files).findings, (f) => files[f]);
    const after: Record<string, string> = { ...files, 'calico/ippool.yaml': first.changes[0]!.after };
    // Second round: with the export back, the encapsulation finding appears and gets fixed too.
    const second = planFixes(analyzeFiles(after).findings, (f) => after[f]);
    const done: Record<string, string> = {
      ...after,
      'calico/ippool.yaml': second.changes[0]?.after ?? after['calico/ippool.yaml']!,
    };
    const third = planFixes(analyzeFiles(done).findings, (f) => done[f]);
    // Assert
    expect(first.changes.map((c) => c.rules)).toEqual([rules]);
    expect(done['calico/ippool.yaml']).toBe(`# For PureLB
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: lb
spec:
  cidr: 10.30.0.0/24 # the group's subnet
  ipipMode: Never
  natOutgoing: false
  disabled: true
`);
    expect(third.changes).toEqual([]);
  });
});
