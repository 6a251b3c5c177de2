// The package as users get it: `npm pack`, then `npm install --global` of the tarball into an empty
// prefix, then `lbguard` run from outside the checkout. CI runs this file (`node scripts/packed.ts`);
// bench/ reuses packAndInstall for the install size and the packaged cold start.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

export type Installed = {
  /** The temporary folder holding the tarball and the prefix; remove it when done. */
  dir: string;
  /** The installed `lbguard` bin (a link into the prefix's node_modules). */
  bin: string;
  tarballBytes: number;
  /** Bytes of every installed file: lbguard and all its dependencies. */
  installBytes: number;
  /** Installed packages, lbguard included. */
  packages: number;
};

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });

function sizeOf(dir: string): { bytes: number; packages: number } {
  let bytes = 0;
  let packages = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    bytes += statSync(path).size;
    // A package is a folder right inside a node_modules (or @scope) holding package.json.
    if (e.name === 'package.json' && /node_modules\/(?:@[^/]+\/)?[^/]+$/.test(e.parentPath)) packages++;
  }
  return { bytes, packages };
}

export function packAndInstall(): Installed {
  const dir = mkdtempSync(join(tmpdir(), 'lbguard-packed-'));
  // prepack builds dist/ first.
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], ROOT)) as {
    filename: string;
  }[];
  const tarball = join(dir, packed!.filename);
  const prefix = join(dir, 'prefix');
  npm(['install', '--global', '--prefix', prefix, '--prefer-offline', tarball], dir);
  const size = sizeOf(join(prefix, 'lib', 'node_modules'));
  return {
    dir,
    bin: join(prefix, 'bin', 'lbguard'),
    tarballBytes: statSync(tarball).size,
    installBytes: size.bytes,
    packages: size.packages,
  };
}

/** Runs the installed bin with this Node, from `cwd`. */
export const runInstalled = (installed: Installed, args: string[], cwd = installed.dir) =>
  spawnSync(process.execPath, [installed.bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

function fail(message: string): never {
  console.error(`packed: ${message}`);
  process.exit(1);
}

if (import.meta.main) {
  const installed = packAndInstall();
  try {
    const example = join(ROOT, 'examples', 'homelab');
    const fromPackage = runInstalled(installed, ['check', example, '--format', 'json']);
    const fromCheckout = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'lbguard.js'), 'check', example, '--format', 'json'],
      {
        encoding: 'utf8',
      },
    );
    if (fromPackage.status !== fromCheckout.status || fromPackage.stdout !== fromCheckout.stdout) {
      fail(
        `the installed package reports differently from the checkout on examples/homelab (exit ${fromPackage.status} vs ${fromCheckout.status})\n${fromPackage.stderr}`,
      );
    }
    const findings = (JSON.parse(fromPackage.stdout) as { findings: unknown[] }).findings.length;
    // Token mode's packages are optional peers: a clear message, not a stack trace.
    const review = runInstalled(installed, ['review', '--repo', 'a/b', '--pr', '1']);
    if (review.status !== 2 || !/lbguard review needs @octokit\/rest/.test(review.stderr)) {
      fail(
        `lbguard review without Octokit should explain what to install; got exit ${review.status}: ${review.stderr}`,
      );
    }
    console.log(
      `packed: npm install --global of the tarball (${mb(installed.tarballBytes)}): ${installed.packages} packages, ${mb(installed.installBytes)}; lbguard check examples/homelab from ${installed.dir}: exit ${fromPackage.status}, ${findings} findings, same as the checkout`,
    );
  } finally {
    rmSync(installed.dir, { recursive: true, force: true });
  }
}
