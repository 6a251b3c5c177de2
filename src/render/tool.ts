// Who we are, for SARIF's tool.driver, `--version` and rule help links: one place.
import pkg from '../../package.json' with { type: 'json' };

type PackageJson = {
  name: string;
  version: string;
  homepage?: string;
  repository?: string | { url?: string };
};

const meta: PackageJson = pkg;

function repositoryUrl(p: PackageJson): string {
  const raw = typeof p.repository === 'string' ? p.repository : p.repository?.url;
  const fromRepo = raw?.replace(/^git\+/, '').replace(/\.git$/, '');
  // Until package.json names the repository, links point at the project's expected home.
  return fromRepo?.startsWith('https://') ? fromRepo : (p.homepage ?? 'https://github.com/lbguard/lbguard');
}

export const TOOL = {
  name: meta.name,
  version: meta.version,
  informationUri: repositoryUrl(meta),
};

/** docs/rules.md is generated with one heading per rule id, so the id is the anchor. */
export const ruleHelpUri = (id: string): string => `${TOOL.informationUri}/blob/main/docs/rules.md#${id}`;
