// Locators for resources lbguard builds itself: chart values inside a HelmRelease or Application,
// a `values:` string parsed on its own, and manifests whose data had `${VAR}` substituted.
// Positions always point at what is written in the file, so a finding lands on the `${VAR}`.
import { isScalar, LineCounter, type Node, parseDocument, type Scalar } from 'yaml';
import type { Span } from '../findings.ts';
import { type Locator, type Path, SourceDoc } from '../manifests/document.ts';
import { mayHaveAnchors, selfAlias, yamlOptions } from '../manifests/yaml.ts';
import { valueAt } from './substitute.ts';

/** A place in some locator: the host manifest or a values string parsed out of it. */
export type Target = { loc: Locator; path: Path };

/**
 * A synthesized resource's paths mapped to where they are written. `data` is the resource's
 * (substituted) data: `source()` answers with the substituted value where the text holds `${...}`.
 */
export class MappedLocator implements Locator {
  readonly file: string;
  private readonly map: (path: Path) => Target;
  private readonly data: () => unknown;

  constructor(file: string, map: (path: Path) => Target, data: () => unknown) {
    this.file = file;
    this.map = map;
    this.data = data;
  }

  span(path: Path, part: 'value' | 'key' = 'value'): Span {
    const t = this.map(path);
    return t.loc.span(t.path, part);
  }

  has(path: Path): boolean {
    const t = this.map(path);
    return t.loc.has(t.path);
  }

  source(path: Path): string | undefined {
    const t = this.map(path);
    const written = t.loc.source(t.path);
    if (written === undefined || !written.includes('${')) return written;
    const v = valueAt(this.data(), path);
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : written;
  }
}

/** A resource made of scattered lines (a configMapGenerator's literals and env lines): a span per path. */
export class SpanLocator implements Locator {
  readonly file: string;
  private readonly spans: ReadonlyMap<string, Span>;
  private readonly whole: Span;
  private readonly data: unknown;

  constructor(file: string, spans: ReadonlyMap<string, Span>, whole: Span, data: unknown) {
    this.file = file;
    this.spans = spans;
    this.whole = whole;
    this.data = data;
  }

  static key = (path: Path): string => path.join('\u0000');

  span(path: Path): Span {
    return this.spans.get(SpanLocator.key(path)) ?? this.whole;
  }

  has(path: Path): boolean {
    return this.spans.has(SpanLocator.key(path));
  }

  source(path: Path): string | undefined {
    const v = valueAt(this.data, path);
    return typeof v === 'string' ? v : undefined;
  }
}

/** A manifest whose data was substituted: same positions, `source()` gives the substituted text. */
export const substitutedLocator = (doc: Locator, data: () => unknown): Locator =>
  new MappedLocator(doc.file, (path) => ({ loc: doc, path }), data);

/**
 * A YAML string value (Argo CD `helm.values`) parsed as its own document, positions mapped back into
 * the host file. Only block scalars (`values: |`) map line by line; any other style maps every
 * position onto the string itself.
 */
export class EmbeddedLocator implements Locator {
  readonly file: string;
  readonly data: unknown;
  readonly ok: boolean;
  /** Where the string fails to parse as YAML, in the host file, with the parser's message. */
  readonly error: (Span & { message: string; code: string }) | undefined;
  private readonly inner: SourceDoc | undefined;
  private readonly host: SourceDoc;
  private readonly hostPath: Path;
  /** File line of the block scalar's header (`values: |`); content line k is this + k. */
  private readonly headerLine: number;
  private readonly indent: number;

  constructor(host: SourceDoc, hostPath: Path) {
    this.file = host.file;
    this.host = host;
    this.hostPath = hostPath;
    const node = host.doc.getIn(hostPath, true) as Node | undefined;
    const text = isScalar(node) && typeof node.value === 'string' ? node.value : '';
    const lc = new LineCounter();
    const doc = parseDocument(text, yamlOptions(lc));
    // A parse error, an alias inside the node it names, or an alias bomb: one problem, no data.
    const cycle = doc.errors.length === 0 && mayHaveAnchors(text) ? selfAlias(doc) : undefined;
    let err: { pos: number; message: string; code: string } | undefined = doc.errors[0]
      ? { pos: doc.errors[0].pos[0], message: doc.errors[0].message, code: doc.errors[0].code }
      : cycle
        ? {
            pos: cycle.range?.[0] ?? 0,
            message: `the alias *${cycle.source} refers to a node that contains it`,
            code: 'ALIAS_CYCLE',
          }
        : undefined;
    let data: unknown;
    if (!err) {
      try {
        data = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        err = { pos: 0, message: (e as Error).message, code: 'ALIAS_COUNT' };
      }
    }
    this.ok = !err;
    this.data = data;
    const block = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
    this.inner =
      block && node.type === 'BLOCK_LITERAL' ? new SourceDoc(host.file, doc, lc, 0, text) : undefined;
    this.headerLine = host.span(hostPath).line;
    this.indent = block ? blockIndent(host.text, (node as Scalar).range?.[0] ?? 0) : 0;
    if (!err) this.error = undefined;
    else {
      // Only a literal block maps line by line; otherwise the string itself is the place.
      const pos = lc.linePos(err.pos);
      const at = this.inner
        ? {
            file: this.file,
            line: this.headerLine + pos.line,
            column: pos.col + this.indent,
            endLine: this.headerLine + pos.line,
            endColumn: pos.col + this.indent + 1,
          }
        : host.span(hostPath);
      this.error = { ...at, message: err.message.split('\n')[0] ?? '', code: err.code };
    }
  }

  span(path: Path, part: 'value' | 'key' = 'value'): Span {
    if (!this.inner) return this.host.span(this.hostPath);
    const s = this.inner.span(path, part);
    return {
      file: this.file,
      line: this.headerLine + s.line,
      column: s.column + this.indent,
      endLine: this.headerLine + s.endLine,
      endColumn: s.endColumn + this.indent,
    };
  }

  has(path: Path): boolean {
    return this.inner ? this.inner.has(path) : valueAt(this.data, path) !== undefined;
  }

  source(path: Path): string | undefined {
    if (this.inner) return this.inner.source(path);
    const v = valueAt(this.data, path);
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  }
}

/** Indentation of a block scalar's content: that of its first non-blank line after the header. */
function blockIndent(text: string, headerOffset: number): number {
  let i = text.indexOf('\n', headerOffset);
  while (i >= 0 && i < text.length) {
    const end = text.indexOf('\n', i + 1);
    const line = text.slice(i + 1, end < 0 ? text.length : end);
    if (line.trim() !== '') return line.length - line.trimStart().length;
    if (end < 0) break;
    i = end;
  }
  return 0;
}
