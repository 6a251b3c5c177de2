// A stand-in for api.github.com and codeload.github.com built on nock: repositories as in-memory
// trees served as real gzip tarballs, check runs kept in memory, and every request checked against
// GitHub's OpenAPI description.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { pack } from 'tar-stream';
import { type CapturedRequest, validateRequest } from '../openapi.ts';

export type Tree = Record<string, string>;

export type StoredRun = {
  id: number;
  name: string;
  head_sha: string;
  external_id: string | null;
  status: string;
  conclusion: string | null;
  /** When the run started (ISO); an unfinished recent run is another instance's review. */
  started_at?: string | null;
  output: { title: string | null; summary: string | null; annotations_count: number };
  annotations: Record<string, unknown>[];
  /** Each PATCH body, in order. */
  updates: Record<string, unknown>[];
};

export type FakeRepo = {
  owner: string;
  repo: string;
  /** Commit SHA -> tree. */
  trees: Record<string, Tree>;
  /** basehead "a...b" -> the compare answer. */
  compare?: Record<string, { mergeBase: string; files: string[] }>;
  pulls?: Record<number, FakePull>;
  /** Login -> permission on the repository (absent: not a collaborator, 404). */
  permissions?: Record<string, 'admin' | 'maintain' | 'write' | 'triage' | 'read'>;
  /** Review comments already on PRs, by PR number. */
  reviewComments?: Record<number, { path: string; line: number; body: string }[]>;
  /** .github/lbguard.yml on the default branch (null: none, also none in the org's .github repo). */
  config?: string | null;
  /** .github/lbguard.yml in the org's `.github` repository (the org default). */
  orgConfig?: string;
  runs?: StoredRun[];
  /** Answer this status (or this error response) instead of the real one (an API failure mid-review, a rate limit). */
  fail?: (
    method: string,
    path: string,
  ) => number | { status: number; message?: string; headers?: Record<string, string> } | undefined;
  /** Answer this many milliseconds late (a slow GitHub). */
  slow?: (method: string, path: string) => number | undefined;
};

export type FakePull = {
  baseSha: string;
  headSha: string;
  /** The head branch (default: "feature"). */
  ref?: string;
  /** The head lives in a fork. */
  fork?: boolean;
  /** The PR's files list: name and unified `patch`. */
  files?: { filename: string; patch?: string }[];
};

export type GitWrite = {
  trees: { base_tree: string; tree: { path: string; mode: string; type: string; content?: string }[] }[];
  commits: { sha: string; message: string; tree: string; parents: string[]; body: Record<string, unknown> }[];
  refUpdates: { ref: string; sha: string; force: unknown; status: number }[];
};

export async function tarball(prefix: string, files: Tree): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p) chunks.push(c as Buffer);
  })();
  p.entry({ name: `${prefix}/`, type: 'directory' });
  for (const [path, text] of Object.entries(files)) p.entry({ name: `${prefix}/${path}` }, text);
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

const json = (status: number, body: unknown): [number, string, Record<string, string>] => [
  status,
  JSON.stringify(body),
  { 'content-type': 'application/json; charset=utf-8' },
];

export type Fake = {
  calls: CapturedRequest[];
  errors: string[];
  runs: StoredRun[];
  /** Reviews posted (POST pulls/{n}/reviews bodies). */
  reviews: Record<string, unknown>[];
  git: GitWrite;
  /** Requests made to GitHub (both hosts), access tokens aside. */
  requests(): number;
  /** Ends the fake, and fails the test if any request broke GitHub's OpenAPI description. */
  stop(): void;
};

type Reply = [number, string | Buffer, Record<string, string>?];

