// `node bench/memory.ts [--mb 8]`: peak memory per MB of dense manifests (IPPools, the densest
// kind the App sees), the figure the App's worker heap limit and tree limits are sized from
// (docs/self-hosting.md). Each size runs in a fresh process, so earlier runs do not count.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { analyze } from '../src/engine.ts';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '2,8' }, child: { type: 'string' } },
});

const pool = (i: number) =>
  `apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: pool-${i}\nspec:\n  cidr: 10.${(i >> 8) & 255}.${i & 255}.0/24\n  disabled: true\n  ipipMode: Never\n`;

/** `mb` megabytes of IPPools in files of about 1 MB (each under the default 2 MB file limit). */
function dense(mb: number): { path: string; bytes: Buffer }[] {
  const files: { path: string; bytes: Buffer }[] = [];
  let i = 0;
  for (let f = 0; f < mb; f++) {
    const docs: string[] = [];
    for (let size = 0; size < 1024 * 1024; i++) {
      const d = pool(i);
      docs.push(d);
      size += d.length + 4;
    }
    files.push({ path: `calico/pools-${f}.yaml`, bytes: Buffer.from(docs.join('---\n')) });
  }
  return files;
}

if (values.child) {
  const files = dense(Number(values.child));
  const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
  global.gc?.();
  const before = process.resourceUsage().maxRSS * 1024;
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const a = analyze(files, {});
  const ms = performance.now() - t0;
  const after = process.resourceUsage().maxRSS * 1024;
  const heapAfter = process.memoryUsage().heapUsed;
  process.stdout.write(
    JSON.stringify({
      bytes,
      peak: after - before,
      retained: heapAfter - heapBefore,
      ms,
      findings: a.findings.length,
    }),
  );
} else {
  const MB = 1024 * 1024;
  console.log('dense IPPools | peak RSS growth | per MB of manifests | heap retained per MB | time');
  for (const mb of values.mb.split(',').map(Number)) {
    const r = spawnSync(process.execPath, ['--expose-gc', import.meta.filename, '--child', String(mb)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) throw new Error(r.stderr);
    const m = JSON.parse(r.stdout) as { bytes: number; peak: number; retained: number; ms: number };
    const perMb = m.peak / m.bytes;
    console.log(
      `${(m.bytes / MB).toFixed(1)} MB | ${(m.peak / MB).toFixed(0)} MB | ${perMb.toFixed(1)} MB/MB | ${(m.retained / m.bytes).toFixed(1)} MB/MB | ${(m.ms / 1000).toFixed(1)} s`,
    );
  }
}
