// The server's edges: body limit before reading, status codes for empty and odd bodies, payloads
// without an installation refused, and error text in a run redacted.
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { reviewTimeout } from '../../src/app.ts';
import { reasonOf } from '../../src/github/review.ts';
import { BodyTooLarge, toRequest, webhookHandler } from '../../src/github/webhooks.ts';
import { pullRequestPayload, SECRET, testProbot } from '../app/harness.ts';
import { sha } from '../app/trees.ts';

const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const post = (body: string, event = 'pull_request') =>
  new Request('http://x/api/github/webhooks', {
    method: 'POST',
    headers: { 'x-github-delivery': 'd1', 'x-github-event': event, 'x-hub-signature-256': sign(body) },
    body,
  });

describe('webhook status codes', () => {
  it.each([
    ['an empty body', '', 400],
    ['null', 'null', 400],
    ['an array', '[]', 400],
  ])('answers %s with %s and reviews nothing', async (_what, body, status) => {
    // Arrange
    const probot = await testProbot();
    const work: Promise<unknown>[] = [];

    // Act
    const res = await webhookHandler(probot, { waitUntil: (w) => work.push(w) })(post(body));

    // Assert
    expect(res.status).toBe(status);
    expect(work).toEqual([]);
  });

  it('refuses a payload without installation (422) instead of reviewing unauthenticated', async () => {
    // Arrange
    const probot = await testProbot();
    const work: Promise<unknown>[] = [];
    const payload = pullRequestPayload('opened', { number: 1, headSha: sha('a'), baseSha: sha('b') });
    delete payload.installation;

    // Act
    const res = await webhookHandler(probot, { waitUntil: (w) => work.push(w) })(
      post(JSON.stringify(payload)),
    );

    // Assert
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/no installation/);
    expect(work).toEqual([]);
  });
});

describe('the request body limit', () => {
  /** A request stream that counts what is read from it. */
  const incoming = (headers: Record<string, string>, chunks: number, size: number) => {
    let read = 0;
    const stream = Readable.from(
      (function* () {
        for (let i = 0; i < chunks; i++) {
          read += size;
          yield Buffer.alloc(size);
        }
      })(),
    );
    return {
      req: Object.assign(stream, { headers, method: 'POST', url: '/' }) as unknown as IncomingMessage,
      read: () => read,
    };
  };

  it('refuses a 200 MB body from its Content-Length without reading a byte', async () => {
    // Arrange
    const { req, read } = incoming({ 'content-length': String(200 * 1024 * 1024) }, 200, 1024 * 1024);

    // Act
    const result = toRequest(req, 'http://x');

    // Assert
    await expect(result).rejects.toBeInstanceOf(BodyTooLarge);
    expect(read()).toBe(0);
  });

  it('stops reading a chunked body as soon as it passes the limit', async () => {
    // Arrange
    const { req, read } = incoming({}, 200, 1024 * 1024);

    // Act
    const result = toRequest(req, 'http://x', 25 * 1024 * 1024);

    // Assert
    await expect(result).rejects.toBeInstanceOf(BodyTooLarge);
    expect(read()).toBeLessThanOrEqual(27 * 1024 * 1024);
  });
});

describe('error text in a run', () => {
  it('is redacted and shortened', () => {
    // Arrange
    const token = `ghs_${'a1B2'.repeat(9)}`;
    const e = Object.assign(
      new Error(`Bad credentials {"headers":{"authorization":"token ${token}"},"x":"${'y'.repeat(500)}"}`),
      { status: 401 },
    );

    // Act
    const reason = reasonOf(e);

    // Assert
    expect(reason).not.toContain(token);
    expect(reason).toContain('[redacted]');
    expect(reason.length).toBeLessThan(400);
  });
});

describe('the review time limit', () => {
  it('has a default on every host, not only on Vercel', () => {
    expect(reviewTimeout({})).toBe(300_000);
    expect(reviewTimeout({ VERCEL: '1' })).toBe(50_000);
    expect(reviewTimeout({ LBGUARD_REVIEW_TIMEOUT_MS: '1234' })).toBe(1234);
  });
});
