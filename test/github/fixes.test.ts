// offerFixes on its own, with findings built by hand (a new-manifest fix among them).
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding, Fix } from '../../src/findings.ts';
import type { FileChange } from '../../src/fixes/plan.ts';
import { copyText, type FixContext, markedFingerprints, offerFixes } from '../../src/github/fixes.ts';
import { LIMITS } from '../../src/render/checkrun.ts';
import { fakeGitHub } from './fake.ts';

const HEAD = 'a'.repeat(40);
const POOLS = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.0.0.5/24
`;
const PATCH =
  '@@ -0,0 +1,6 @@\n+apiVersion: projectcalico.org/v3\n+kind: IPPool\n+metadata:\n+  name: pods\n+spec:\n+  cidr: 10.0.0.5/24';

const finding = (rule: string, fingerprint: string, fix: Fix): Finding => ({
  file: 'calico/pods.yaml',
  line: 6,
  column: 9,
  endLine: 6,
  endColumn: 20,
  rule,
  severity: 'error',
  message: 'm',
  scope: 'default',
  fingerprint,
  state: 'new',
  fix,
});

const EDIT = finding('ippool-cidr', '1111111111111111', {
  title: 'Set cidr',
  changes: [
    {
      kind: 'edit',
      file: 'calico/pods.yaml',
      resource: { kind: 'IPPool', name: 'pods' },
      ops: [{ op: 'set', path: ['spec', 'cidr'], value: '10.0.0.0/24' }],
    },
  ],
});
const NEW_POOL = finding('lb-pool-not-exported', '2222222222222222', {
  title: 'Add a covering IPPool',
  changes: [
    {
      kind: 'document',
      file: 'calico/purelb-pools.yaml',
      content: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'IPPool',
        metadata: { name: 'purelb-172-30-200-0-24' },
        spec: { cidr: '172.30.200.0/24', disabled: true },
      },
    },
  ],
});

let stop = () => {};
afterEach(() => stop());

const log = { info: () => {}, warn: () => {} };
const context = (over: Partial<FixContext> = {}): FixContext => ({
  owner: 'acme',
  repo: 'infra',
  headSha: HEAD,
  prNumber: 3,
  sameRepo: false,
  mode: 'commit',
  findings: [EDIT, NEW_POOL],
  headFiles: [{ path: 'calico/pods.yaml', bytes: Buffer.from(POOLS) }],
  ...over,
});

describe('offerFixes', () => {
  it('suggests the edit on its diff line and puts the new manifest, with its path, in the text', async () => {
    // Arrange
    const gh = fakeGitHub({
      owner: 'acme',
      repo: 'infra',
      trees: {},
      pulls: {
        3: {
          baseSha: 'b'.repeat(40),
          headSha: HEAD,
          fork: true,
          files: [{ filename: 'calico/pods.yaml', patch: PATCH }],
        },
      },
    });
    stop = gh.stop;
    const octokit = new Octokit({ auth: 'x' });

    // Act
    const offer = await offerFixes(octokit, context(), log);

    // Assert
    expect(gh.errors).toEqual([]);
    expect(offer.actions).toBeUndefined();
    expect(gh.reviews).toHaveLength(1);
    const comments = (gh.reviews[0] as { comments: Record<string, unknown>[] }).comments;
    expect(comments.map((c) => `${c.path}:${c.line}:${c.side}`)).toEqual(['calico/pods.yaml:6:RIGHT']);
    expect(offer.text).toContain('#### New file `calico/purelb-pools.yaml` (lb-pool-not-exported)');
    expect(offer.text).toContain('```yaml\napiVersion: projectcalico.org/v3\nkind: IPPool\n');
    expect(offer.text).toContain('  cidr: 172.30.200.0/24\n  disabled: true\n```');
    expect(offer.text).not.toContain('#### `calico/pods.yaml`');
  });

  it('leaves pre-existing findings alone', async () => {
    // Arrange
    const octokit = new Octokit({ auth: 'x' });

    // Act
    const offer = await offerFixes(octokit, context({ findings: [{ ...EDIT, state: 'existing' }] }), log);

    // Assert
    expect(offer).toEqual({});
  });

  it('in token mode (head repository unknown) only writes the text, with no API request', async () => {
    // Arrange
    const gh = fakeGitHub({ owner: 'acme', repo: 'infra', trees: {} });
    stop = gh.stop;
    const octokit = new Octokit({ auth: 'x' });

    // Act
    const offer = await offerFixes(octokit, context({ sameRepo: undefined }), log);

    // Assert
    expect(gh.calls).toEqual([]);
    expect(offer.actions).toBeUndefined();
    expect(offer.text).toContain('#### `calico/pods.yaml` (ippool-cidr)');
    expect(markedFingerprints(offer.text)).toEqual(new Set(['1111111111111111', '2222222222222222']));
  });

  it('falls back to the text when the suggestions cannot be posted', async () => {
    // Arrange
    const gh = fakeGitHub({
      owner: 'acme',
      repo: 'infra',
      trees: {},
      pulls: {
        3: {
          baseSha: 'b'.repeat(40),
          headSha: HEAD,
          fork: true,
          files: [{ filename: 'calico/pods.yaml', patch: PATCH }],
        },
      },
      fail: (method) => (method === 'POST' ? 403 : undefined),
    });
    stop = gh.stop;
    const octokit = new Octokit({ auth: 'x', retry: { enabled: false } });

    // Act
    const offer = await offerFixes(octokit, context(), log);

    // Assert
    expect(gh.errors).toEqual([]);
    expect(offer.text).toContain('could not be posted');
    expect(offer.text).toContain('#### `calico/pods.yaml` (ippool-cidr)');
  });
});

describe('copyText', () => {
  it('stays within the 65,535-character limit and says how many changes did not fit', () => {
    // Arrange
    const big = (i: number): FileChange => ({
      file: `f${i}.yaml`,
      before: undefined,
      after: `${'x'.repeat(10_000)}\n`,
      rules: ['r'],
    });

    // Act
    const text = copyText(
      '<!-- m -->',
      'intro\n',
      Array.from({ length: 10 }, (_, i) => big(i)),
    );

    // Assert
    expect(text.length).toBeLessThanOrEqual(LIMITS.summary);
    expect(text).toContain('4 more changed file(s) do not fit here');
  });
});
