// Files -> resources. Cheap text checks first; the `yaml` parser (slow, but it keeps
// positions) runs only on documents that can hold a watched kind.
import { type Alias, LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { InputRuleId } from '../checks/input.ts';
import { fileSpan, type Report } from '../findings.ts';
import { decodeManifest } from './decode.ts';
import { type Locator, SourceDoc, within } from './document.ts';
import { ownPattern, type Resource, splitApiVersion, WATCH_WORDS, WATCHED } from './resource.ts';
import { MAX_FLOW_DEPTH, mayHaveAnchors, selfAlias, spanOfRange, tooDeep, yamlOptions } from './yaml.ts';

export type SourceFile = {
  path: string;
  bytes: Uint8Array;
  /** The file's size when `bytes` holds only its start (a file far over any size limit). */
  size?: number;
  /** Why the file could not be read at all (permissions, say): a `file-skipped`, never silence. */
  unreadable?: string;
};

/** A file's text (invalid UTF-8 becomes U+FFFD), decoded in place: no copy of its bytes. */
export const textOf = (f: SourceFile): string =>
  Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength).toString('utf8');

/** A reader over a tree's files by path: the text of one, or undefined when the tree lacks it. */
export function textReader(files: readonly SourceFile[]): (file: string) => string | undefined {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return (file) => {
    const f = byPath.get(file);
    return f ? textOf(f) : undefined;
  };
}

export type LoadLimits = {
  /** Larger files are skipped with `file-skipped`. */
  maxFileBytes: number;
  /** YAML aliases expanded per document before it counts as an alias bomb. */
  maxAliasCount: number;
};

export const DEFAULT_LIMITS: LoadLimits = { maxFileBytes: 2 * 1024 * 1024, maxAliasCount: 100 };

export type Loaded = {
  resources: Resource[];
  reports: Report<InputRuleId>[];
  /** Every parsed document (watched or not) for modules that read other kinds (Flux, Argo CD). */
  others: { doc: SourceDoc; data: Record<string, unknown> }[];
  /**
   * `parsed`: documents read into data; `checked`: other documents of files holding a watched
   * kind, only parse-checked for yaml-syntax.
   */
  stats: {
    files: number;
    bytes: number;
    documents: number;
    parsed: number;
    checked: number;
    /** Template documents skipped without a notice: nothing in them could be a watched kind. */
    templates: number;
  };
};

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
export const TEMPLATE_EXTENSIONS = ['.j2', '.jinja', '.jinja2', '.tpl', '.gotmpl', '.tmpl'];

/** Where the stream `lbguard check -` reads is reported: a manifest whatever its name. */
export const STDIN_PATH = '<stdin>';

export const isManifestPath = (p: string): boolean =>
  MANIFEST_EXTENSIONS.some((e) => p.endsWith(e)) || p === STDIN_PATH;
// One regex, not a loop building strings: this runs on every path of the tree.
const TEMPLATE_PATH = new RegExp(
  `(?:${TEMPLATE_EXTENSIONS.map((e) => e.replace('.', '\\.')).join('|')})(?:$|\\.)`,
);
/** `x.j2`, `x.tpl`, and also `x.j2.yaml` or `x.tpl.yml`. */
export const isTemplatePath = (p: string): boolean => TEMPLATE_PATH.test(p);

/**
 * Files a tree reader hands to the engine: manifests, templates (to say they were skipped), and
 * kustomize env files (`configMapGenerator` envs feed Flux substitution; never parsed as YAML).
 */
export const isInputPath = (p: string): boolean =>
  isManifestPath(p) || isTemplatePath(p) || p.endsWith('.env');

const latin1 = new TextDecoder('latin1');

/**
 * A Helm/Go template action: `{{ .Values.x }}`, `{{- if ... }}`, `{{ include ... }}`, `{{ $x := ... }}`.
 * Prometheus alert text (`{{ $labels.instance }}`, `{{ $value }}`) is a plain string to Kubernetes,
 * so it does not make a file a template. Flux `${VAR}` is not a template either.
 */
