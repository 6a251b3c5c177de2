import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const DEV = join(import.meta.dirname, '..', '..', 'scripts', 'dev');
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/dev', () => {
  it("runs the command in the caller's folder, so relative paths are the caller's", () => {
    // Arrange
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'lbguard-dev-')));
    mkdirSync(join(dir, 'repo'));
    writeFileSync(join(dir, 'repo', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');

    // Act
    const pwd = spawnSync(DEV, ['node', '-e', 'console.log(process.cwd())'], { cwd: dir, encoding: 'utf8' });
    const check = spawnSync(DEV, ['lbguard', 'check', 'repo', '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });

    // Assert
    expect(pwd.stdout).toBe(`${dir}\n`);
    expect(check.status).toBe(0);
    expect(JSON.parse(check.stdout).summary.files).toBe(1);
  });
});
