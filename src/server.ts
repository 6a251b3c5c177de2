// Self-hosting: `npm start` serves the same webhook handler as the Vercel function on PORT
// (default 3000) at WEBHOOK_PATH (default /api/github/webhooks).
import { createServer, type Server } from 'node:http';
import type { Probot } from 'probot';
import { loadProbot } from './github/probot.ts';
import { BodyTooLarge, sendResponse, toRequest, webhookHandler } from './github/webhooks.ts';

export function createWebhookServer(
  probot: Probot,
  path = process.env.WEBHOOK_PATH ?? '/api/github/webhooks',
): Server {
  // A long-lived process needs no waitUntil: the review simply keeps running after the answer
  // (webhookHandler already logs a failed one).
  const handle = webhookHandler(probot, { waitUntil: () => {} });
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    toRequest(req, 'http://localhost')
      .then(handle)
      .then((response) => sendResponse(res, response))
      .catch((e: unknown) => {
        if (e instanceof BodyTooLarge) {
          // Answer and close the connection: the rest of the body is never read.
          res
            .writeHead(413, { 'content-type': 'text/plain', connection: 'close' })
            .end('payload too large\n');
          return;
        }
        probot.log.error({ err: e }, 'webhook request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
}

/** What `npm start` cannot run without (Probot's names; PRIVATE_KEY_PATH may stand for PRIVATE_KEY). */
export function missingCredentials(env: Readonly<Record<string, string | undefined>>): string[] {
  const present: Record<string, string | undefined> = {
    ...env,
    PRIVATE_KEY: env.PRIVATE_KEY || env.PRIVATE_KEY_PATH,
  };
  return ['APP_ID', 'PRIVATE_KEY', 'WEBHOOK_SECRET'].filter((k) => !present[k]);
}

if (import.meta.main) {
  const missing = missingCredentials(process.env);
  if (missing.length) {
    console.error(
      `lbguard App: set ${missing.join(', ')} in the environment to start (docs/deployment.md says where each comes from).`,
    );
    process.exit(2);
  }
  const probot = await loadProbot();
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST;
  const server = createWebhookServer(probot).listen(port, host, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    probot.log.info({ port: actual, host: host ?? '0.0.0.0' }, 'lbguard App listening');
  });
}
