// Files -> resources. Cheap text checks first; the `yaml` parser (slow, but it keeps
// positions) runs only on documents that can hold a watched kind.
import { LineCounter, parseDocument } from 'yaml';
import { fileSpan, type Report } from '../findings.ts';
import { SourceDoc } from './document.ts';
import { type Resource, splitApiVersion, WATCHED, watchPattern } from './resource.ts';

export type SourceFile = { path: string; bytes: Uint8Array };

export type LoadLimits = {
  /** Larger files are skipped with `file-skipped`. */
  maxFileBytes: number;
  /** YAML aliases expanded per document before it counts as an alias bomb. */
  maxAliasCount: number;
};

export const DEFAULT_LIMITS: LoadLimits = { maxFileBytes: 2 * 1024 * 1024, maxAliasCount: 100 };

export type Loaded = {
  resources: Resource[];
  reports: Report[];
  /** Every parsed document (watched or not) for modules that read other kinds (Flux, Argo CD). */
  others: { doc: SourceDoc; data: Record<string, unknown> }[];
  stats: { files: number; bytes: number; documents: number; parsed: number };
};

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
export const TEMPLATE_EXTENSIONS = ['.j2', '.jinja', '.jinja2', '.tpl', '.gotmpl', '.tmpl'];

export const isManifestPath = (p: string): boolean => MANIFEST_EXTENSIONS.some((e) => p.endsWith(e));
export const isTemplatePath = (p: string): boolean =>
  TEMPLATE_EXTENSIONS.some((e) => p.endsWith(e) || p.includes(`${e}.`));

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');
// Go/Helm template actions; `${VAR}` (Flux) is not a template.
const TEMPLATE = /\{\{[\s\S]*?\}\}/;
// A document marker at column 0 ends a document even inside a block scalar.
const DOC_MARKER = /^---(?:[ \t].*)?$/gm;

type Chunk = { text: string; lineOffset: number };

function splitDocuments(text: string): Chunk[] {
  const starts = [0];
  DOC_MARKER.lastIndex = 0;
  for (let m = DOC_MARKER.exec(text); m; m = DOC_MARKER.exec(text)) if (m.index > 0) starts.push(m.index);
  const chunks: Chunk[] = [];
  let line = 0;
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i]!;
    const to = starts[i + 1] ?? text.length;
    const chunk = text.slice(from, to);
    if (/[^\s-]/.test(chunk)) chunks.push({ text: chunk, lineOffset: line });
    line += countNewlines(chunk);
  }
  return chunks;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export function loadFiles(
  files: readonly SourceFile[],
  limits: LoadLimits = DEFAULT_LIMITS,
  extraWords: readonly string[] = [],
): Loaded {
  const watched = watchPattern(extraWords);
  const out: Loaded = { resources: [], reports: [], others: [], stats: { files: 0, bytes: 0, documents: 0, parsed: 0 } };
  for (const f of files) {
    const templ = isTemplatePath(f.path);
    if (!templ && !isManifestPath(f.path)) continue;
    out.stats.files++;
    out.stats.bytes += f.bytes.byteLength;
    if (f.bytes.byteLength > limits.maxFileBytes) {
      if (watched.test(latin1.decode(f.bytes.subarray(0, 1 << 20)))) {
        out.reports.push({
          ...fileSpan(f.path),
          rule: 'file-skipped',
          message: `Not read: ${f.bytes.byteLength} bytes is over the ${limits.maxFileBytes}-byte limit.`,
        });
      }
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(f.bytes);
    } catch {
      if (watched.test(latin1.decode(f.bytes))) {
        out.reports.push({ ...fileSpan(f.path), rule: 'file-skipped', message: 'Not read: the file is not UTF-8.' });
      }
      continue;
    }
    if (!watched.test(text)) continue;
    if (templ || TEMPLATE.test(text)) {
      out.reports.push({
        ...fileSpan(f.path),
        rule: 'template-skipped',
        message: 'Skipped: this file is a template ({{ ... }}); lbguard checks rendered manifests only.',
      });
      continue;
    }
    loadText(f.path, text, limits, watched, out);
  }
  return out;
}

function loadText(path: string, text: string, limits: LoadLimits, watched: RegExp, out: Loaded): void {
  for (const chunk of splitDocuments(text)) {
    out.stats.documents++;
    if (!watched.test(chunk.text)) continue;
    out.stats.parsed++;
    const lc = new LineCounter();
    const doc = parseDocument(chunk.text, { lineCounter: lc, prettyErrors: false, keepSourceTokens: false });
    const sdoc = new SourceDoc(path, doc, lc, chunk.lineOffset, chunk.text);
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0] ?? { line: 1, col: 1 };
      const line = pos.line + chunk.lineOffset;
      out.reports.push({
        file: path,
        line,
        column: pos.col,
        endLine: line,
        endColumn: pos.col + 1,
        rule: 'yaml-syntax',
        message: `YAML does not parse: ${err.message.split('\n')[0]}`,
        value: err.code,
      });
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (e) {
      out.reports.push({
        ...fileSpan(path),
        line: chunk.lineOffset + 1,
        endLine: chunk.lineOffset + 1,
        rule: 'file-skipped',
        message: `Not read: ${(e as Error).message} (alias limit ${limits.maxAliasCount}).`,
      });
      return;
    }
    if (!isRecord(data)) continue;
    const resource = toResource(sdoc, data);
    if (resource) out.resources.push(resource);
    else out.others.push({ doc: sdoc, data });
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function toResource(doc: SourceDoc, data: Record<string, unknown>): Resource | undefined {
  const { kind, apiVersion } = data;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') return undefined;
  const { group, version } = splitApiVersion(apiVersion);
  if (!WATCHED[kind]?.includes(group)) return undefined;
  const meta = isRecord(data.metadata) ? data.metadata : {};
  const annotations: Record<string, string> = {};
  if (isRecord(meta.annotations)) {
    for (const [k, v] of Object.entries(meta.annotations)) if (typeof v === 'string') annotations[k] = v;
  }
  const resource: Resource = {
    kind,
    apiVersion,
    group,
    version,
    name: typeof meta.name === 'string' ? meta.name : '',
    file: doc.file,
    doc,
    data,
    annotations,
  };
  if (typeof meta.namespace === 'string') resource.namespace = meta.namespace;
  return resource;
}
