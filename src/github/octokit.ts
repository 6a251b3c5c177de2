// The GitHub client the review needs. Probot's installation client and @octokit/rest's token client
// both fit it, which is what lets the App and token mode share one review flow.
import type { Octokit } from '@octokit/core';
import type { Api } from '@octokit/plugin-rest-endpoint-methods';

export type GitHub = Octokit & Api;

/** Counts requests made through a client, for the one log line per review. */
export function countRequests(octokit: GitHub): { readonly count: number } {
  const counter = { count: 0 };
  octokit.hook.before('request', () => {
    counter.count++;
  });
  return counter;
}

/** Status code of an Octokit RequestError, or undefined for anything else. */
export const statusOf = (e: unknown): number | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number'
    ? (e as { status: number }).status
    : undefined;
