// Webhook payloads at the edge: only the fields lbguard reads, checked before any work starts, so
// a malformed or unexpected delivery is one clear log line, never an exception mid-review.
import { z } from 'zod';

const sha = z.string().regex(/^[0-9a-f]{40}$/, 'expected a 40-character commit SHA');
const number = z.number().int().positive();
const repoRef = z.object({ full_name: z.string() }).nullable();

export const pullRequestEvent = z.object({
  pull_request: z.object({
    number,
    head: z.object({ sha, repo: repoRef }),
    base: z.object({ sha }),
  }),
});

export const checkRunEvent = z.object({
  check_run: z.object({
    id: number,
    name: z.string(),
    head_sha: sha,
    external_id: z.string().nullable(),
    pull_requests: z.array(z.object({ number })),
    output: z.object({
      title: z.string().nullable(),
      summary: z.string().nullable(),
      text: z.string().nullable().optional(),
    }),
  }),
  requested_action: z.object({ identifier: z.string() }).nullable().optional(),
  sender: z.object({ login: z.string() }),
});

export const checkSuiteEvent = z.object({
  check_suite: z.object({ head_sha: sha, pull_requests: z.array(z.object({ number })) }),
});

const paths = z.array(z.string()).optional();

export const pushEvent = z.object({
  ref: z.string(),
  // A deleted branch's push carries an all-zero SHA, which is still 40 hex digits.
  after: sha,
  deleted: z.boolean(),
  created: z.boolean(),
  forced: z.boolean(),
  repository: z.object({ default_branch: z.string() }),
  commits: z.array(z.object({ added: paths, modified: paths, removed: paths })),
});

type Log = { warn: (obj: Record<string, unknown>, msg: string) => void };

/** The payload's fields lbguard needs, or undefined (with a warning naming the bad field) when they are not there. */
export function readPayload<T>(
  schema: z.ZodType<T>,
  payload: unknown,
  event: string,
  log: Log,
): T | undefined {
  const r = schema.safeParse(payload);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
  log.warn({ event, problems }, `lbguard ignored a ${event} delivery it cannot read: ${problems.join('; ')}`);
  return undefined;
}
