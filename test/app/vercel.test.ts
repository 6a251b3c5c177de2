// The Vercel function's handler over real HTTP: a localhost http.Server hands each request to the
// exported POST handler, as Vercel's Node runtime does, with Vercel's request context standing in for
// waitUntil. (vercel-build.test.ts runs the built api/github/webhooks.js the same way, in plain node.)
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendResponse, toRequest } from '../../src/github/webhooks.ts';
import { fakeGitHub } from '../github/fake.ts';
import { OWNER, PRIVATE_KEY, pullRequestPayload, REPO, SECRET } from './harness.ts';
import { BROKEN, GOOD, sha } from './trees.ts';

const HEAD = sha('a');
const BASE = sha('b');
const MERGE_BASE = sha('c');

const pending: Promise<unknown>[] = [];
let server: Server;
let url: string;
let stop = () => {};

beforeAll(async () => {
  Object.assign(process.env, { APP_ID: '1', PRIVATE_KEY, WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'fatal' });
  (globalThis as Record<symbol, unknown>)[Symbol.for('@vercel/request-context')] = {
    get: () => ({ waitUntil: (p: Promise<unknown>) => pending.push(p) }),
  };
  const { POST } = await import('../../src/github/vercel.ts');
  server = createServer((req, res) => {
    void toRequest(req, 'http://localhost')
      .then(POST)
      .then((r) => sendResponse(res, r));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));
afterEach(() => stop());

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function post(body: string, signature: string) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': 'd-1',
      'x-hub-signature-256': signature,
    },
    body,
  });
}

describe('the Vercel webhook function', () => {
  it('answers 202 at once and finishes the review in waitUntil', async () => {
    // Arrange
    const gh = fakeGitHub({
      owner: OWNER,
      repo: REPO,
      trees: { [HEAD]: BROKEN, [MERGE_BASE]: GOOD },
      compare: { [`${BASE}...${HEAD}`]: { mergeBase: MERGE_BASE, files: ['purelb/servicegroups.yaml'] } },
    });
    stop = gh.stop;
    const body = JSON.stringify(pullRequestPayload('opened', { number: 7, headSha: HEAD, baseSha: BASE }));

    // Act
    const res = await post(body, sign(body));
    const answeredWith = gh.runs.length;
    await Promise.all(pending.splice(0));

    // Assert
    expect(res.status).toBe(202);
    expect(answeredWith).toBe(0);
    expect(gh.errors).toEqual([]);
    expect(gh.runs).toHaveLength(1);
    expect(gh.runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('answers 401 to a bad signature and makes no API call', async () => {
    // Arrange
    const gh = fakeGitHub({ owner: OWNER, repo: REPO, trees: {} });
    stop = gh.stop;
    const body = JSON.stringify(pullRequestPayload('opened', { number: 7, headSha: HEAD, baseSha: BASE }));

    // Act
    const res = await post(body, sign(body, 'not-the-secret'));
    await Promise.all(pending.splice(0));

    // Assert
    expect(res.status).toBe(401);
    expect(gh.calls).toEqual([]);
  });

  it('answers 400 when the GitHub headers are missing', async () => {
    // Arrange / Act
    const res = await fetch(url, { method: 'POST', body: '{}' });

    // Assert
    expect(res.status).toBe(400);
  });
});
