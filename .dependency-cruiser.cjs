// The import boundaries of architecture.md, checked in CI (.ci/run): one engine that knows
// nothing of GitHub, the file system or the output formats; fixes that apply data and import no
// rule; renderers that never call the API; and no import cycle anywhere.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'An import cycle makes load order matter and couples what should be layers. Type-only imports are erased before run time and may close a loop (the section-A ids typed in the readers); so may a command the CLI loads on demand (import()) that uses the CLI helpers, since it runs after they are loaded.',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'dynamic-import'] } },
    },
    {
      name: 'fixes-import-no-rule',
      severity: 'error',
      comment: 'Rules build their fixes as data; fixes/ only plans and applies them.',
      from: { path: '^src/fixes/' },
      to: { path: '^src/checks/' },
    },
    {
      name: 'engine-knows-no-front-door',
      severity: 'error',
      comment:
        'The engine and the rules take files and a config and return findings: no GitHub, no output format, no CLI.',
      from: {
        path: '^src/(engine|findings|compare|config|route-diff)[.]ts$|^src/(checks|manifests|gitops|net|fixes)/',
      },
      to: { path: '^src/(github|render|cli)/|^src/(app|server)[.]ts$' },
    },
    {
      name: 'render-calls-no-api',
      severity: 'error',
      comment: 'Renderers turn an analysis into text; talking to GitHub is github/.',
      from: { path: '^src/render/' },
      to: { path: '^src/github/|^src/(app|server)[.]ts$|node_modules/(@octokit|probot)/|^(node:)?https?$' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve would fail at run time.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count for the boundaries (fixes/ may not even name a rule's type).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
    },
  },
};
