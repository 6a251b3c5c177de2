// The Vercel function's handler: verify the signature on the raw body, answer 202 at once, and
// finish the review in waitUntil within maxDuration (vercel.json). api/github/webhooks.js re-exports
// the compiled copy of this module from dist/ (see docs/deployment.md for why it is not TypeScript).
import { waitUntil } from '@vercel/functions';
import type { Probot } from 'probot';
import { loadProbot } from './probot.ts';
import { webhookHandler } from './webhooks.ts';

// One Probot per warm instance: the key and the app are loaded once, not per delivery.
let probot: Promise<Probot> | undefined;

export async function POST(request: Request): Promise<Response> {
  // A failed start (a bad PRIVATE_KEY) is not cached: the next delivery tries again.
  probot ??= loadProbot().catch((e: unknown) => {
    probot = undefined;
    throw e;
  });
  return webhookHandler(await probot, { waitUntil })(request);
}
