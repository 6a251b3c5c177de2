// One tarball request per tree (a 302 to codeload, followed by fetch), streamed through readTarball.
import type { GitHub } from './octokit.ts';
import { readTarball, type Tree, type TreeLimits } from './tarball.ts';

export type RepoRef = { owner: string; repo: string };

export async function fetchTree(
  octokit: GitHub,
  where: RepoRef,
  ref: string,
  limits: TreeLimits,
  /** Aborts the download, body included (a review out of time must not keep a trickle open). */
  signal?: AbortSignal,
): Promise<Tree> {
  const res = await octokit.rest.repos.downloadTarballArchive({
    ...where,
    ref,
    // Hand back the body stream instead of buffering the whole archive.
    request: { parseSuccessResponseBody: false, ...(signal ? { signal } : {}) },
  });
  const body = res.data as unknown;
  if (!body || typeof body !== 'object') throw new Error(`the tarball of ${ref} came back empty`);
  return readTarball(body as ReadableStream<Uint8Array>, limits);
}
