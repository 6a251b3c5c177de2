// Drives the real app: a Probot with test credentials (a throwaway RSA key), real webhook payload
// shapes from @octokit/webhooks-examples altered only where a test needs it, and the nock fake.
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { app } from '../../src/app.ts';

const require = createRequire(import.meta.url);
type Example = { name: string; examples: Record<string, unknown>[] };
const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json') as Example[];

export const PRIVATE_KEY = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
export const SECRET = 'test-webhook-secret';
export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const INSTALLATION = 957387;

// Retries and throttling would turn one injected failure into several requests and slow tests.
// Probot merges its own throttle options over class defaults, so force them off after the merge.
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

export type LogLine = Record<string, unknown> & { msg?: string };

export async function testProbot(logs: LogLine[] = []): Promise<Probot> {
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
      cb();
    },
  });
  const probot = new Probot({
    appId: 1,
    privateKey: PRIVATE_KEY,
    secret: SECRET,
    Octokit: TestOctokit,
    log: pino({ level: 'info' }, stream),
  });
  await probot.load(app);
  await probot.ready();
  return probot;
}

/** A deep copy of a real example payload. */
// biome-ignore lint/suspicious/noExplicitAny: tests alter real payloads field by field
type Payload = Record<string, any>;

export function example(name: string, action: string | undefined, pick = 0): Payload {
  const list = EXAMPLES.find((e) => e.name === name)?.examples.filter((p) => p.action === action) ?? [];
  const p = list[pick];
  if (!p) throw new Error(`no ${name}.${action} example`);
  return structuredClone(p);
}

export type Pr = { number: number; headSha: string; baseSha: string; fork?: boolean };

export function pullRequestPayload(action: string, pr: Pr): Payload {
  const p = example('pull_request', action);
  p.installation = { id: INSTALLATION, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTU3Mzg3' };
  p.number = pr.number;
  p.pull_request.number = pr.number;
  p.pull_request.head.sha = pr.headSha;
  p.pull_request.base.sha = pr.baseSha;
  if (pr.fork) {
    p.pull_request.head.repo = { ...p.pull_request.head.repo, full_name: 'forker/Hello-World', fork: true };
    p.pull_request.head.repo.owner = { ...p.pull_request.head.repo.owner, login: 'forker' };
    p.pull_request.head.user = { ...p.pull_request.head.user, login: 'forker' };
    p.pull_request.head.label = 'forker:main';
  }
  return p;
}

export function receive(probot: Probot, name: string, payload: Record<string, unknown>, id = 'delivery-1') {
  return probot.receive({ id, name, payload } as Parameters<Probot['receive']>[0]);
}
