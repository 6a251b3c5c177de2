// Every `lbguard` command, one registration each: its help (summary, arguments, options) and a run
// that imports the command's module only when it is used, so `lbguard check` starts fast.
// Adding a command: one defineCommand entry below, and its module.
import { FAIL_ON } from '../compare.ts';
import { FORMAT_NAMES } from '../render/formats.ts';
import { type CommandSpec, defineCommand, type OptionSpec, type Parsed } from './parse.ts';

const config = {
  type: 'string',
  value: 'file',
  description: 'config file to use instead of the repository root .github/lbguard.yml',
} satisfies OptionSpec;

// Each command's options apart from its entry, so its module can name their types without a cycle.
const checkOptions = {
  base: {
    type: 'string',
    value: 'ref',
    description:
      'also check the tree at git REF (or a folder) with the same config; findings already there are pre-existing and do not fail the run (config failOn: all)',
  },
  newOnly: {
    type: 'boolean',
    description: 'leave out the findings already in --base (they are printed after the new ones otherwise)',
  },
  failOn: {
    type: 'string',
    value: 'level',
    description:
      'the lowest severity that fails the run, for this run only: error (default), warning, or none (report, never fail)',
    choices: FAIL_ON,
  },
  config,
  format: {
    type: 'string',
    value: 'format',
    description:
      'text, json, sarif (GitHub code scanning), github (workflow commands), junit (test reports) or codequality (GitLab Code Quality)',
    choices: FORMAT_NAMES,
    default: 'text',
  },
} satisfies Record<string, OptionSpec>;
export type CheckInput = Parsed<typeof checkOptions>;

const fixOptions = {
  dryRun: { type: 'boolean', description: 'print the changes as a unified diff; write nothing' },
  config,
} satisfies Record<string, OptionSpec>;
export type FixInput = Parsed<typeof fixOptions>;

const reviewOptions = {
  repo: { type: 'string', value: 'owner/name', description: 'the repository (default: $GITHUB_REPOSITORY)' },
  pr: { type: 'string', value: 'n', description: 'review pull request N against its merge base' },
  sha: { type: 'string', value: 'sha', description: 'check one commit on its own (every finding counts)' },
} satisfies Record<string, OptionSpec>;
export type ReviewValues = Parsed<typeof reviewOptions>['values'];

const listFormat = {
  type: 'string',
  value: 'format',
  description: 'text or json',
  choices: ['text', 'json'],
  default: 'text',
} satisfies OptionSpec;
const rulesOptions = { format: listFormat } satisfies Record<string, OptionSpec>;
export type RulesInput = Parsed<typeof rulesOptions>;
export type ExplainInput = Parsed<typeof rulesOptions>;

/** `lbguard review`'s packages: optional peer dependencies of the published package. */
export const TOKEN_MODE_PACKAGES = [
  '@octokit/rest',
  '@octokit/plugin-retry',
  '@octokit/plugin-throttling',
  '@probot/octokit-plugin-config',
  'tar-stream',
] as const;

function resolvable(name: string): boolean {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}

const check = defineCommand({
  name: 'check',
  summary: 'check a repository folder, or some of its files',
  args: [
    {
      name: '[path...]',
      description:
        'one folder: the repository root (default .), whose .github/lbguard.yml is the config. Files or several folders: the whole repository around them is checked (its root is the nearest folder above them holding .git or .github/lbguard.yml) and only findings about those paths are reported. -: one multi-document stream from stdin (kustomize build ... | lbguard check -), checked as one scope; positions are stream lines',
    },
  ],
  options: checkOptions,
  more: `Exit status: 0 nothing fails the run, 1 findings fail it (new errors, or see --fail-on and the config's failOn), 2 usage or I/O error.
Under GitHub Actions ($GITHUB_OUTPUT set) it also sets the step outputs new-errors, new-warnings and conclusion.`,
  run: async (parsed, io) => (await import('./main.ts')).check(parsed, io),
});

const fix = defineCommand({
  name: 'fix',
  summary: 'apply every automatic fix in place (or print the diff)',
  args: [{ name: '[path...]', description: 'the repository folder (default .), as for check' }],
  options: fixOptions,
  more: 'Exit status: 0 fixed or nothing to fix, 1 some fix could not be applied, 2 usage or I/O error.',
  run: async (parsed, io) => (await import('./fix.ts')).fix(parsed, io),
});

const review = defineCommand({
  name: 'review',
  summary: "run the GitHub App's review with a token and post the same check run",
  options: reviewOptions,
  more: `Environment: GITHUB_TOKEN (needs checks: write, contents: read, pull-requests: read);
GITHUB_API_URL for GitHub Enterprise Server (default https://api.github.com).
Exit status: 0 no failing finding, 1 the check run failed, 2 usage, access or I/O error.`,
  run: async (parsed, io) => {
    // Token mode talks to GitHub through Octokit, which the light package leaves to the user.
    const missing = TOKEN_MODE_PACKAGES.filter((name) => !resolvable(name));
    if (missing.length) {
      io.err(
        `lbguard: lbguard review needs ${missing.join(', ')}, which the lbguard package does not install (lbguard check needs none of them). Install them beside it: npm install --global lbguard ${TOKEN_MODE_PACKAGES.join(' ')}\n`,
      );
      return 2;
    }
    return (await import('./review.ts')).review(parsed.values, io);
  },
});

const rules = defineCommand({
  name: 'rules',
  summary: 'list every rule: id, default severity, what it finds',
  options: rulesOptions,
  run: async (parsed, io) => (await import('./rules.ts')).rules(parsed, io),
});

const explain = defineCommand({
  name: 'explain',
  summary: 'explain one rule: why it matters, what to do, evidence, fix',
  args: [{ name: '<rule>', description: 'a rule id, as lbguard rules lists them' }],
  options: rulesOptions,
  run: async (parsed, io) => (await import('./rules.ts')).explain(parsed, io),
});

const scopesOptions = { config, format: listFormat } satisfies Record<string, OptionSpec>;
export type ScopesInput = Parsed<typeof scopesOptions>;

const scopes = defineCommand({
  name: 'scopes',
  summary: 'which clusters (scopes) lbguard checks apart, why, and the files of each',
  args: [{ name: '[path]', description: 'the repository folder (default .)' }],
  options: scopesOptions,
  run: async (parsed, io) => (await import('./scopes.ts')).scopes(parsed, io),
});

const routesOptions = {
  base: {
    type: 'string',
    value: 'ref',
    description:
      'also read the tree at git REF (or a folder) and show what the change adds, withdraws and re-tags',
  },
  config,
  format: {
    type: 'string',
    value: 'format',
    description: 'text or json',
    choices: ['text', 'json'],
    default: 'text',
  },
} satisfies Record<string, OptionSpec>;

const routes = defineCommand({
  name: 'routes',
  summary: 'the routes each scope announces to which BGP peer (and, with --base, what changes)',
  args: [{ name: '[path...]', description: 'the repository folder (default .), as for check' }],
  options: routesOptions,
  run: async (parsed, io) => (await import('./routes.ts')).routes(parsed, io),
});

export const COMMANDS: readonly CommandSpec[] = [check, fix, scopes, review, routes, rules, explain];