/** The fake's state and its two hosts as plain functions, for nock or for a real http.Server. */
function fakeCore(r: FakeRepo, codeloadOrigin: string) {
  const calls: CapturedRequest[] = [];
  const errors: string[] = [];
  const runs = r.runs ?? [];
  let nextId = 1000 + runs.length;
  const base = `/repos/${r.owner}/${r.repo}`;
  const reviews: Record<string, unknown>[] = [];
  const git: GitWrite = { trees: [], commits: [], refUpdates: [] };
  // Trees made by POST git/trees, by sha: the base commit's files plus the inline contents.
  const madeTrees = new Map<string, Tree>();
  let nextSha = 1;
  const newSha = (c: string) => `${c}${String(nextSha++).padStart(39, '0')}`;

  const route = (
    method: string,
    uri: string,
    body: unknown,
  ): [number, string | Buffer, Record<string, string>] => {
    const url = new URL(uri, 'https://api.github.com');
    const path = url.pathname;
    const failed = r.fail?.(method, path);
    if (failed) {
      const {
        status,
        message = `Injected failure ${status}`,
        headers = {},
      } = typeof failed === 'number' ? { status: failed } : failed;
      const [code, body, type] = json(status, { message, status: String(status) });
      return [code, body, { ...type, ...headers }];
    }
    const at = (re: string) => path.match(new RegExp(`^${base}${re}$`));
    const compare = at('/compare/(.+)');
    const pull = at('/pulls/(\\d+)');
    const list = at('/commits/([^/]+)/check-runs');
    const update = at('/check-runs/(\\d+)');
    const tar = at('/tarball/(.+)');
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return json(201, {
        token: 'ghs_testtoken',
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        permissions: {},
      });
    }
    if (method === 'GET' && path.endsWith('/contents/.github%2Flbguard.yml')) {
      const raw = { 'content-type': 'application/vnd.github.raw; charset=utf-8' };
      if (path === `${base}/contents/.github%2Flbguard.yml` && r.config) return [200, r.config, raw];
      if (path === `/repos/${r.owner}/.github/contents/.github%2Flbguard.yml` && r.orgConfig)
        return [200, r.orgConfig, raw];
      return json(404, { message: 'Not Found' });
    }
    if (method === 'GET' && compare) {
      const c = r.compare?.[decodeURIComponent(compare[1]!)];
      if (!c) return json(404, { message: 'Not Found' });
      return json(200, {
        merge_base_commit: { sha: c.mergeBase },
        files: c.files.map((filename) => ({ filename, status: 'modified' })),
      });
    }
    if (method === 'GET' && pull) {
      const p = r.pulls?.[Number(pull[1])];
      if (!p) return json(404, { message: 'Not Found' });
      const headRepo = p.fork ? `forker/${r.repo}` : `${r.owner}/${r.repo}`;
      return json(200, {
        number: Number(pull[1]),
        base: { sha: p.baseSha, ref: 'main', repo: { full_name: `${r.owner}/${r.repo}` } },
        head: { sha: p.headSha, ref: p.ref ?? 'feature', repo: { full_name: headRepo } },
      });
    }
    const pullFiles = at('/pulls/(\\d+)/files');
    if (method === 'GET' && pullFiles) {
      const p = r.pulls?.[Number(pullFiles[1])];
      if (!p) return json(404, { message: 'Not Found' });
      const page = Number(url.searchParams.get('page') ?? 1);
      const files = page === 1 ? (p.files ?? []) : [];
      return json(
        200,
        files.map((f) => ({ ...f, status: 'modified', sha: 'f'.repeat(40), additions: 1, deletions: 0 })),
      );
    }
    const pullComments = at('/pulls/(\\d+)/comments');
    if (method === 'GET' && pullComments) {
      const page = Number(url.searchParams.get('page') ?? 1);
      const list = page === 1 ? (r.reviewComments?.[Number(pullComments[1])] ?? []) : [];
      return json(
        200,
        list.map((c, i) => ({ id: i + 1, ...c })),
      );
    }
    const pullReviews = at('/pulls/(\\d+)/reviews');
    if (method === 'POST' && pullReviews) {
      const n = Number(pullReviews[1]);
      const b = body as { comments?: { path: string; line: number; body: string }[] };
      reviews.push(body as Record<string, unknown>);
      r.reviewComments ??= {};
      r.reviewComments[n] = [...(r.reviewComments[n] ?? []), ...(b.comments ?? [])];
      return json(200, { id: reviews.length, state: 'COMMENTED' });
    }
    const permission = at('/collaborators/([^/]+)/permission');
    if (method === 'GET' && permission) {
      const level = r.permissions?.[decodeURIComponent(permission[1]!)];
      if (!level) return json(404, { message: 'Not Found' });
      const legacy = level === 'maintain' ? 'write' : level === 'triage' ? 'read' : level;
      return json(200, { permission: legacy, role_name: level, user: { login: permission[1] } });
    }
    const getCommit = at('/git/commits/([0-9a-f]{40})');
    if (method === 'GET' && getCommit) {
      if (!r.trees[getCommit[1]!]) return json(404, { message: 'Not Found' });
      return json(200, { sha: getCommit[1], tree: { sha: `tree-${getCommit[1]}` } });
    }
    if (method === 'POST' && path === `${base}/git/trees`) {
      const b = body as GitWrite['trees'][number];
      git.trees.push(b);
      const from = r.trees[b.base_tree.replace(/^tree-/, '')];
      if (!from) return json(422, { message: 'base_tree is not a valid tree' });
      const files = { ...from };
      for (const e of b.tree) files[e.path] = e.content ?? '';
      const sha = newSha('e');
      madeTrees.set(sha, files);
      return json(201, { sha, tree: [] });
    }
    if (method === 'POST' && path === `${base}/git/commits`) {
      const b = body as { message: string; tree: string; parents: string[] };
      const files = madeTrees.get(b.tree);
      if (!files) return json(422, { message: 'tree is not valid' });
      const sha = newSha('9');
      r.trees[sha] = files;
      git.commits.push({ sha, ...b, body: body as Record<string, unknown> });
      return json(201, { sha, tree: { sha: b.tree }, parents: b.parents.map((p) => ({ sha: p })) });
    }
    const ref = at('/git/refs/(.+)');
    if (method === 'PATCH' && ref) {
      const name = decodeURIComponent(ref[1]!).replace(/^heads\//, '');
      const b = body as { sha: string; force?: unknown };
      const pullOf = Object.values(r.pulls ?? {}).find((p) => (p.ref ?? 'feature') === name);
      const commit = git.commits.find((c) => c.sha === b.sha);
      const fastForward = pullOf !== undefined && commit?.parents[0] === pullOf.headSha;
      const status = fastForward || b.force === true ? 200 : 422;
      git.refUpdates.push({ ref: decodeURIComponent(ref[1]!), sha: b.sha, force: b.force, status });
      if (status === 422) return json(422, { message: 'Update is not a fast forward' });
      if (pullOf) pullOf.headSha = b.sha;
      return json(200, { ref: `refs/heads/${name}`, object: { sha: b.sha, type: 'commit' } });
    }
    if (method === 'GET' && list) {
      const name = url.searchParams.get('check_name');
      const found = runs.filter((x) => x.head_sha === list[1] && (!name || x.name === name)).reverse();
      return json(200, { total_count: found.length, check_runs: found.map(view) });
    }
    if (method === 'POST' && path === `${base}/check-runs`) {
      const b = body as Record<string, unknown>;
      const run: StoredRun = {
        id: nextId++,
        name: String(b.name),
        head_sha: String(b.head_sha),
        external_id: (b.external_id as string | undefined) ?? null,
        status: String(b.status ?? 'queued'),
        conclusion: (b.conclusion as string | undefined) ?? null,
        started_at: (b.started_at as string | undefined) ?? null,
        output: { title: null, summary: null, annotations_count: 0 },
        annotations: [],
        updates: [],
      };
      runs.push(run);
      return json(201, view(run));
    }
    if (method === 'PATCH' && update) {
      const run = runs.find((x) => x.id === Number(update[1]));
      if (!run) return json(404, { message: 'Not Found' });
      const b = body as Record<string, unknown> & {
        output?: { title?: string; summary?: string; annotations?: [] };
      };
      run.updates.push(b);
      if (b.status) run.status = String(b.status);
      if (b.conclusion) {
        run.conclusion = String(b.conclusion);
        run.status = 'completed';
      }
      if (b.output) {
        run.output.title = b.output.title ?? run.output.title;
        run.output.summary = b.output.summary ?? run.output.summary;
        run.annotations.push(...(b.output.annotations ?? []));
        run.output.annotations_count = run.annotations.length;
      }
      return json(200, view(run));
    }
    if (method === 'GET' && tar) {
      return [302, '', { location: `${codeloadOrigin}/${r.owner}/${r.repo}/legacy.tar.gz/${tar[1]}` }];
    }
    return json(404, { message: `fake GitHub has no route for ${method} ${path}` });
  };

  const view = (run: StoredRun) => {
    const { annotations: _a, updates: _u, ...rest } = run;
    return rest;
  };

  /** api.github.com: `href` is the request's URL as if sent there. */
  const api = async (method: string, href: string, text: string): Promise<Reply> => {
    const body: unknown = text ? JSON.parse(text) : undefined;
    const url = new URL(href);
    const captured: CapturedRequest = { method, url: url.href, body };
    calls.push(captured);
    errors.push(...validateRequest(captured));
    const late = r.slow?.(method, url.pathname);
    if (late) await new Promise((done) => setTimeout(done, late));
    return route(method, `${url.pathname}${url.search}`, body);
  };
  const codeload = async (href: string): Promise<Reply> => {
    calls.push({ method: 'GET', url: href });
    const ref = new URL(href).pathname.split('/').at(-1)!;
    const tree = r.trees[ref];
    if (!tree) return [404, 'Not Found'];
    return [
      200,
      await tarball(`${r.owner}-${r.repo}-${ref.slice(0, 7)}`, tree),
      { 'content-type': 'application/x-gzip' },
    ];
  };
  const fake = (close: () => void): Fake => ({
    calls,
    errors,
    runs,
    reviews,
    git,
    requests: () => calls.filter((c) => !c.url.includes('/access_tokens')).length,
    stop: () => {
      close();
      // Every test that uses the fake is checked, whether or not it looks at `errors` itself.
      if (errors.length) throw new Error(`requests GitHub would reject:\n${errors.join('\n')}`);
    },
  });
  return { api, codeload, fake };
}

