// `lbguard fix` writes, with the repository as a jail: every path resolves inside the root with
// no symlinked file or folder on the way, and a write replaces the file atomically (temp file +
// rename) only when the file still holds what the fix was planned from.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { repoPathProblem } from '../repo-path.ts';

export class WriteRefused extends Error {}

const lstat = (path: string) => {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
};

/**
 * The absolute path of `file` under `root`, creating missing folders; refuses `..`, absolute
 * paths and any symlink (file or folder) between the root and the file.
 */
function jailed(root: string, file: string): string {
  const problem = repoPathProblem(file);
  if (problem) throw new WriteRefused(`${file}: not written: ${problem}`);
  const parts = file.split('/').filter((p) => p !== '' && p !== '.');
  let at = root;
  for (const [i, part] of parts.entries()) {
    at = join(at, part);
    const st = lstat(at);
    const last = i === parts.length - 1;
    if (st?.isSymbolicLink())
      throw new WriteRefused(
        `${file}: not written: ${parts.slice(0, i + 1).join('/')} is a symlink (it could point outside the repository)`,
      );
    if (!last && st && !st.isDirectory())
      throw new WriteRefused(`${file}: not written: ${parts.slice(0, i + 1).join('/')} is not a folder`);
    if (last && st && !st.isFile()) throw new WriteRefused(`${file}: not written: it is not a regular file`);
    if (!last && !st) mkdirSync(at);
  }
  return at;
}

/** The file's bytes now, read without following a symlink; undefined when it does not exist. */
function current(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WriteRefused(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.allocUnsafe(1 << 16);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf))
      chunks.push(Buffer.from(buf.subarray(0, n)));
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `file` under `root` with `after` when it still holds `before` (undefined: it must not
 * exist yet). Another edit made while lbguard ran is never overwritten: the write is refused.
 */
export function writeInside(
  root: string,
  file: string,
  before: Uint8Array | undefined,
  after: Uint8Array,
): void {
  const path = jailed(root, file);
  const now = current(path);
  const unchanged =
    before === undefined ? now === undefined : now !== undefined && Buffer.compare(now, before) === 0;
  if (!unchanged)
    throw new WriteRefused(`${file}: not written: it changed since lbguard read it; run lbguard fix again`);
  // O_EXCL: the temp name cannot be a planted symlink; same folder, so rename is atomic.
  const temp = `${path}.lbguard-${randomBytes(6).toString('hex')}.tmp`;
  const mode = now === undefined ? 0o644 : lstatSync(path).mode & 0o7777;
  const fd = openSync(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    mode,
  );
  try {
    for (let off = 0; off < after.byteLength; ) off += writeSync(fd, after, off);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  // The last look: a file swapped in while the temp was written is not replaced.
  const last = current(path);
  const still =
    before === undefined ? last === undefined : last !== undefined && Buffer.compare(last, before) === 0;
  if (!still) {
    rmSync(temp, { force: true });
    throw new WriteRefused(`${file}: not written: it changed since lbguard read it; run lbguard fix again`);
  }
  renameSync(temp, path);
}
