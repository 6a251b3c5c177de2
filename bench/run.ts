// `npm run bench`: lbguard against the naive floor (yaml's parseAllDocuments on every document)
// on a synthetic Flux repository (chart values, `${VAR}` substitution, clusters: auto; see
// bench/gen.ts), and how the checks phase scales with the number of pools.
//   node bench/run.ts [--scale 1] [--runs 3] [--out DIR]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { packAndInstall } from '../scripts/packed.ts';
import { RULE_IDS } from '../src/checks/index.ts';
import { readWorkingTree } from '../src/cli/tree.ts';
import { CONFIG_PATH, parseConfig } from '../src/config.ts';
import { analyze } from '../src/engine.ts';
import { GITOPS_WATCH_WORDS } from '../src/gitops/index.ts';
import { DEFAULT_LIMITS, loadFiles, type SourceFile } from '../src/manifests/load.ts';
import { type Corpus, DEFAULT_CORPUS, generateCorpus, writeCorpus } from './gen.ts';

const ROOT = join(import.meta.dirname, '..');

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string' },
    // git: the corpus is a committed checkout (what CI and pre-commit see: files come from
    // `git ls-files`); folder: a plain folder, walked.
    layout: { type: 'string', default: 'git' },
    // Skip npm pack + install (the install size and the packaged cold start).
    'no-pack': { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const runs = Math.max(1, Number(values.runs));
// Not under the repository: the CLI reads a git checkout through `git ls-files`, which would
// hide an ignored folder such as bench/out.
const out = values.out ?? mkdtempSync(join(tmpdir(), 'lbguard-bench-'));

const best = (xs: number[]) => Math.min(...xs);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (bytes: number) => bytes / (1024 * 1024);

function toFiles(corpus: Corpus): SourceFile[] {
  return Object.entries(corpus.files).map(([path, text]) => ({ path, bytes: Buffer.from(text) }));
}

function commitAll(dir: string): void {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.invalid',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  };
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['commit', '-qm', 'corpus'],
  ]) {
    const r = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  }
}

/** The whole CLI as a user runs it: start Node, read the folder, analyze, print JSON. */
function wholeProcess(dir: string): { wallMs: number; rssBytes: number; summary: Record<string, number> } {
  const rssFile = join(out, `rss-${process.pid}.txt`);
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      join(ROOT, 'bench/rss-probe.ts'),
      join(ROOT, 'bin/lbguard.js'),
      'check',
      '--format',
      'json',
      dir,
    ],
    { env: { ...process.env, LBGUARD_BENCH_RSS: rssFile }, maxBuffer: 1 << 30, encoding: 'utf8' },
  );
  const wallMs = performance.now() - started;
  if (r.status !== 0 && r.status !== 1) throw new Error(`lbguard exited ${r.status}: ${r.stderr}`);
  const rssBytes = Number(readFileSync(rssFile, 'utf8'));
  return { wallMs, rssBytes, summary: JSON.parse(r.stdout).summary };
}

/** The floor for the whole process: Node starts, lists the folder and reads every manifest file once, parsing nothing. */
const READ_ONLY = `const fs = require('node:fs'); const path = require('node:path');
let bytes = 0;
for (const e of fs.readdirSync(process.argv[1], { recursive: true, withFileTypes: true }))
  if (e.isFile() && /\\.(ya?ml|json)$/.test(e.name)) bytes += fs.readFileSync(path.join(e.parentPath, e.name)).length;
console.log(bytes);`;

function timeProcess(args: string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const took = performance.now() - started;
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return took;
}

/** The naive floor: every document of every file through the `yaml` parser. */
function naiveParse(files: readonly SourceFile[]): { ms: number; documents: number } {
  const decoder = new TextDecoder();
  const texts = files.map((f) => decoder.decode(f.bytes));
  const started = performance.now();
  let documents = 0;
  for (const t of texts) documents += parseAllDocuments(t).length;
  return { ms: performance.now() - started, documents };
}

