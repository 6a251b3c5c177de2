// The Vercel function as Vercel runs it: the build's output in dist/, and api/github/webhooks.js
// (plain JavaScript) loaded by plain node, with no TypeScript anywhere at run time. A child process
// serves it over HTTP and talks to the fake GitHub as a GitHub Enterprise Server (nock cannot reach
// into a child), so a signed pull_request webhook ends in a real check run.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fake, serveFakeGitHub } from '../github/fake.ts';
import { OWNER, PRIVATE_KEY, pullRequestPayload, REPO, SECRET } from './harness.ts';
import { BROKEN, GOOD, sha } from './trees.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const HEAD = sha('a');
const BASE = sha('b');
const MERGE_BASE = sha('c');

// Vercel's Node runtime calls the exported POST with a Web Request; waitUntil comes from its
// request context, which this stands in for.
const SERVE = `import { createServer } from 'node:http';
const pending = new Set();
globalThis[Symbol.for('@vercel/request-context')] = {
  get: () => ({ waitUntil: (p) => { pending.add(p); p.finally(() => pending.delete(p)); } }),
};
const { POST } = await import(new URL('./api/github/webhooks.js', import.meta.url).href);
const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const response = await POST(new Request(new URL(req.url, 'http://localhost'), {
    method: req.method, headers: req.headers, body: Buffer.concat(chunks),
  }));
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
`;

/**
 * What `npm run build` emits, file by file: tsconfig.build.json's files and options through
 * TypeScript's own emitter (so `.ts` imports become `.js` exactly as tsc rewrites them), without
 * the type check, which CI runs anyway and which would cost this test several seconds.
 */
function buildInto(outDir: string): void {
  const file = join(ROOT, 'tsconfig.build.json');
  const { config } = ts.readConfigFile(file, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, file);
  for (const source of parsed.fileNames) {
    const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
      // The package is ESM, which nodenext emits as ES modules; on its own a file cannot look
      // that up in package.json, so say it.
      compilerOptions: { ...parsed.options, module: ts.ModuleKind.ESNext },
      fileName: source,
    });
    const target = join(outDir, relative(ROOT, source)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  // tsc copies the imported package.json (src/render/tool.ts) beside the build.
  copyFileSync(join(ROOT, 'package.json'), join(outDir, 'package.json'));
}

let dir: string;
let child: ChildProcess;
let github: Fake & { host: string };
let url: string;

beforeAll(async () => {
  // Arrange the deployment: the build, the function file and the dependencies, as Vercel bundles them.
  dir = mkdtempSync(join(tmpdir(), 'lbguard-vercel-'));
  buildInto(join(dir, 'dist'));
  mkdirSync(join(dir, 'api', 'github'), { recursive: true });
  copyFileSync(join(ROOT, 'api', 'github', 'webhooks.js'), join(dir, 'api', 'github', 'webhooks.js'));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'serve.mjs'), SERVE);

  github = await serveFakeGitHub({
    owner: OWNER,
    repo: REPO,
    trees: { [HEAD]: BROKEN, [MERGE_BASE]: GOOD },
    compare: { [`${BASE}...${HEAD}`]: { mergeBase: MERGE_BASE, files: ['purelb/servicegroups.yaml'] } },
  });
  child = spawn(process.execPath, [join(dir, 'serve.mjs')], {
    env: {
      PATH: process.env.PATH,
      APP_ID: '1',
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'warn',
      VERCEL: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`function did not start: ${out}`)), 15_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}/api/github/webhooks`);
      }
    });
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('exit', (code) => reject(new Error(`function exited ${code}: ${out}`)));
  });
}, 60_000);

afterAll(() => {
  child?.kill();
  github?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const post = (body: string, signature: string, delivery: string) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': delivery,
      'x-hub-signature-256': signature,
    },
    body,
  });

async function until(done: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the built Vercel function (dist/ + api/github/webhooks.js, plain node)', () => {
  it('refuses a bad signature with 401 before any GitHub request', async () => {
    // Arrange
    const body = JSON.stringify(pullRequestPayload('opened', { number: 7, headSha: HEAD, baseSha: BASE }));

    // Act
    const res = await post(body, sign(body, 'not-the-secret'), 'd-bad');

    // Assert
    expect(res.status).toBe(401);
    expect(github.calls).toEqual([]);
  });

  it('answers a signed pull_request with 202 and completes a failing check run', async () => {
    // Arrange
    const body = JSON.stringify(pullRequestPayload('opened', { number: 7, headSha: HEAD, baseSha: BASE }));

    // Act
    const res = await post(body, sign(body), 'd-1');
    await until(() => github.runs[0]?.status === 'completed');

    // Assert
    expect(res.status).toBe(202);
    expect(github.errors).toEqual([]);
    expect(github.runs).toHaveLength(1);
    expect(github.runs[0]).toMatchObject({ head_sha: HEAD, external_id: '7', conclusion: 'failure' });
  });
});
