// `lbguard check`: thin over the engine. Exit 0 clean, 1 error-level findings, 2 usage or I/O.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RULE_IDS } from '../checks/index.ts';
import { CONFIG_PATH, type Config, DEFAULT_CONFIG, parseConfig } from '../config.ts';
import { type Analysis, analyze } from '../engine.ts';
import type { Report } from '../findings.ts';
import type { SourceFile } from '../manifests/load.ts';
import { renderJson } from '../render/json.ts';
import { renderText } from '../render/text.ts';
import { isDirectory, readWorkingTree } from './tree.ts';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

const USAGE = `Usage: lbguard check [PATH...] [--base REF] [--config FILE] [--format text|json|sarif|github]

Checks that PureLB ServiceGroups and Calico BGP configuration agree.
  PATH          a repository folder (default .); its .github/lbguard.yml is the config
  --base REF    also check the tree at git REF and mark each finding new or existing
  --config FILE use this config file instead of .github/lbguard.yml
  --format F    text (default), json, sarif or github (workflow commands)
Exit status: 0 no error-level finding, 1 error-level findings, 2 usage or I/O error.`;

export type Io = { out: (s: string) => void; err: (s: string) => void; isTTY: boolean };

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};

export class UsageError extends Error {}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === 'check') return await check(rest, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`lbguard: ${(e as Error).message}\n${USAGE}\n`);
    } else io.err(`lbguard: ${(e as Error).message}\n`);
    return 2;
  }
}

export type Loaded = { root: string; files: SourceFile[]; config: Config; configReports: Report[] };

/** Reads the repository folder and its config: shared by every command. */
export function loadRepository(paths: string[], configFile: string | undefined): Loaded {
  if (paths.length > 1) throw new UsageError('give one repository folder (several paths are not supported yet)');
  const root = resolve(paths[0] ?? '.');
  if (!isDirectory(root)) throw new UsageError(`${paths[0]} is not a folder`);
  const configPath = configFile ? resolve(configFile) : resolve(root, CONFIG_PATH);
  let config = DEFAULT_CONFIG;
  let configReports: Report[] = [];
  if (configFile && !existsSync(configPath)) throw new Error(`config file ${configFile} not found`);
  if (existsSync(configPath)) {
    const parsed = parseConfig(readFileSync(configPath, 'utf8'), configFile ?? CONFIG_PATH, RULE_IDS);
    config = parsed.config;
    configReports = parsed.reports;
  }
  return { root, files: readWorkingTree(root), config, configReports };
}

async function check(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      base: { type: 'string' },
      config: { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format "${values.format}"`);
  const repo = loadRepository(positionals, values.config);
  const analysis = analyze(repo.files, { config: repo.config, configReports: repo.configReports });
  const sources = new Map(repo.files.map((f) => [f.path, f]));
  io.out(
    render(analysis, format, {
      color: io.isTTY,
      source: (file) => {
        const f = sources.get(file);
        return f ? Buffer.from(f.bytes).toString('utf8') : undefined;
      },
    }),
  );
  return analysis.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function render(a: Analysis, format: Format, text: Parameters<typeof renderText>[1]): string {
  switch (format) {
    case 'json':
      return renderJson(a);
    case 'text':
      return renderText(a, text);
    default:
      throw new UsageError(`format ${format} is not available yet`);
  }
}
