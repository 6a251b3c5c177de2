import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { review } from '../../src/cli/review.ts';
import { BROKEN, GOOD, sha } from '../app/trees.ts';
import { type FakeRepo, fakeGitHub } from './fake.ts';

const HEAD = sha('a');
const BASE = sha('b');
const MERGE_BASE = sha('c');
const ENV = { GITHUB_TOKEN: 'ghp_secret_token_value' };

let stop = () => {};
afterEach(() => stop());

function repo(extra: Partial<FakeRepo> = {}) {
  const gh = fakeGitHub({
    owner: 'acme',
    repo: 'infra',
    trees: { [HEAD]: BROKEN, [MERGE_BASE]: GOOD },
    compare: { [`${BASE}...${HEAD}`]: { mergeBase: MERGE_BASE, files: ['purelb/servicegroups.yaml'] } },
    pulls: { 12: { baseSha: BASE, headSha: HEAD } },
    ...extra,
  });
  stop = gh.stop;
  return gh;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), isTTY: false }, out, err };
}

describe('lbguard review (token mode)', () => {
  it('posts the same failing check run as the App and exits 1', async () => {
    // Arrange
    const gh = repo();
    const t = io();

    // Act
    const code = await review({ repo: 'acme/infra', pr: '12' }, t.io, ENV);

    // Assert
    expect(gh.errors).toEqual([]);
    expect(code).toBe(1);
    expect(gh.runs).toHaveLength(1);
    expect(gh.runs[0]).toMatchObject({ head_sha: HEAD, external_id: '12', conclusion: 'failure' });
    expect(gh.runs[0]!.annotations.map((a) => a.path)).toContain('calico/ippools.yaml');
    // BROKEN widens the subnet past the IPPool, so the /24 the base announced is withdrawn.
    expect(t.out.join('')).toBe(
      'lbguard: failure: 1 new error, 0 new warnings; withdraws LoadBalancer prefix 172.30.200.0/24\n',
    );
    expect(t.err.join('')).toContain('"msg":"lbguard review"');
    expect(t.err.join('')).not.toContain(ENV.GITHUB_TOKEN);
  });

  it('explains a token without checks: write and exits 2', async () => {
    // Arrange
    const gh = repo({
      fail: (method, path) => (method === 'POST' && path.endsWith('/check-runs') ? 403 : undefined),
    });
    const t = io();

    // Act
    const code = await review({ repo: 'acme/infra', pr: '12' }, t.io, ENV);

    // Assert
    expect(gh.errors).toEqual([]);
    expect(code).toBe(2);
    expect(gh.runs).toEqual([]);
    expect(t.err.join('')).toContain(
      'a personal access token cannot create check runs (HTTP 403): GitHub lets only Apps and a workflow',
    );
    expect(t.err.join('')).toContain('lbguard check --format github (annotations) or --format sarif');
  });

  it('tells a workflow token without checks: write which permission to grant', async () => {
    // Arrange
    repo({ fail: (method, path) => (method === 'POST' && path.endsWith('/check-runs') ? 403 : undefined) });
    const t = io();

    // Act
    const code = await review({ repo: 'acme/infra', pr: '12' }, t.io, { GITHUB_TOKEN: 'ghs_workflowtoken' });

    // Assert
    expect(code).toBe(2);
    expect(t.err.join('')).toContain(
      'the token cannot create check runs (HTTP 403). Give it the checks: write permission',
    );
  });

  it('retries a failed request and a rate-limited one, then completes the run and sets the step outputs', async () => {
    // Arrange: the pull request answers 502 once, then 403 with no requests left (a rate limit) once.
    const answers = [
      502,
      { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' } },
    ];
    const gh = repo({
      fail: (method, path) => (method === 'GET' && path.endsWith('/pulls/12') ? answers.shift() : undefined),
    });
    const t = io();
    const outputs = join(mkdtempSync(join(tmpdir(), 'lbguard-out-')), 'github-output');

    // Act
    const code = await review(
      { repo: 'acme/infra', pr: '12' },
      t.io,
      { ...ENV, GITHUB_OUTPUT: outputs },
      { retryAfterBaseMs: 1 },
    );

    // Assert
    expect(code).toBe(1);
    expect(answers).toEqual([]);
    expect(gh.calls.filter((c) => c.url.endsWith('/pulls/12'))).toHaveLength(3);
    expect(t.err.join('')).toContain('lbguard: GitHub rate limit on GET');
    expect(gh.runs[0]).toMatchObject({ conclusion: 'failure' });
    expect(readFileSync(outputs, 'utf8')).toBe('new-errors=1\nnew-warnings=0\nconclusion=failure\n');
  });

  it('reads the config as the App does: the repository file extending the org default', async () => {
    // Arrange: only the org's failOn: all makes the pre-existing problem fail the run.
    const broken = {
      ...GOOD,
      'purelb/broken.yaml': 'kind: ServiceGroup\napiVersion: purelb.io/v1\nmetadata:\n  name: [x\n',
    };
    const gh = repo({
      trees: {
        [HEAD]: { ...broken, 'purelb/servicegroups.yaml': `${GOOD['purelb/servicegroups.yaml']}# c\n` },
        [MERGE_BASE]: broken,
      },
      config: '_extends: .github\n',
      orgConfig: 'failOn: all\n',
    });
    const t = io();

    // Act
    const code = await review({ repo: 'acme/infra', pr: '12' }, t.io, ENV);

    // Assert
    expect(code).toBe(1);
    expect(gh.calls.some((c) => c.url.includes('/repos/acme/.github/contents/'))).toBe(true);
    expect(gh.runs[0]).toMatchObject({ conclusion: 'failure' });
  });

  it('checks one commit with --sha and exits 0 when it is clean', async () => {
    // Arrange
    const gh = repo({ trees: { [HEAD]: GOOD } });
    const t = io();

    // Act
    const code = await review({ repo: 'acme/infra', sha: HEAD }, t.io, ENV);

    // Assert
    expect(gh.errors).toEqual([]);
    expect(code).toBe(0);
    expect(gh.runs[0]).toMatchObject({ head_sha: HEAD, conclusion: 'success' });
  });

  it('refuses bad usage and a missing token with exit 2 and no request', async () => {
    // Arrange
    const gh = repo();
    const runs = [
      { repo: 'acme', pr: '12' },
      { repo: 'acme/infra', pr: 'twelve' },
      { repo: 'acme/infra' },
      { repo: 'acme/infra', pr: '12', sha: HEAD },
    ];

    // Act
    const codes = await Promise.all(runs.map((args) => review(args, io().io, ENV)));
    const noToken = io();
    const tokenless = await review({ repo: 'acme/infra', pr: '12' }, noToken.io, {});

    // Assert
    expect(codes).toEqual([2, 2, 2, 2]);
    expect(tokenless).toBe(2);
    expect(noToken.err.join('')).toContain('set GITHUB_TOKEN');
    expect(gh.calls).toEqual([]);
  });
});
