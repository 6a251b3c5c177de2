// Every fixable rule: the fix applied to a fixture with comments equals the expected tree byte
// for byte, the rule is quiet afterwards, and a second application changes nothing.
import { describe, expect, it } from 'vitest';
import { planFixes } from '../../src/fixes/plan.ts';
import { analyzeFiles, readFixture, where, withRule } from '../helpers.ts';

/** Each rule's fixture folder and the exact places its findings point at. */
const CASES: { rule: string; at: string[] }[] = [
  { rule: 'sg-subnet-not-canonical', at: ['purelb/sg.yaml:10:15'] },
  { rule: 'sg-aggregation', at: ['purelb/sg.yaml:12:20', 'purelb/sg.yaml:16:20', 'purelb/sg.yaml:29:20'] },
  { rule: 'ippool-cidr', at: ['calico/ippool.yaml:7:9'] },
  // An operator ipPool without blockSize: the finding points at its cidr.
  { rule: 'ippool-block-size', at: ['calico/installation.yaml:14:15'] },
  { rule: 'bgp-prefix-cidr', at: ['calico/bgp.yaml:8:13'] },
  { rule: 'lb-pool-not-exported', at: ['purelb/sg.yaml:10:15'] },
  { rule: 'lb-ippool-allocatable', at: ['calico/ippools.yaml:19:9'] },
  { rule: 'lb-ippool-export-disabled', at: ['calico/ippools.yaml:9:21'] },
  { rule: 'lb-ippool-encapsulated', at: ['calico/ippools.yaml:9:13'] },
  { rule: 'lb-community-missing', at: ['calico/bgp.yaml:11:3', 'calico/bgp.yaml:12:5'] },
  { rule: 'lb-community-node-override', at: ['calico/bgp.yaml:22:3'] },
  // Missing fields point at the ipPool item (line 13), a wrong one at its value.
  {
    rule: 'lb-operator-pool',
    at: ['calico/installation.yaml:13:9', 'calico/installation.yaml:15:24'],
  },
];

/** Applies the fixes of one rule's findings; returns the whole tree afterwards. */
function fixRule(files: Record<string, string>, rule: string): Record<string, string> {
  const findings = withRule(analyzeFiles(files), rule);
  const plan = planFixes(findings, (f) => files[f]);
  expect(plan.failures).toEqual([]);
  const out = { ...files };
  for (const c of plan.changes) out[c.file] = c.after;
  return out;
}

describe.each(CASES)('fix for $rule', ({ rule, at }) => {
  const input = readFixture(`fixes/${rule}/input`);
  const expected = readFixture(`fixes/${rule}/expected`);

  it('fires where the fixture says, each finding carrying a fix', () => {
    // Act
    const found = withRule(analyzeFiles(input), rule);
    // Assert
    expect(where(found)).toEqual(at);
    expect(found.every((f) => f.fix !== undefined)).toBe(true);
  });

  it('rewrites the fixture into the expected tree byte for byte, comments kept', () => {
    // Act
    const out = fixRule(input, rule);
    // Assert
    expect(out).toEqual(expected);
  });

  it('leaves the rule quiet, and a second run changes nothing', () => {
    // Arrange
    const once = fixRule(input, rule);
    // Act
    const again = fixRule(once, rule);
    // Assert
    expect(withRule(analyzeFiles(once), rule)).toEqual([]);
    expect(again).toEqual(once);
  });
});