export function fakeGitHub(r: FakeRepo): Fake {
  const core = fakeCore(r, 'https://codeload.github.com');
  const api = nock('https://api.github.com').persist();
  for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
    // nock 15 hands the reply function the fetch Request.
    api.intercept(/.*/, method).reply(async (req: Request) => core.api(method, req.url, await req.text()));
  }
  nock('https://codeload.github.com')
    .persist()
    .get(/.*/)
    .reply(async (req: Request) => core.codeload(req.url));
  return core.fake(() => nock.cleanAll());
}

/**
 * The same fake as a real HTTP server on localhost, for a child process nock cannot reach: point
 * Probot at it as GitHub Enterprise Server (GHE_HOST=127.0.0.1:PORT, GHE_PROTOCOL=http; the API is
 * under /api/v3). Requests are validated as if they went to api.github.com.
 */
export async function serveFakeGitHub(r: FakeRepo): Promise<Fake & { host: string }> {
  let core: ReturnType<typeof fakeCore> | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const text = Buffer.concat(chunks).toString('utf8');
      const reply = path.startsWith('/api/v3/')
        ? core!.api(req.method ?? 'GET', `https://api.github.com${path.slice('/api/v3'.length)}`, text)
        : core!.codeload(`https://codeload.github.com${path.replace(/^\/codeload/, '')}`);
      void reply.then(([status, body, headers]) => res.writeHead(status, headers).end(body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  core = fakeCore(r, `http://${host}/codeload`);
  return {
    ...core.fake(() => {
      server.closeAllConnections();
      server.close();
    }),
    host,
  };
}
