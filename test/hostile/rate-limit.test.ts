// A secondary rate limit on creating the check run is waited out and retried, as GitHub asks.
import { afterEach, describe, expect, it } from 'vitest';
import { secondaryWaitMs, withRateLimitRetry } from '../../src/github/rate-limit.ts';
import { OWNER, pullRequestPayload, REPO, receive, testProbot } from '../app/harness.ts';
import { BROKEN, GOOD, sha } from '../app/trees.ts';
import { fakeGitHub } from '../github/fake.ts';

const limited = (headers: Record<string, string>, message = 'You have exceeded a secondary rate limit') =>
  Object.assign(new Error(message), { status: 403, response: { headers } });

describe('secondary rate limit waits', () => {
  it('follow retry-after, then x-ratelimit-reset, then a doubling minute', () => {
    expect(secondaryWaitMs(limited({ 'retry-after': '7' }), 0)).toBe(7000);
    expect(
      secondaryWaitMs(limited({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1010' }), 0, 1_000_000),
    ).toBe(10_000);
    expect(secondaryWaitMs(limited({}), 0)).toBe(60_000);
    expect(secondaryWaitMs(limited({}), 2)).toBe(240_000);
    expect(secondaryWaitMs(limited({}, 'Resource not accessible by integration'), 0)).toBeUndefined();
    expect(secondaryWaitMs(Object.assign(new Error('x'), { status: 500 }), 0)).toBeUndefined();
  });

  it('gives up after a few retries, throwing the last error', async () => {
    // Arrange
    const waits: number[] = [];
    let calls = 0;

    // Act
    const result = withRateLimitRetry(
      async () => {
        calls++;
        throw limited({});
      },
      async (ms) => {
        waits.push(ms);
      },
    );

    // Assert
    await expect(result).rejects.toThrow(/secondary rate limit/);
    expect(calls).toBe(4);
    expect(waits).toEqual([60_000, 120_000, 240_000]);
  });
});

describe('the App when creating the run hits a secondary rate limit', () => {
  let stop = () => {};
  afterEach(() => stop());

  it('retries and the run appears', { timeout: 90_000 }, async () => {
    // Arrange
    const [head, base, mergeBase] = [sha('a'), sha('b'), sha('c')];
    let limitedOnce = false;
    const gh = fakeGitHub({
      owner: OWNER,
      repo: REPO,
      trees: { [head]: BROKEN, [mergeBase]: GOOD },
      compare: { [`${base}...${head}`]: { mergeBase, files: ['purelb/servicegroups.yaml'] } },
      config: null,
      fail: (method, path) => {
        if (method !== 'POST' || !path.endsWith('/check-runs') || limitedOnce) return undefined;
        limitedOnce = true;
        return {
          status: 403,
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          headers: { 'retry-after': '0' },
        };
      },
    });
    stop = gh.stop;
    const probot = await testProbot();

    // Act
    await receive(
      probot,
      'pull_request',
      pullRequestPayload('opened', { number: 7, headSha: head, baseSha: base }),
    );

    // Assert
    expect(limitedOnce).toBe(true);
    expect(gh.runs).toHaveLength(1);
    expect(gh.runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });
});
