// The App's config: an object from context.config (org fallback and `_extends` already followed),
// or the text of the PR's own .github/lbguard.yml. Both go through the one schema in src/config.ts.
import { stringify } from 'yaml';
import { RULE_IDS } from '../checks/index.ts';
import { CONFIG_PATH, DEFAULT_CONFIG, type ParsedConfig, parseConfig } from '../config.ts';
import type { SourceFile } from '../manifests/load.ts';

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
 */
export function chooseConfig(headFiles: readonly SourceFile[], merged: unknown): ParsedConfig {
  const own = headFiles.find((f) => f.path === CONFIG_PATH);
  if (own) {
    const text = Buffer.from(own.bytes).toString('utf8');
    const parsed = parseConfig(text, CONFIG_PATH, RULE_IDS);
    if (!parsed.raw?._extends) return parsed;
  }
  return configFromObject(merged);
}
