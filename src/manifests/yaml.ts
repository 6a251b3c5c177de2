// How lbguard reads YAML: as kubectl and Flux do, not as the YAML 1.2 spec alone would.
import {
  type Alias,
  type Document,
  type DocumentOptions,
  type LineCounter,
  type ParseOptions,
  type ScalarTag,
  type SchemaOptions,
  visit,
} from 'yaml';
import type { Span } from '../findings.ts';

/**
 * kubectl reads manifests with go-yaml v2 (YAML 1.1), so `yes`/`no`/`on`/`off` are booleans and
 * `<<` merges a map in. The single letters `y`/`n` are left strings: go-yaml v3 (Flux's kustomize)
 * reads them as strings, and a false `resource-shape` is worse than a missed one there.
 */
const yaml11Bool: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/,
  resolve: (s) => /^(?:yes|on)$/i.test(s),
};

/** Parse options for every manifest and config read (fixes re-read with the same). */
export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  merge: true,
  customTags: (tags) => [...tags, yaml11Bool],
  prettyErrors: false,
  logLevel: 'error',
};

export const yamlOptions = (lineCounter?: LineCounter): typeof YAML_OPTIONS =>
  lineCounter ? { ...YAML_OPTIONS, lineCounter } : YAML_OPTIONS;

/**
 * The first alias that refers to a node containing it (`spec: &s {self: *s}`): its value would
 * be infinite. go-yaml rejects it ("anchor 's' value contains itself"), and every walk over the
 * value would recurse forever, so such a document is reported and never turned into data. An
 * alias can only refer back (anchors are defined before use), so a cycle is always an ancestor.
 */
export function selfAlias(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_key, node, path) {
      const target = node.resolve(doc);
      if (target && path.includes(target)) {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** The span of a node's source range, `lineOffset` lines into its file. */
export function spanOfRange(
  file: string,
  lc: LineCounter,
  range: readonly number[] | null | undefined,
  lineOffset = 0,
): Span {
  const a = lc.linePos(range?.[0] ?? 0);
  const b = lc.linePos(range?.[1] ?? range?.[0] ?? 0);
  return { file, line: a.line + lineOffset, column: a.col, endLine: b.line + lineOffset, endColumn: b.col };
}

/** A cheap test before the walk: no anchor, no cycle. */
export const mayHaveAnchors = (source: string): boolean => source.includes('&');

/** Flow collections nested deeper than this are not parsed (kubectl's go-yaml stops at 10000; no manifest comes near). */
export const MAX_FLOW_DEPTH = 256;

/**
 * The offset where flow nesting (`[`, `{`) passes MAX_FLOW_DEPTH, or undefined. The parser
 * recurses per level: a file of `[[[[...` would take seconds and end in a stack overflow. One
 * pass, quotes skipped; brackets in comments or block scalars only count against such a file.
 */
export function tooDeep(source: string): number | undefined {
  if (source.length < MAX_FLOW_DEPTH) return undefined;
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
      else if (c === 92 /* \ */ && quote === 34) i++;
      continue;
    }
    if (c === 34 || c === 39) quote = c;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
    else if (c === 10) quote = 0;
  }
  return undefined;
}
