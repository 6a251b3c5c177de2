// `npm start` as a real process with test credentials, answering a signed webhook. The child talks
// to the fake GitHub as a GitHub Enterprise Server (GHE_HOST/GHE_PROTOCOL), since nock cannot reach it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fake, serveFakeGitHub } from '../github/fake.ts';
import { OWNER, PRIVATE_KEY, pullRequestPayload, REPO, SECRET } from './harness.ts';
import { BROKEN, GOOD, sha } from './trees.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let child: ChildProcess;
let base: string;
let github: Fake & { host: string };
const HEAD = sha('a');
const BASE = sha('b');
const MERGE_BASE = sha('c');

beforeAll(async () => {
  github = await serveFakeGitHub({
    owner: OWNER,
    repo: REPO,
    trees: { [HEAD]: BROKEN, [MERGE_BASE]: GOOD },
    compare: { [`${BASE}...${HEAD}`]: { mergeBase: MERGE_BASE, files: ['purelb/servicegroups.yaml'] } },
  });
  child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    // Its own process group, so the test can stop npm and the server it started together.
    detached: true,
    env: {
      PATH: process.env.PATH,
      APP_ID: '1',
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
      GHE_HOST: github.host,
      GHE_PROTOCOL: 'http',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/"port":(\d+)[^\n]*lbguard App listening/);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
});
afterAll(() => {
  if (child?.pid) process.kill(-child.pid);
  github?.stop();
});

const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const post = (body: string, signature: string, event = 'ping') =>
  fetch(`${base}/api/github/webhooks`, {
    method: 'POST',
    headers: { 'x-github-event': event, 'x-github-delivery': 'd-1', 'x-hub-signature-256': signature },
    body,
  });

describe('npm start', () => {
  it('answers a signed webhook with 202 and an unsigned one with 401', async () => {
    // Arrange
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const signature = sign(body);

    // Act
    const good = await post(body, signature);
    const bad = await post(body, 'sha256=00');
    const health = await fetch(`${base}/healthz`);

    // Assert
    expect(good.status).toBe(202);
    expect(bad.status).toBe(401);
    expect(health.status).toBe(200);
  });

  it('reviews a signed pull_request and completes its check run on GitHub Enterprise Server', async () => {
    // Arrange
    const body = JSON.stringify(pullRequestPayload('opened', { number: 7, headSha: HEAD, baseSha: BASE }));

    // Act
    const res = await post(body, sign(body), 'pull_request');
    const end = Date.now() + 15_000;
    while (github.runs[0]?.status !== 'completed' && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));

    // Assert
    expect(res.status).toBe(202);
    expect(github.errors).toEqual([]);
    expect(github.runs).toHaveLength(1);
    expect(github.runs[0]).toMatchObject({ head_sha: HEAD, status: 'completed', conclusion: 'failure' });
  });
});

describe('npm start without credentials', () => {
  it('prints one line naming what is missing and exits 2', async () => {
    // Act
    const r = spawnSync(process.execPath, [join(ROOT, 'src/server.ts')], {
      env: { PATH: process.env.PATH, APP_ID: '1' },
      encoding: 'utf8',
    });

    // Assert
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'lbguard App: set PRIVATE_KEY, WEBHOOK_SECRET in the environment to start (docs/deployment.md says where each comes from).\n',
    );
  });
});
