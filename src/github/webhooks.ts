// One webhook handler for every host: a Web Request in, a Response out. The Vercel function and
// the plain Node server both wrap it. The signature is checked on the raw body before anything
// else; the review runs after the answer, inside the host's waitUntil.
import type { Probot } from 'probot';
import { isRecord } from '../manifests/load.ts';

export type WebhookHost = {
  /** Lets the host keep the function alive until the review finishes (Vercel's waitUntil). */
  waitUntil: (work: Promise<unknown>) => void;
};

const text = (status: number, body: string) =>
  new Response(`${body}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

export function webhookHandler(probot: Probot, host: WebhookHost): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'POST') return text(405, 'POST a GitHub webhook here');
    const id = request.headers.get('x-github-delivery');
    const name = request.headers.get('x-github-event');
    const signature = request.headers.get('x-hub-signature-256');
    if (!id || !name || !signature)
      return text(400, 'missing x-github-delivery, x-github-event or x-hub-signature-256');
    const body = await request.text();
    if (body.trim() === '') return text(400, 'empty body');
    await probot.ready();
    if (!(await probot.webhooks.verify(body, signature).catch(() => false))) {
      probot.log.warn({ id, name }, 'webhook signature does not match; ignored');
      return text(401, 'signature does not match');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return text(400, 'body is not JSON');
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      return text(400, 'body is not a JSON object');
    // Without an installation the review would run unauthenticated (and rate-limited as anonymous).
    // `ping` (sent when the hook is created) carries none and needs no review.
    if (name !== 'ping' && !isRecord((payload as { installation?: unknown }).installation))
      return text(422, 'payload has no installation; lbguard only reviews as an installed GitHub App');
    const work = probot
      .receive({ id, name, payload } as Parameters<Probot['receive']>[0])
      .catch((e: unknown) => probot.log.error({ id, name, err: e }, 'webhook handler failed'));
    host.waitUntil(work);
    return text(202, 'accepted');
  };
}

/** GitHub caps webhook payloads at 25 MB; anything larger is not GitHub, and is never buffered. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

export class BodyTooLarge extends Error {}

/**
 * Node's http request -> a Web Request (the plain server and the tests' http.Server use it). A
 * body over `limit` is refused from its Content-Length before reading, or as soon as the bytes
 * read pass it (a chunked upload has no length).
 */
export async function toRequest(
  req: import('node:http').IncomingMessage,
  origin: string,
  limit = MAX_BODY_BYTES,
): Promise<Request> {
  if (Number(req.headers['content-length']) > limit) throw new BodyTooLarge(`body over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new BodyTooLarge(`body over ${limit} bytes`);
    chunks.push(c as Buffer);
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === 'string') headers.set(k, v);
    else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
  }
  const method = req.method ?? 'GET';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  });
}

export async function sendResponse(
  res: import('node:http').ServerResponse,
  response: Response,
): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