function checksPhase(corpus: Corpus): {
  checksMs: number;
  loadMs: number;
  modelMs: number;
  findings: number;
} {
  const files = toFiles(corpus);
  const parsed = parseConfig(corpus.files[CONFIG_PATH] ?? '', CONFIG_PATH, RULE_IDS);
  // The checks phase is tens of milliseconds: more runs, so one busy moment does not decide the ratio.
  const results = Array.from({ length: Math.max(runs, 5) }, () => analyze(files, { config: parsed.config }));
  return {
    checksMs: best(results.map((a) => a.timings.checksMs)),
    loadMs: best(results.map((a) => a.timings.loadMs)),
    modelMs: best(results.map((a) => a.timings.modelMs)),
    findings: results[0]!.findings.length,
  };
}

/** The load phase alone, with and without the GitOps module's extra words: what each costs. */
function loadPhase(corpus: Corpus, words: readonly string[]): { ms: number; parsed: number } {
  const files = toFiles(corpus);
  const times: number[] = [];
  let parsed = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    parsed = loadFiles(files, DEFAULT_LIMITS, words).stats.parsed;
    times.push(performance.now() - started);
  }
  return { ms: best(times), parsed };
}

const options = { ...DEFAULT_CORPUS, apps: Math.round(DEFAULT_CORPUS.apps * scale) };
const corpus = generateCorpus(options);
const corpus10 = generateCorpus({ ...options, pools: options.pools * 10 });
const dir = join(out, 'repo');
writeCorpus(dir, corpus);
if (values.layout === 'git') commitAll(dir);

console.log(
  `corpus: ${corpus.counts.documents} documents in ${Object.keys(corpus.files).length} files, ${mb(corpus.bytes).toFixed(1)} MB, ` +
    `${values.layout} layout, ${options.clusters} Flux clusters (clusters: auto) with \${VAR} substitution from cluster-settings ` +
    `(${corpus.counts.serviceGroups} ServiceGroups, ${corpus.counts.ipPools} IPPools, ${corpus.counts.services} Services, ` +
    `${corpus.counts.kustomizeFiles} kustomization.yaml); ${dir}`,
);

const warm = wholeProcess(dir); // also warms the file cache
if (warm.summary.files !== Object.keys(corpus.files).length) {
  throw new Error(
    `lbguard read ${warm.summary.files} files of ${Object.keys(corpus.files).length}: is --out inside a git checkout that ignores it?`,
  );
}
// The whole process and the naive floor alternate, so a machine busy with something else slows
// both alike and their ratio stays meaningful.
const whole: ReturnType<typeof wholeProcess>[] = [];
const naive: ReturnType<typeof naiveParse>[] = [];
for (let i = 0; i < runs; i++) {
  whole.push(wholeProcess(dir));
  if (i < Math.max(2, Math.ceil(runs / 2))) naive.push(naiveParse(toFiles(corpus)));
}
const emptyDir = join(out, 'empty');
writeCorpus(emptyDir, { files: {}, counts: corpus.counts, bytes: 0 });
const startupMs = best(Array.from({ length: runs }, () => wholeProcess(emptyDir).wallMs));
const readMs = best(
  Array.from({ length: runs }, () => {
    const started = performance.now();
    readWorkingTree(dir);
    return performance.now() - started;
  }),
);
const readFloorMs = best(Array.from({ length: runs }, () => timeProcess(['-e', READ_ONLY, dir])));
const wholeMs = best(whole.map((w) => w.wallMs));
const rss = Math.max(...whole.map((w) => w.rssBytes));
const naiveMs = best(naive.map((n) => n.ms));
const loadCore = loadPhase(corpus, []);
const loadGitOps = loadPhase(corpus, GITOPS_WATCH_WORDS);
const c1 = checksPhase(corpus);
const c10 = checksPhase(corpus10);
rmSync(dir, { recursive: true, force: true });
if (!values.out) rmSync(out, { recursive: true, force: true });

