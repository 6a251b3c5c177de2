// Vercel function: verify the signature on the raw body, answer 202 at once, and finish the review
// in waitUntil within maxDuration (vercel.json). A review that cannot finish in time still ends its
// check run: every failure path completes the run as neutral.
import { waitUntil } from '@vercel/functions';
import type { Probot } from 'probot';
import { loadProbot } from '../../src/github/probot.ts';
import { webhookHandler } from '../../src/github/webhooks.ts';

let probot: Promise<Probot> | undefined;

export async function POST(request: Request): Promise<Response> {
  probot ??= loadProbot();
  return webhookHandler(await probot, { waitUntil })(request);
}
