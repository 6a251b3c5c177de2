// lb-pool-not-exported when a narrower disabled IPPool was made for the PureLB pool: aggregation
// default advertises the whole subnet, so the fix widens that IPPool instead of giving up.
import { describe, expect, it } from 'vitest';
import { planFixes } from '../../src/fixes/plan.ts';
import { analyzeFiles, where, withRule } from '../helpers.ts';
import { ROUTED_SG as SG } from './fixtures.ts';

const narrow = (name: string, cidr: string, disabled = true) => `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: ${name}
spec:
  # made for PureLB's web pool
  cidr: ${cidr}
  disabled: ${disabled}
  ipipMode: Never
  vxlanMode: Never
`;

describe('lb-pool-not-exported widening a narrower IPPool', () => {
  it('widens the one disabled IPPool inside the subnet to the subnet, and the rule is quiet after', () => {
    // Arrange
    const files = { 'purelb/sg.yaml': SG, 'calico/pool.yaml': narrow('purelb-web', '10.30.0.0/26') };

    // Act
    const found = withRule(analyzeFiles(files), 'lb-pool-not-exported');
    const plan = planFixes(found, (f) => files[f as keyof typeof files]);

    // Assert
    expect(where(found)).toEqual(['purelb/sg.yaml:9:15']);
    expect(found[0]!.fix?.title).toBe(
      'Widen IPPool purelb-web from 10.30.0.0/26 to 10.30.0.0/24, the subnet PureLB advertises',
    );
    expect(plan.failures).toEqual([]);
    const after = plan.changes[0]!.after;
    expect(after).toBe(narrow('purelb-web', '10.30.0.0/24'));
    const again = analyzeFiles({ ...files, 'calico/pool.yaml': after });
    expect(withRule(again, 'lb-pool-not-exported')).toEqual([]);
    expect(withRule(again, 'ippool-overlap')).toEqual([]);
  });

  it('does not widen when something else lies in the subnet, or the narrow pool is enabled', () => {
    // Arrange
    const two = {
      'purelb/sg.yaml': SG,
      'calico/pool.yaml': `${narrow('purelb-web', '10.30.0.0/26')}---\n${narrow('other', '10.30.0.128/26')}`,
    };
    const enabled = { 'purelb/sg.yaml': SG, 'calico/pool.yaml': narrow('pods', '10.30.0.0/26', false) };

    // Act
    const [a] = withRule(analyzeFiles(two), 'lb-pool-not-exported');
    const [b] = withRule(analyzeFiles(enabled), 'lb-pool-not-exported');

    // Assert
    expect(a?.fix).toBeUndefined();
    expect(a?.message).toContain('widen or split the existing pool by hand');
    expect(b?.fix).toBeUndefined();
  });
});
