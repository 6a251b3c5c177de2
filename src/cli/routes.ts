// `lbguard routes`: what each scope announces to which BGP peer, and with --base what the change
// adds, withdraws and re-tags. Same reading of the repository as `check`, same engine.
import { analyze } from '../engine.ts';
import { type RoutesReport, renderRoutesJson } from '../render/routes-json.ts';
import { renderRoutesText } from '../render/routes-text.ts';
import { diffPeerCounts, diffRoutes } from '../route-diff.ts';
import { type Io, loadRepository, readBase } from './main.ts';

export const ROUTE_FORMATS = { text: renderRoutesText, json: renderRoutesJson } as const;
export type RouteFormat = keyof typeof ROUTE_FORMATS;

export type RoutesInput = {
  positionals: string[];
  values: { base?: string | undefined; config?: string | undefined; format?: string | undefined };
};

/** Exit 0 with the table (and changes); 2 on a usage or I/O error, which the caller prints. */
export async function routes({ values, positionals }: RoutesInput, io: Io): Promise<number> {
  const format = (values.format ?? 'text') as string;
  if (!Object.hasOwn(ROUTE_FORMATS, format))
    throw new Error(`unknown format "${format}" for routes (use ${Object.keys(ROUTE_FORMATS).join(', ')})`);
  const repo = await loadRepository(positionals, values.config);
  const head = analyze(repo.files, { config: repo.config, configReports: repo.configReports });
  const report: RoutesReport = { scopes: head.routes };
  if (values.base !== undefined) {
    const base = analyze(await readBase(repo, values.base), { config: repo.config });
    report.changes = diffRoutes(head.routes, base.routes);
    report.peerChanges = diffPeerCounts(head.routes, base.routes);
  }
  io.out(ROUTE_FORMATS[format as RouteFormat](report));
  return 0;
}