const TEMPLATE =
  /\{\{-?\s*(?:\.|\$\.|\$\w*\s*:?=|\/\*|(?:if|else|end|range|with|define|template|include|block|toYaml|tpl|required|printf|lookup)\b)/;

/**
 * Every document marker (`---` or `...` at column 0) and every one of `words`, in one pass:
 * the pattern `scanDocuments` expects.
 */
export function documentScanner(words: readonly string[]): RegExp {
  // An empty word would match everywhere (and never advance); no words at all matches none.
  const alternatives = words.filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const word = alternatives.length ? `\\b(?:${alternatives.join('|')})\\b` : '(?!)';
  // Not `^` with the m flag: that also matches after U+2028, which is no line break in YAML.
  return new RegExp(`(?<![^\\n])(?:---|\\.\\.\\.)(?=[ \\t\\r\\n]|$)|${word}`, 'g');
}

const NONBLANK = /\S/g;

/** A document of a file that mentions a watched word, with the lines before it in the file. */
export type Chunk = { from: number; to: number; lineOffset: number };

export type Scan = { documents: number; watched: Chunk[] };

/**
 * Splits `text` into documents and keeps those that mention a watched word (every non-blank
 * one with `keepAll`, at the same cost: line offsets are counted once either way). One regex pass
 * finds both; line offsets are counted only up to the documents kept. A document marker at
 * column 0 ends a document even inside a block scalar (YAML 1.2, 9.1.4), so a text split is exact.
 */
export function scanDocuments(text: string, scanner: RegExp, keepAll = false): Scan {
  // Without the g flag exec() would return the first match forever.
  const pattern = scanner.global ? scanner : new RegExp(scanner.source, `${scanner.flags}g`);
  const starts: number[] = [0];
  const hits: boolean[] = [false];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const c = m[0].charCodeAt(0);
    if (c === 45 /* - */ && m[0] === '---') {
      if (m.index > 0 && !onlyDirectives(text, starts.at(-1)!, m.index)) {
        starts.push(m.index);
        hits.push(false);
      }
    } else if (c === 46 /* . */ && m[0] === '...') {
      // `...` ends the document; the next one starts on the following line.
      const nl = text.indexOf('\n', m.index);
      if (nl < 0) break;
      starts.push(nl + 1);
      hits.push(false);
      pattern.lastIndex = nl + 1;
    } else hits[hits.length - 1] = true;
  }
  const watched: Chunk[] = [];
  let documents = 0;
  let line = 0;
  let counted = 0;
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i]!;
    const to = starts[i + 1] ?? text.length;
    NONBLANK.lastIndex = text.startsWith('---', from) ? from + 3 : from;
    const content = NONBLANK.exec(text);
    if (!content || content.index >= to) continue;
    documents++;
    if (!hits[i] && !keepAll) continue;
    for (let j = text.indexOf('\n', counted); j >= 0 && j < from; j = text.indexOf('\n', j + 1)) line++;
    counted = from;
    watched.push({ from, to, lineOffset: line });
  }
  return { documents, watched };
}

/**
 * `%YAML 1.2` (or `%TAG`) lines before a `---` belong to the document that marker starts, not to a
 * document of their own (which would not parse without its body).
 */
