// Shared test helpers: run the engine over in-memory files or a fixture folder.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { RULE_IDS } from '../src/checks/index.ts';
import { CONFIG_PATH, type Config, DEFAULT_CONFIG, parseConfig } from '../src/config.ts';
import { type Analysis, analyze } from '../src/engine.ts';
import type { Finding } from '../src/findings.ts';
import type { SourceFile } from '../src/manifests/load.ts';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export const toFiles = (files: Record<string, string>): SourceFile[] =>
  Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text, 'utf8') }));

/** Analyze in-memory files; a `.github/lbguard.yml` among them is parsed as the config. */
export function analyzeFiles(files: Record<string, string>, config?: Partial<Config>): Analysis {
  const configText = files[CONFIG_PATH];
  const parsed = configText !== undefined ? parseConfig(configText, CONFIG_PATH, RULE_IDS) : undefined;
  return analyze(toFiles(files), {
    config: { ...(parsed?.config ?? DEFAULT_CONFIG), ...config },
    configReports: parsed?.reports ?? [],
  });
}

export function readFixture(dir: string): Record<string, string> {
  const root = join(FIXTURES, dir);
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p).split(sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

export const analyzeFixture = (dir: string, config?: Partial<Config>): Analysis =>
  analyzeFiles(readFixture(dir), config);

export const withRule = (a: Analysis, rule: string): Finding[] => a.findings.filter((f) => f.rule === rule);

/** file:line:column of each finding, for exact-position assertions. */
export const where = (fs: readonly Finding[]): string[] => fs.map((f) => `${f.file}:${f.line}:${f.column}`);
