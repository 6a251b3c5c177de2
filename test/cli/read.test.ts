// Reading the working tree: every byte of every file, whatever its size, and no symlinks.
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkingTree } from '../../src/cli/tree.ts';
import { GOOD_GROUP, tempRepo } from './harness.ts';

describe('readWorkingTree outside git', () => {
  it('reads small and large files whole, byte for byte, and skips a symlink', async () => {
    // Arrange: the large file is over the reader's 4 MiB scratch buffer, and one exactly at it.
    const large = `${GOOD_GROUP}# ${'x'.repeat(5 << 20)}\n`;
    const exact = `${GOOD_GROUP}#${'y'.repeat((4 << 20) - GOOD_GROUP.length - 2)}\n`;
    const dir = tempRepo({ 'a/small.yaml': GOOD_GROUP, 'b/large.yaml': large, 'c/exact.yaml': exact });
    symlinkSync(join(dir, 'a/small.yaml'), join(dir, 'a/link.yaml'));

    // Act
    const files = await readWorkingTree(dir);

    // Assert
    const byPath = new Map(files.map((f) => [f.path, Buffer.from(f.bytes).toString('utf8')]));
    expect([...byPath.keys()].sort()).toEqual(['a/small.yaml', 'b/large.yaml', 'c/exact.yaml']);
    expect(byPath.get('a/small.yaml')).toBe(GOOD_GROUP);
    expect(byPath.get('b/large.yaml')).toBe(large);
    expect(byPath.get('c/exact.yaml')?.length).toBe(4 << 20);
    expect(byPath.get('c/exact.yaml')).toBe(exact);
  });
});

describe('readWorkingTree in a git checkout', () => {
  it('reads tracked files and untracked files git does not ignore, never ignored ones', async () => {
    // Arrange
    const dir = tempRepo({ 'tracked.yaml': GOOD_GROUP });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'c');
    writeFileSync(join(dir, '.gitignore'), 'ignored.yaml\n');
    writeFileSync(join(dir, 'new.yaml'), GOOD_GROUP);
    writeFileSync(join(dir, 'ignored.yaml'), GOOD_GROUP);

    // Act
    const files = await readWorkingTree(dir);

    // Assert
    expect(files.map((f) => f.path).sort()).toEqual(['new.yaml', 'tracked.yaml']);
  });
});
