// GitHub's secondary rate limits (bursts of content-creating requests, such as many PRs opening
// check runs at once). Probot's throttling only logs them, so run creation retries here, waiting
// as GitHub's REST documentation asks: retry-after when present; else until x-ratelimit-reset when
// x-ratelimit-remaining is 0; else at least a minute, doubling each time, and give up after a few.

const MINUTE = 60_000;
export const SECONDARY_RETRIES = 3;

type ApiError = { status?: unknown; message?: unknown; response?: { headers?: Record<string, unknown> } };

const header = (e: ApiError, name: string): string | undefined => {
  const v = e.response?.headers?.[name];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
};

/** How long to wait before retry `attempt` (0-based) after `e`, or undefined when `e` is no rate limit. */
export function secondaryWaitMs(e: unknown, attempt: number, now = Date.now()): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as ApiError;
  if (err.status !== 403 && err.status !== 429) return undefined;
  const retryAfter = header(err, 'retry-after');
  const remaining = header(err, 'x-ratelimit-remaining');
  const secondary = typeof err.message === 'string' && /secondary rate limit|abuse/i.test(err.message);
  if (retryAfter !== undefined && Number.isFinite(Number(retryAfter)))
    return Math.max(0, Number(retryAfter) * 1000);
  if (remaining === '0') {
    const reset = Number(header(err, 'x-ratelimit-reset'));
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : MINUTE;
  }
  return secondary ? MINUTE * 2 ** attempt : undefined;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** `call`, retried on secondary rate limits; other errors, and the last rate limit, are thrown. */
export async function withRateLimitRetry<T>(
  call: () => Promise<T>,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const ms = attempt < SECONDARY_RETRIES ? secondaryWaitMs(e, attempt) : undefined;
      if (ms === undefined) throw e;
      await wait(ms);
    }
  }
}