// The package as installed (dist/, compile cache) on a ten-file repository: the example's eight
// files and two unrelated ConfigMaps, against Node doing nothing.
let packaging: [string, string][] = [];
if (!values['no-pack']) {
  const installed = packAndInstall();
  try {
    const ten = join(installed.dir, 'ten');
    cpSync(join(ROOT, 'examples', 'homelab'), ten, { recursive: true });
    for (const n of [1, 2])
      writeFileSync(
        join(ten, `extra-${n}.yaml`),
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra-${n}\n`,
      );
    const coldRuns = Math.max(runs, 10);
    timeProcess([installed.bin, 'check', ten]); // fills the compile cache, as any second run finds it
    const nodeMs = best(Array.from({ length: coldRuns }, () => timeProcess(['-e', '0'])));
    const checkMs = best(Array.from({ length: coldRuns }, () => timeProcess([installed.bin, 'check', ten])));
    const cold = checkMs / nodeMs;
    packaging = [
      [
        'installed package (npm install --global of the tarball)',
        `${installed.packages} packages, ${mb(installed.installBytes).toFixed(1)} MB (tarball ${(installed.tarballBytes / 1024).toFixed(0)} KB)`,
      ],
      ['cold start: lbguard check, ten-file repository (installed)', ms(checkMs)],
      ['  node -e 0', ms(nodeMs)],
      ['ratio cold start / node -e 0', `${cold.toFixed(2)} (aim <= 2): ${cold <= 2 ? 'ok' : 'MISSED'}`],
    ];
  } finally {
    rmSync(installed.dir, { recursive: true, force: true });
  }
}

const ratio = wholeMs / naiveMs;
const readRatio = wholeMs / readFloorMs;
const scaling = c10.checksMs / c1.checksMs;
const rows: [string, string][] = [
  ['lbguard check, whole process (best of runs)', ms(wholeMs)],
  ['  summary', JSON.stringify(whole[0]!.summary)],
  ['  of which fixed cost (the CLI on an empty folder)', ms(startupMs)],
  ['  of which reading the files (src/cli/tree.ts readWorkingTree)', ms(readMs)],
  ['  in-process load / model / checks', `${ms(c1.loadMs)} / ${ms(c1.modelMs)} / ${ms(c1.checksMs)}`],
  [
    '  load phase: core words / with GitOps words',
    `${ms(loadCore.ms)} (${loadCore.parsed} parsed) / ${ms(loadGitOps.ms)} (${loadGitOps.parsed} parsed: ${GITOPS_WATCH_WORDS.join(', ')})`,
  ],
  ['naive floor: parseAllDocuments on every document', `${ms(naiveMs)} (${naive[0]!.documents} documents)`],
  ['read floor: node reads every manifest file once, no parsing (whole process)', ms(readFloorMs)],
  [
    'ratio whole process / read floor',
    `${readRatio.toFixed(2)} (aim <= 2): ${readRatio <= 2 ? 'ok' : 'MISSED'}`,
  ],
  [
    'ratio whole process / naive parse',
    `${ratio.toFixed(3)} (target <= 0.2, aim 0.1): ${ratio <= 0.2 ? 'ok' : 'MISSED'}`,
  ],
  [
    'throughput',
    `${(mb(corpus.bytes) / (wholeMs / 1000)).toFixed(1)} MB/s, ${Math.round(corpus.counts.documents / (wholeMs / 1000))} docs/s`,
  ],
  ['peak RSS of the CLI process', `${mb(rss).toFixed(0)} MB`],
  [`checks phase, ${corpus.counts.serviceGroups} pools (1x)`, `${ms(c1.checksMs)} (${c1.findings} findings)`],
  [
    `checks phase, ${corpus10.counts.serviceGroups} pools (10x)`,
    `${ms(c10.checksMs)} (${c10.findings} findings)`,
  ],
  ['ratio 10x / 1x checks', `${scaling.toFixed(2)} (target <= 15): ${scaling <= 15 ? 'ok' : 'MISSED'}`],
  ...packaging,
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