function onlyDirectives(text: string, from: number, to: number): boolean {
  if (text.charCodeAt(from) !== 37 /* % */ && !text.slice(from, to).includes('\n%')) return false;
  return text
    .slice(from, to)
    .split('\n')
    .every((l) => /^(?:%|\s*#|\s*$)/.test(l));
}

export function loadFiles(
  files: readonly SourceFile[],
  limits: LoadLimits = DEFAULT_LIMITS,
  extraWords: readonly string[] = [],
): Loaded {
  const pattern = documentScanner([...WATCH_WORDS, ...extraWords]);
  // Extra words (Flux, Argo CD kinds) make a document worth reading, but only a kind lbguard
  // checks makes its problems (does not parse, too big, not UTF-8) ours to report: not another
  // controller's pool, read only for its presence.
  const ours = ownPattern();
  const out: Loaded = {
    resources: [],
    reports: [],
    others: [],
    stats: { files: 0, bytes: 0, documents: 0, parsed: 0, checked: 0, templates: 0 },
  };
  for (const f of files) {
    const templ = isTemplatePath(f.path);
    if (!templ && !isManifestPath(f.path)) continue;
    out.stats.files++;
    const size = f.size ?? f.bytes.byteLength;
    out.stats.bytes += size;
    if (f.unreadable !== undefined) {
      // Nothing of it was read, so nothing says it holds no watched kind.
      out.reports.push({ ...fileSpan(f.path), rule: 'file-skipped', message: `Not read: ${f.unreadable}.` });
      continue;
    }
    if (size > limits.maxFileBytes) {
      const head = f.bytes.subarray(0, 1 << 20);
      if (ours.test(latin1.decode(head)) || ours.test(decodeManifest(head)?.text ?? '')) {
        out.reports.push({
          ...fileSpan(f.path),
          rule: 'file-skipped',
          message: `Not read: ${size} bytes is over the ${limits.maxFileBytes}-byte limit (limits.maxFileBytes).`,
        });
      }
      continue;
    }
    const text = decodeManifest(f.bytes)?.text;
    if (text === undefined) {
      if (ours.test(latin1.decode(f.bytes))) {
        out.reports.push({
          ...fileSpan(f.path),
          rule: 'file-skipped',
          message: 'Not read: the file is neither UTF-8 nor UTF-16 (what kubectl reads manifests as).',
        });
      }
      continue;
    }
    const scan = scanDocuments(text, pattern);
    out.stats.documents += scan.documents;
    if (scan.watched.length === 0) continue;
    if (templ) {
      // Jinja and friends can make anything of the file: none of it is read.
      if (mayHoldWatched(text, ours)) {
        out.reports.push({
          ...fileSpan(f.path),
          rule: 'template-skipped',
          message: 'Skipped: this file is a template; lbguard checks rendered manifests only.',
        });
      } else out.stats.templates += scan.watched.length;
      continue;
    }
    const plain = text.includes('{{')
      ? skipTemplates(f.path, text, scan.watched, scan.documents, ours, out)
      : scan.watched;
    loadChunks(f.path, text, plain, limits, ours, out);
    if (ours.test(text)) checkOtherDocuments(f.path, text, scan.watched, pattern, out);
  }
  return out;
}

/** Where a line's comment starts: a `#` at its start or after a blank, outside quotes; -1 for none. */
function commentStart(line: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return i;
  }
  return -1;
}

/** The text without its YAML comments. */
const withoutComments = (source: string): string =>
  source
    .split('\n')
    .map((line) => {
      const at = line.includes('#') ? commentStart(line) : -1;
      return at < 0 ? line : line.slice(0, at);
    })
    .join('\n');

/**
 * Whether a document holds a template action outside comments: `# {{ include ... }}` in a comment is
 * text, not a template.
 */
export function hasTemplateAction(source: string): boolean {
  const re = new RegExp(TEMPLATE.source, 'g');
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const lineStart = source.lastIndexOf('\n', m.index - 1) + 1;
    const at = commentStart(source.slice(lineStart, m.index));
    if (at < 0) return true;
  }
  return false;
}

