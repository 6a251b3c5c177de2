// The one shape every stage speaks: a finding at a place in a file.
import { createHash } from 'node:crypto';

export const SEVERITIES = ['error', 'warning', 'notice'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 1-based line and column, end exclusive-ish as GitHub annotations expect (end column inclusive of last char + 1). */
export type Span = { file: string; line: number; column: number; endLine: number; endColumn: number };

export type ResourceRef = { kind: string; name: string; namespace?: string };

/** A place in a YAML document: keys and list indexes from the root. */
export type Path = readonly (string | number)[];

export type Scalar = string | number | boolean;

/** Fixes are data a rule builds and attaches to its finding: small edits to one resource, or a new document. */
export type FixOp =
  /** Set a scalar, creating missing keys on the way. */
  | { op: 'set'; path: Path; value: Scalar }
  /** Remove a key and its value. */
  | { op: 'delete'; path: Path }
  /** Append an item to a list (creating the list), unless an equal item is already there. */
  | { op: 'append'; path: Path; value: unknown };

export type ResourceEdit = {
  kind: 'edit';
  file: string;
  resource: ResourceRef;
  /**
   * The line the resource's document starts on, as the file was read: with two documents of one
   * kind and name in a file, the position says which one (the name alone would pick the first).
   */
  line?: number;
  ops: FixOp[];
};

/** A new document: appended to `file` (after a `---`) when it exists, else written as a new file. */
export type NewDocument = { kind: 'document'; file: string; content: Record<string, unknown> };

export type Fix = { title: string; changes: (ResourceEdit | NewDocument)[] };

export type Related = Span & { message: string };

export type Finding = Span & {
  rule: string;
  severity: Severity;
  message: string;
  resource?: ResourceRef;
  scope: string;
  fingerprint: string;
  /** Other places involved (the IPPool a ServiceGroup finding is about, and so on). */
  related?: Related[];
  /** Set when comparing against a base tree. */
  state?: 'new' | 'existing';
  /** Set on a finding an lbguard.dev/ignore annotation silenced: kept for SARIF and the counts. */
  suppression?: { reason?: string };
  fix?: Fix;
};

/** What a rule hands in; the engine fills in severity, scope and fingerprint. */
export type Report<Id extends string = string> = Span & {
  rule: Id;
  message: string;
  resource?: ResourceRef;
  related?: Related[];
  /** The offending value: part of the fingerprint, so findings match across commits by content, not line. */
  value?: string;
  fix?: Fix | undefined;
};

export function fingerprint(parts: (string | undefined)[]): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0000'))
    .digest('hex')
    .slice(0, 16);
}

export const fileSpan = (file: string): Span => ({ file, line: 1, column: 1, endLine: 1, endColumn: 1 });

const severityOrder: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** Byte order, not the locale's: the CLI and the App must order a report the same way on any machine. */
const byCode = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export function compareFindings(a: Finding, b: Finding): number {
  return (
    byCode(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    severityOrder[a.severity] - severityOrder[b.severity] ||
    byCode(a.rule, b.rule) ||
    byCode(a.message, b.message)
  );
}
