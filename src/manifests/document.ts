// A parsed YAML document that can say where any value in it stands.
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Document as YamlDocument,
} from 'yaml';
import type { Path, Span } from '../findings.ts';

// Path lives beside Span in findings.ts (fixes speak it too); most readers import it from here.
export type { Path };

/** Where values of a resource stand. Chart-values resources (Flux, Argo CD) map paths into their host file. */
export type Locator = {
  readonly file: string;
  span(path: Path, part?: 'value' | 'key'): Span;
  has(path: Path): boolean;
  source(path: Path): string | undefined;
};

/** One document of one file, with the line it starts on in that file. */
export class SourceDoc implements Locator {
  readonly file: string;
  readonly doc: YamlDocument.Parsed;
  readonly text: string;
  private readonly lc: LineCounter;
  /** Lines before this document's chunk in its file. */
  private readonly lineOffset: number;

  constructor(file: string, doc: YamlDocument.Parsed, lc: LineCounter, lineOffset: number, text: string) {
    this.file = file;
    this.doc = doc;
    this.lc = lc;
    this.lineOffset = lineOffset;
    this.text = text;
  }

  /** The value node at `path` and its key node, walking as deep as the path exists. */
  private walk(path: Path): { node: Node | null; key: Node | null; depth: number } {
    let node: Node | null = (this.doc.contents as Node | null) ?? null;
    let key: Node | null = null;
    let depth = 0;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
        );
        if (!pair) break;
        key = pair.key as Node;
        node = (pair.value as Node | null) ?? null;
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        key = null;
        node = node.items[seg] as Node;
      } else break;
      depth++;
      if (node === null) break;
    }
    return { node, key, depth };
  }

  private spanOf(range: readonly [number, number, number?] | null | undefined): Span {
    const [start, end] = range ?? [0, 0];
    const a = this.lc.linePos(start);
    const b = this.lc.linePos(Math.max(end, start));
    return {
      file: this.file,
      line: a.line + this.lineOffset,
      column: a.col,
      endLine: b.line + this.lineOffset,
      endColumn: b.col,
    };
  }

  /**
   * Where the value at `path` is written. A missing value points at the deepest key that
   * exists (so "missing cidr" lands on `spec:`), and `part: 'key'` points at the key itself.
   */
  span(path: Path, part: 'value' | 'key' = 'value'): Span {
    const { node, key, depth } = this.walk(path);
    const complete = depth === path.length;
    if ((part === 'key' || !complete || node === null) && key) return this.spanOf(key.range);
    if (node?.range) {
      // A block collection's range runs to its last child; GitHub wants the first line only.
      if (isMap(node) || isSeq(node)) {
        const s = this.spanOf(node.range);
        return { ...s, endLine: s.line, endColumn: s.column + 1 };
      }
      return this.spanOf(node.range);
    }
    return this.spanOf(key?.range);
  }

  /** True when the path exists in the document. */
  has(path: Path): boolean {
    return this.walk(path).depth === path.length;
  }

  /** The scalar as written in the file (so `asNumber: 1.10` stays "1.10", not 1.1). */
  source(path: Path): string | undefined {
    const { node, depth } = this.walk(path);
    if (depth !== path.length || !isScalar(node) || !node.range) return undefined;
    if (node.type === 'PLAIN') return this.text.slice(node.range[0], node.range[1]).trim();
    return typeof node.value === 'string' ? node.value : String(node.value);
  }
}

/** The locator of a part of a document (an item of a `kind: List`), with paths relative to that part. */
export const within = (loc: Locator, prefix: Path): Locator => ({
  file: loc.file,
  span: (path, part) => loc.span([...prefix, ...path], part),
  has: (path) => loc.has([...prefix, ...path]),
  source: (path) => loc.source([...prefix, ...path]),
});
