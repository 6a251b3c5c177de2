// The App's Routes section: a pull request that changes what is announced says so per peer, above
// the findings, and one that withdraws a LoadBalancer prefix says so in the run's title.
import { afterEach, describe, expect, it } from 'vitest';
import { fakeGitHub } from '../github/fake.ts';
import { OWNER, pullRequestPayload, REPO, receive, testProbot } from './harness.ts';
import { GOOD, sha } from './trees.ts';

const HEAD = sha('d');
const BASE = sha('e');
const MERGE_BASE = sha('f');
const PR = { number: 11, headSha: HEAD, baseSha: BASE };

const BGP = `apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata:
  name: default
spec:
  prefixAdvertisements:
  - cidr: 172.30.200.0/24
    communities: ["65000:100"]
`;

/** The base announces the ServiceGroup's /24 to the node mesh with one community. */
const ANNOUNCED = { ...GOOD, 'calico/bgp.yaml': BGP };

let stop = () => {};
afterEach(() => stop());

async function review(head: Record<string, string>, changed: string[]) {
  const gh = fakeGitHub({
    owner: OWNER,
    repo: REPO,
    trees: { [HEAD]: head, [MERGE_BASE]: ANNOUNCED },
    compare: { [`${BASE}...${HEAD}`]: { mergeBase: MERGE_BASE, files: changed } },
    config: null,
  });
  stop = gh.stop;
  const probot = await testProbot();
  await receive(probot, 'pull_request', pullRequestPayload('opened', PR));
  expect(gh.errors).toEqual([]);
  expect(gh.runs).toHaveLength(1);
  return gh.runs[0]!;
}

describe('the Routes section of a pull request', () => {
  it('shows the withdrawn route per peer above the findings and names it in the title', async () => {
    // Arrange
    const { 'calico/ippools.yaml': _removed, ...head } = ANNOUNCED;

    // Act
    const run = await review(head, ['calico/ippools.yaml']);

    // Assert
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toBe(
      '1 new error, 0 new warnings; withdraws LoadBalancer prefix 172.30.200.0/24',
    );
    const summary = run.output.summary!;
    expect(summary).toContain(
      [
        '### Routes\n',
        'This pull request changes what the clusters announce (head against the merge base):\n',
        '**node-to-node mesh**: 1 -> 0 routes\n',
        '```diff',
        '- 172.30.200.0/24 (1 route): 172.30.200.0/24 lies in no IPPool that exports it (lb-pool-not-exported, purelb/servicegroups.yaml:10) [calico/ippools.yaml:6 (in the base)]',
        '```',
      ].join('\n'),
    );
    expect(summary).toContain('<details><summary>All routes of the head (1 prefix)</summary>');
    expect(summary).toContain(
      '| `172.30.200.0/24` | 1 | pool of ServiceGroup routed (purelb/servicegroups.yaml:9) | 65000:100 | not exported: 172.30.200.0/24 lies in no IPPool that exports it (lb-pool-not-exported, purelb/servicegroups.yaml:10) |',
    );
    expect(summary.indexOf('### Routes')).toBeLessThan(summary.indexOf('### New findings'));
  });

  it('shows a re-tagged route with its old and new communities and leaves the title alone', async () => {
    // Arrange / Act
    const run = await review({ ...ANNOUNCED, 'calico/bgp.yaml': BGP.replace('65000:100', '65000:200') }, [
      'calico/bgp.yaml',
    ]);

    // Assert
    expect(run.conclusion).toBe('success');
    expect(run.output.title).toBe('No new errors or warnings');
    expect(run.output.summary).toContain(
      '**node-to-node mesh**\n\n```diff\n~ 172.30.200.0/24: 65000:100 -> 65000:200 [calico/bgp.yaml:7]\n```',
    );
  });

  it('has no Routes section when nothing on the wire changes', async () => {
    // Arrange / Act
    const run = await review({ ...ANNOUNCED, 'README.md': '# changed\n' }, ['README.md', 'calico/bgp.yaml']);

    // Assert
    expect(run.output.summary).not.toContain('### Routes');
  });
});
