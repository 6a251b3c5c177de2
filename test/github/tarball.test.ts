import { describe, expect, it } from 'vitest';
import { readTarball, TreeTooLarge } from '../../src/github/tarball.ts';
import { tarball } from './fake.ts';

const LIMITS = { maxFiles: 100, maxTotalBytes: 1_000_000 };

describe('reading a tarball', () => {
  it('keeps manifests, templates and the config, without GitHub’s top folder', async () => {
    // Arrange
    const gz = await tarball('o-r-abc1234', {
      'README.md': '# x\n',
      'a/b.yaml': 'kind: IPPool\n',
      'c.yml': 'x: 1\n',
      'chart/t.tpl': '{{ x }}\n',
      '.github/lbguard.yml': 'failOn: all\n',
      'main.go': 'package main\n',
    });

    // Act
    const tree = await readTarball(gz, LIMITS);

    // Assert
    expect(tree.files.map((f) => f.path).sort()).toEqual([
      '.github/lbguard.yml',
      'a/b.yaml',
      'c.yml',
      'chart/t.tpl',
    ]);
    expect(Buffer.from(tree.files.find((f) => f.path === 'a/b.yaml')!.bytes).toString()).toBe(
      'kind: IPPool\n',
    );
    expect(tree.entries).toBe(6);
  });

  it('stops at the file cap and the byte cap', async () => {
    // Arrange
    const many = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`m${i}.yaml`, 'x: 1\n']));
    const gz = await tarball('o-r-abc1234', many);

    // Act / Assert
    await expect(readTarball(gz, { maxFiles: 4, maxTotalBytes: 1_000 })).rejects.toThrow(TreeTooLarge);
    await expect(readTarball(gz, { maxFiles: 4, maxTotalBytes: 1_000 })).rejects.toThrow(
      /more than 4 manifest files/,
    );
    await expect(readTarball(gz, { maxFiles: 10, maxTotalBytes: 20 })).rejects.toThrow(/exceed 20 bytes/);
    await expect(readTarball(gz, { maxFiles: 5, maxTotalBytes: 25 })).resolves.toMatchObject({ bytes: 25 });
  });

  it('rejects a body that is not gzip', async () => {
    // Arrange / Act / Assert
    await expect(readTarball(Buffer.from('not a tarball'), LIMITS)).rejects.toThrow();
  });
});
