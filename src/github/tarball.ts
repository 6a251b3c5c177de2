// A repository tree from one gzip tarball, streamed: only files the engine can read are kept in
// memory, and caps stop a huge repository before it costs memory or the function's time budget.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { CONFIG_PATH } from '../config.ts';
import { isInputPath, type SourceFile } from '../manifests/load.ts';

export type TreeLimits = { maxFiles: number; maxTotalBytes: number };

export type Tree = {
  files: SourceFile[];
  /** Every regular file in the archive, kept or not. */
  entries: number;
  bytes: number;
};

/** The tree is over a cap: the review ends neutral with this reason instead of guessing. */
export class TreeTooLarge extends Error {}

export const isReviewedPath = (p: string): boolean => p === CONFIG_PATH || isInputPath(p);

export async function readTarball(
  body: ReadableStream<Uint8Array> | NodeJS.ReadableStream | Uint8Array,
  limits: TreeLimits,
): Promise<Tree> {
  const tree: Tree = { files: [], entries: 0, bytes: 0 };
  const source =
    body instanceof Uint8Array
      ? Readable.from([body])
      : typeof (body as ReadableStream).getReader === 'function'
        ? Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0])
        : (body as NodeJS.ReadableStream);
  const untar = extract();
  const collect = (async () => {
    for await (const entry of untar) {
      const { name, type } = entry.header;
      // GitHub puts everything under one `owner-repo-sha/` folder.
      const path = name.slice(name.indexOf('/') + 1);
      if (type === 'file') tree.entries++;
      if (type !== 'file' || !path || !isReviewedPath(path)) {
        entry.resume();
        continue;
      }
      if (tree.files.length + 1 > limits.maxFiles) {
        throw new TreeTooLarge(`the tree has more than ${limits.maxFiles} manifest files (limits.maxFiles)`);
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) {
        tree.bytes += (chunk as Buffer).byteLength;
        if (tree.bytes > limits.maxTotalBytes) {
          throw new TreeTooLarge(
            `the tree's manifest files exceed ${limits.maxTotalBytes} bytes (limits.maxTotalBytes)`,
          );
        }
        chunks.push(chunk as Buffer);
      }
      tree.files.push({ path, bytes: Buffer.concat(chunks) });
    }
  })();
  // When the collector gives up (a cap), the pipeline fails with a premature close: report the cap.
  const [piped, collected] = await Promise.allSettled([
    pipeline(source as NodeJS.ReadableStream, createGunzip(), untar),
    collect,
  ]);
  if (collected.status === 'rejected') throw collected.reason;
  if (piped.status === 'rejected') throw piped.reason;
  return tree;
}
