// `lbguard fix` keeps to the repository: no `..`, no absolute path, no symlinked file or folder
// on the way; atomic writes that never overwrite an edit made while it ran.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeInside } from '../../src/cli/write.ts';
import { run, tempRepo } from '../cli/harness.ts';
import { ROUTED_SG } from '../fixes/fixtures.ts';

/** A routed PureLB pool and a BGPConfiguration but no IPPool: the fix writes a new IPPool file. */
const NEEDS_NEW_FILE = {
  'purelb/sg.yaml': ROUTED_SG,
  'calico/bgp.yaml': `apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: 64512
`,
};
const NEW_FILE = 'purelb-10-30-0-0-24.yaml';

const withDirectory = (directory: string) => ({
  ...NEEDS_NEW_FILE,
  '.github/lbguard.yml': `fixes:\n  directory: ${directory}\n`,
});

describe('lbguard fix cannot write outside the repository', () => {
  it('refuses fixes.directory with `..` (a config finding) and writes nothing outside', async () => {
    // Arrange
    const outer = tempRepo();
    const dir = join(outer, 'repo');
    mkdirSync(dir);
    for (const [p, t] of Object.entries(withDirectory('../outside'))) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), t);
    }

    // Act
    const r = await run(['fix', dir]);

    // Assert
    expect(existsSync(join(outer, 'outside'))).toBe(false);
    expect(r.out + r.err).toMatch(/fixes\.directory.*`\.\.` segment leaves the repository/);
  });

  it('refuses an absolute fixes.directory instead of writing it under the repository as if absolute', async () => {
    // Arrange
    const dir = tempRepo(withDirectory('/etc/lbguard'));

    // Act
    const r = await run(['fix', dir]);

    // Assert
    expect(r.out + r.err).toMatch(/fixes\.directory.*absolute path/);
    expect(existsSync(join(dir, 'etc'))).toBe(false);
  });

  it('refuses a symlink at the new file path: the outside file is not appended to', async () => {
    // Arrange
    const outside = tempRepo({ 'target.yaml': 'kind: Secret\n' });
    const dir = tempRepo(withDirectory('calico'));
    symlinkSync(join(outside, 'target.yaml'), join(dir, 'calico', NEW_FILE));

    // Act
    const r = await run(['fix', dir]);

    // Assert
    expect(readFileSync(join(outside, 'target.yaml'), 'utf8')).toBe('kind: Secret\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is a symlink/);
    expect(lstatSync(join(dir, 'calico', NEW_FILE)).isSymbolicLink()).toBe(true);
  });

  it('refuses a symlinked fixes directory', async () => {
    // Arrange
    const outside = tempRepo();
    const dir = tempRepo(withDirectory('generated/calico'));
    symlinkSync(outside, join(dir, 'generated'));

    // Act
    const r = await run(['fix', dir]);

    // Assert
    expect(readdirSync(outside)).toEqual([]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/generated is a symlink/);
  });

  it('writes the new file inside when the directory is a plain relative folder', async () => {
    // Arrange
    const dir = tempRepo(withDirectory('generated/calico'));

    // Act
    const r = await run(['fix', dir]);

    // Assert
    expect(r.err).toBe('');
    expect(readFileSync(join(dir, 'generated/calico', NEW_FILE), 'utf8')).toContain('cidr: 10.30.0.0/24');
    expect(readdirSync(join(dir, 'generated/calico'))).toEqual([NEW_FILE]); // no temp file left
  });
});

describe('writeInside', () => {
  it('refuses when the file changed since it was read, keeping the other edit', () => {
    // Arrange
    const dir = tempRepo({ 'a.yaml': 'x: 1\n' });
    writeFileSync(join(dir, 'a.yaml'), 'x: 1\ny: edited meanwhile\n');

    // Act
    const act = () => writeInside(dir, 'a.yaml', Buffer.from('x: 1\n'), Buffer.from('x: 2\n'));

    // Assert
    expect(act).toThrow(/changed since lbguard read it/);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('x: 1\ny: edited meanwhile\n');
  });

  it('refuses to create a file that appeared meanwhile', () => {
    // Arrange
    const dir = tempRepo({ 'a.yaml': 'someone else\n' });

    // Act
    const act = () => writeInside(dir, 'a.yaml', undefined, Buffer.from('x: 2\n'));

    // Assert
    expect(act).toThrow(/changed since lbguard read it/);
  });

  it.each(['../x.yaml', '/tmp/x.yaml', 'a/../../x.yaml', 'a\\\\..\\\\x.yaml'])('refuses %s', (path) => {
    // Arrange
    const dir = tempRepo();

    // Act
    const act = () => writeInside(dir, path, undefined, Buffer.from('x\n'));

    // Assert
    expect(act).toThrow(/not written/);
  });

  it('replaces the file whole (a rename) and keeps its mode', () => {
    // Arrange
    const dir = tempRepo({ 'a.yaml': 'x: 1\n' });

    // Act
    writeInside(dir, 'a.yaml', Buffer.from('x: 1\n'), Buffer.from('x: 2\n'));

    // Assert
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('x: 2\n');
    expect(readdirSync(dir)).toEqual(['a.yaml']);
  });
});
