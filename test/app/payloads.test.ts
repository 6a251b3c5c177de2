// Webhook payloads pass a schema before any work: real GitHub payloads are read, malformed ones are
// one warning and no request.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { checkRunEvent, checkSuiteEvent, pullRequestEvent, pushEvent } from '../../src/github/payloads.ts';
import { fakeGitHub } from '../github/fake.ts';
import { type LogLine, OWNER, pullRequestPayload, REPO, receive, testProbot } from './harness.ts';
import { GOOD, sha } from './trees.ts';

const require = createRequire(import.meta.url);
type Example = { name: string; examples: Record<string, unknown>[] };
const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json') as Example[];

let stop = () => {};
afterEach(() => stop());

const cases: [string, string | undefined, z.ZodType][] = [
  ['pull_request', 'opened', pullRequestEvent],
  ['pull_request', 'synchronize', pullRequestEvent],
  ['pull_request', 'reopened', pullRequestEvent],
  ['pull_request', 'ready_for_review', pullRequestEvent],
  ['check_run', 'rerequested', checkRunEvent],
  ['check_run', 'requested_action', checkRunEvent],
  ['check_suite', 'rerequested', checkSuiteEvent],
  ['push', undefined, pushEvent],
];

describe('payload schemas', () => {
  it.each(cases)('read every real %s.%s example from @octokit/webhooks-examples', (name, action, schema) => {
    // Arrange
    const examples = EXAMPLES.find((e) => e.name === name)?.examples.filter((p) => p.action === action) ?? [];

    // Act / Assert
    expect(examples.length).toBeGreaterThan(0);
    for (const p of examples) expect(schema.safeParse(p).error?.issues ?? []).toEqual([]);
  });
});

describe('a malformed delivery', () => {
  it('is one warning naming the field, and no request to GitHub', async () => {
    // Arrange: a head "SHA" that is a branch name.
    const gh = fakeGitHub({ owner: OWNER, repo: REPO, trees: { [sha('a')]: GOOD }, config: null });
    stop = gh.stop;
    const logs: LogLine[] = [];
    const probot = await testProbot(logs);
    const payload = pullRequestPayload('opened', { number: 7, headSha: 'main', baseSha: sha('b') });

    // Act
    await receive(probot, 'pull_request', payload);

    // Assert
    expect(gh.calls).toEqual([]);
    const warning = logs.find((l) => String(l.msg).startsWith('lbguard ignored a pull_request delivery'));
    expect(warning?.msg).toContain('pull_request.head.sha: expected a 40-character commit SHA');
  });
});
