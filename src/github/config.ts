// The App's config: an object from context.config (org fallback and `_extends` already followed),
// or the text of the PR's own .github/lbguard.yml. Both go through the one schema in src/config.ts.
import type { Octokit } from '@octokit/core';
import { config as configPlugin } from '@probot/octokit-plugin-config';
import { stringify } from 'yaml';
import { RULE_IDS } from '../checks/index.ts';
import { CONFIG_PATH, DEFAULT_CONFIG, type ParsedConfig, parseConfig } from '../config.ts';
import { isRecord, type SourceFile, textOf } from '../manifests/load.ts';
import { statusOf } from './octokit.ts';
import type { RepoRef } from './tree.ts';

/**
 * Validates a config object exactly as the CLI validates the file. The object was merged from one
 * or more files, so positions are those of its YAML rendering; the message names the key anyway.
 */
export function configFromObject(raw: unknown, file = CONFIG_PATH): ParsedConfig {
  if (raw === null || raw === undefined) return { config: DEFAULT_CONFIG, reports: [], raw: undefined };
  const parsed = parseConfig(stringify(raw), file, RULE_IDS);
  // Positions in a rendering of a merged object point nowhere real: anchor them at the file's top.
  return {
    ...parsed,
    reports: parsed.reports.map((r) => ({ ...r, line: 1, column: 1, endLine: 1, endColumn: 1 })),
  };
}

/**
 * Which config a review uses. The PR's own config file wins when it stands alone (so a PR that
 * changes the config is checked with it, with exact positions); one that `_extends` another, or a
 * repository without one, uses the merged object from the default branch and the org.
 * `fromMerged` is that object already validated, for a caller that has it (saves a YAML round trip).
 */
export function chooseConfig(
  headFiles: readonly SourceFile[],
  merged: unknown,
  problem?: string,
  fromMerged: ParsedConfig = configFromObject(merged),
): ParsedConfig {
  const own = headFiles.find((f) => f.path === CONFIG_PATH);
  if (own) {
    const parsed = parseConfig(textOf(own), CONFIG_PATH, RULE_IDS);
    if (!parsed.raw?._extends) return parsed;
  }
  if (!problem) return fromMerged;
  const at = { file: CONFIG_PATH, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return {
    ...fromMerged,
    reports: [
      ...fromMerged.reports,
      { ...at, rule: 'config', message: `The config could not be read: ${problem}` },
    ],
  };
}

/** The config a review starts from, read from the default branch through GitHub's API. */
export type RepoConfig = {
  /** Merged config object (the repository's file, else the org's `.github` repo, `_extends` followed); null when none. */
  merged: unknown;
  /**
   * The repository itself has a config file: it opted in, so it gets a run even when nothing it
   * holds is watched. An org default alone does not opt every repository of an org-wide install in.
   */
  own: boolean;
  /** A config file could not be read as YAML: a `config` finding, not a silent skip. */
  problem?: string;
};

/**
 * Reads `.github/lbguard.yml` as Probot's `context.config` does (the repository, then the org's
 * `.github` repository, following `_extends`, merged with Probot's deep merge), but also says
 * whose file it was. The App and token mode both use it, so they read config identically.
 */
export async function readRepoConfig(octokit: Octokit, where: RepoRef): Promise<RepoConfig> {
  try {
    const { config, files } = await configPlugin(octokit).config.get({
      ...where,
      path: CONFIG_PATH,
      defaults: (configs) => configs.reduce<Record<string, unknown>>((a, b) => deepMerge(a, b), {}),
    });
    const found = files.filter((f) => f.config !== null);
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    return {
      merged: found.length ? config : null,
      own: found.some((f) => same(f.owner, where.owner) && same(f.repo, where.repo)),
    };
  } catch (e) {
    // The plugin throws on a file that is not YAML (an HTTP failure keeps its status and is rethrown).
    if (statusOf(e) !== undefined) throw e;
    const message = (e as Error).message;
    // Only a broken file of this repository opts it in; a broken org default must not make
    // every repository of the organisation get a run. The plugin's message names the file's URL.
    const own = message.toLowerCase().includes(`/repos/${where.owner}/${where.repo}/`.toLowerCase());
    return { merged: null, own, problem: message.replace(/^\[[^\]]+\] /, '') };
  }
}

/** deepmerge's defaults, as Probot applies them to config files: objects merge, arrays concatenate. */
export function deepMerge(a: unknown, b: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
    const prev = out[k];
    if (Array.isArray(prev) && Array.isArray(v)) out[k] = [...prev, ...v];
    else if (isRecord(prev) && isRecord(v)) out[k] = deepMerge(prev, v);
    else out[k] = v;
  }
  return out;
}
