// One webhook handler for every host: a Web Request in, a Response out. The Vercel function and
// the plain Node server both wrap it. The signature is checked on the raw body before anything
// else; the review runs after the answer, inside the host's waitUntil.
import type { Probot } from 'probot';

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
    const work = probot
      .receive({ id, name, payload } as Parameters<Probot['receive']>[0])
      .catch((e: unknown) => probot.log.error({ id, name, err: e }, 'webhook handler failed'));
    host.waitUntil(work);
    return text(202, 'accepted');
  };
}

/** Node's http request -> a Web Request (the plain server and the tests' http.Server use it). */
export async function toRequest(req: import('node:http').IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
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