/** A PureLB or tigera-operator chart host, named in a document's text. */
const WATCHED_CHART = /\b(?:purelb|tigera-operator)\b/;
/** A document that installs a chart. lbguard renders only PureLB's and tigera-operator's. */
const CHART_HOST = /^\s*kind:\s*["']?(?:HelmRelease|Application|ApplicationSet|HelmChart|HelmChartConfig)\b/m;

/**
 * Whether a text could hold a watched kind (or a chart that creates one). Comments say nothing,
 * and neither do another chart's values (a LoadBalancer Service in app-template's): lbguard never
 * renders that chart, templated or not.
 */
export function mayHoldWatched(text: string, ours: RegExp): boolean {
  const code = withoutComments(text);
  if (WATCHED_CHART.test(code)) return true;
  return !CHART_HOST.test(code) && ours.test(code);
}

/**
 * Templated documents are skipped, each on its own: the file's plain documents are still read. One
 * notice per file, at the first templated document that could hold a watched kind; templated
 * documents that could not are only counted (most in a GitOps repository are other charts').
 */
function skipTemplates(
  path: string,
  text: string,
  chunks: readonly Chunk[],
  documents: number,
  ours: RegExp,
  out: Loaded,
): Chunk[] {
  const plain: Chunk[] = [];
  let noticed: Report<InputRuleId> | undefined;
  let watched = 0;
  for (const chunk of chunks) {
    const source = text.slice(chunk.from, chunk.to);
    if (!hasTemplateAction(source)) {
      plain.push(chunk);
      continue;
    }
    if (!mayHoldWatched(source, ours)) {
      out.stats.templates++;
      continue;
    }
    watched++;
    if (noticed) continue;
    // At the document's first content line: not its marker, not a comment above it.
    const lines = source.split('\n');
    const first = lines.findIndex((l) => !/^(?:---|\.\.\.)?\s*(?:#.*)?$/.test(l));
    const line = chunk.lineOffset + Math.max(0, first) + 1;
    noticed = {
      file: path,
      line,
      column: 1,
      endLine: line,
      endColumn: 1,
      rule: 'template-skipped',
      message: '',
    };
    out.reports.push(noticed);
  }
  if (noticed) {
    const what =
      watched > 1 ? `${watched} documents of this file are templates` : 'this document is a template';
    noticed.message = `Skipped: ${what} ({{ ... }}); lbguard checks rendered manifests only.${documents > watched ? " The file's other documents were checked." : ''}`;
  }
  return plain;
}

/**
 * A broken document anywhere in a file that holds a watched kind breaks that file for Flux and
 * kubectl (they apply all of a file's documents or none), so the watched resources never reach
 * the cluster. Those files are few, so their other documents are parse-checked too; the data is
 * not kept, and a file of workloads alone stays unparsed.
 */
function checkOtherDocuments(
  path: string,
  text: string,
  watched: readonly Chunk[],
  pattern: RegExp,
  out: Loaded,
): void {
  const done = new Set(watched.map((c) => c.from));
  for (const chunk of scanDocuments(text, pattern, true).watched) {
    if (done.has(chunk.from)) continue;
    const source = text.slice(chunk.from, chunk.to);
    // A templated document is not YAML until rendered; whoever renders it applies the result.
    if (source.includes('{{') && hasTemplateAction(source)) continue;
    out.stats.checked++;
    const lc = new LineCounter();
    const deep = tooDeep(source);
    if (deep !== undefined) {
      out.reports.push(deepReport(path, source, deep, chunk.lineOffset));
      continue;
    }
    const err = parseDocument(source, yamlOptions(lc)).errors[0];
    if (err) out.reports.push(otherSyntaxReport(path, source, lc, err, chunk.lineOffset));
  }
}

/** yaml-syntax in a document that is not itself watched: say why it still matters. */
function otherSyntaxReport(
  path: string,
  source: string,
  lc: LineCounter,
  err: YAMLError,
  lineOffset: number,
): Report<InputRuleId> {
  const kind = /^kind:[ \t]*([\w.-]+)/m.exec(source)?.[1];
  return {
    ...syntaxReport(path, lc, err, lineOffset),
    message: `YAML does not parse in ${kind ? `this ${kind} document` : 'a document'} of a file that holds PureLB or Calico resources: Flux and kubectl reject the whole file, so those are not applied either. ${err.message.split('\n')[0]}`,
  };
}

function syntaxReport(
  path: string,
  lc: LineCounter,
  err: YAMLError,
  lineOffset: number,
): Report<InputRuleId> {
  const pos = lc.linePos(err.pos[0]);
  const line = pos.line + lineOffset;
  return {
    file: path,
    line,
    column: pos.col,
    endLine: line,
    endColumn: pos.col + 1,
    rule: 'yaml-syntax',
    message: `YAML does not parse: ${err.message.split('\n')[0]}`,
    value: err.code,
  };
}

/** yaml-syntax at an alias inside the node it names: kubectl rejects it, lbguard never expands it. */
function cycleReport(file: string, lc: LineCounter, alias: Alias, lineOffset: number): Report<InputRuleId> {
  return {
    ...spanOfRange(file, lc, alias.range, lineOffset),
    rule: 'yaml-syntax',
    message: `YAML does not parse: the alias *${alias.source} refers to a node that contains it (an infinite value; kubectl rejects "anchor value contains itself"), so this document is not read.`,
    value: 'ALIAS_CYCLE',
  };
}

/** yaml-syntax where flow nesting passes MAX_FLOW_DEPTH; the document is not parsed. */
function deepReport(file: string, source: string, at: number, lineOffset: number): Report<InputRuleId> {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = source.indexOf('\n'); i >= 0 && i < at; i = source.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return {
    ...spanOfRange(file, lc, [at, at + 1], lineOffset),
    rule: 'yaml-syntax',
    message: `YAML does not parse: flow collections ([ or {) nest deeper than ${MAX_FLOW_DEPTH} levels, so this document is not read.`,
    value: 'TOO_DEEP',
  };
}

function loadChunks(
  path: string,
  text: string,
  chunks: readonly Chunk[],
  limits: LoadLimits,
  ours: RegExp,
  out: Loaded,
): void {
  for (const chunk of chunks) {
    out.stats.parsed++;
    const source = text.slice(chunk.from, chunk.to);
    const lc = new LineCounter();
    const deep = tooDeep(source);
    if (deep !== undefined) {
      if (ours.test(text)) out.reports.push(deepReport(path, source, deep, chunk.lineOffset));
      continue;
    }
    const doc = parseDocument(source, yamlOptions(lc));
    const sdoc = new SourceDoc(path, doc, lc, chunk.lineOffset, source);
    const err = doc.errors[0];
    if (err) {
      // Another watched document of the file makes it ours: checkOtherDocuments words it.
      if (ours.test(source)) out.reports.push(syntaxReport(path, lc, err, chunk.lineOffset));
      else if (ours.test(text)) out.reports.push(otherSyntaxReport(path, source, lc, err, chunk.lineOffset));
      continue;
    }
    const cycle = mayHaveAnchors(source) ? selfAlias(doc) : undefined;
    if (cycle) {
      if (ours.test(text)) out.reports.push(cycleReport(path, lc, cycle, chunk.lineOffset));
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (e) {
      if (!ours.test(source)) continue;
      out.reports.push({
        ...sdoc.span([]),
        rule: 'file-skipped',
        message: `Not read: ${(e as Error).message} (more than ${limits.maxAliasCount} alias expansions in one document).`,
      });
      return;
    }
    if (!isRecord(data)) continue;
    const items = listItems(data);
    if (items) {
      items.forEach((item, i) => {
        const resource = isRecord(item) ? toResource(within(sdoc, ['items', i]), item) : undefined;
        if (resource) out.resources.push(resource);
      });
      out.others.push({ doc: sdoc, data });
      continue;
    }
    const resource = toResource(sdoc, data);
    if (resource) out.resources.push(resource);
    else out.others.push({ doc: sdoc, data });
  }
}

/**
 * `kind: List` (what `kubectl get -o yaml` writes) and typed lists (`IPPoolList`): kubectl and
 * kustomize apply each item, so each item is a resource of its own.
 */
function listItems(data: Record<string, unknown>): unknown[] | undefined {
  const { kind, items } = data;
  return typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items) ? items : undefined;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The string-valued entries of a map (labels, annotations); anything but a map gives none. */
export function stringEntries(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function toResource(doc: Locator, data: Record<string, unknown>): Resource | undefined {
  const { kind, apiVersion } = data;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') return undefined;
  const { group, version } = splitApiVersion(apiVersion);
  if (!WATCHED[kind]?.includes(group)) return undefined;
  const meta = isRecord(data.metadata) ? data.metadata : {};
  const resource: Resource = {
    kind,
    apiVersion,
    group,
    version,
    name: typeof meta.name === 'string' ? meta.name : '',
    file: doc.file,
    doc,
    data,
    annotations: stringEntries(meta.annotations),
  };
  if (typeof meta.namespace === 'string') resource.namespace = meta.namespace;
  return resource;
}
