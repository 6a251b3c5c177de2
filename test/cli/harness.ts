// Temp repositories and a captured Io for driving `main` the way a shell would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { type Io, main } from '../../src/cli/main.ts';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder holding `files`; removed after the test. */
export function tempRepo(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbguard-cli-'));
  made.push(dir);
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=lbguard-test',
      '-c',
      'user.email=test@lbguard.invalid',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** `git init` plus one commit of everything in the folder. */
export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
}

export function initGit(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
}

export type Run = { code: number; out: string; err: string };

export async function run(argv: string[], io: Partial<Io> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    isTTY: false,
    env: {},
    ...io,
  });
  return { code, out, err };
}

/** An error every version of the engine reports: a ServiceGroup with an apiVersion PureLB does not serve. */
export const BAD_GROUP = `apiVersion: purelb.io/v9
kind: ServiceGroup
metadata:
  name: bad
  namespace: purelb-system
spec:
  local:
    subnet: 192.168.1.0/24
`;

/** A valid local group; give each one in a scope its own `net` (third octet) so their pools do not overlap. */
export const goodGroup = (name = 'default', net = 1): string => `apiVersion: purelb.io/v1
kind: ServiceGroup
metadata:
  name: ${name}
  namespace: purelb-system
spec:
  local:
    subnet: 192.168.${net}.0/24
    pool: 192.168.${net}.240-192.168.${net}.250
    aggregation: default
`;

export const GOOD_GROUP = goodGroup();

/** A template file naming a watched kind: one template-skipped notice, never an error. */
export const TEMPLATE = `apiVersion: purelb.io/v1
kind: ServiceGroup
metadata:
  name: {{ .Values.name }}
`;
