// Fixes are data a rule attaches to a finding: small edits to one resource, or a new document.
import type { ResourceRef } from '../findings.ts';
import type { Path } from '../manifests/document.ts';

export type Scalar = string | number | boolean;

export type FixOp =
  /** Set a scalar, creating missing keys on the way. */
  | { op: 'set'; path: Path; value: Scalar }
  /** Remove a key and its value. */
  | { op: 'delete'; path: Path }
  /** Append an item to a list (creating the list), unless an equal item is already there. */
  | { op: 'append'; path: Path; value: unknown };

export type ResourceEdit = { kind: 'edit'; file: string; resource: ResourceRef; ops: FixOp[] };

/** A new document: appended to `file` (after a `---`) when it exists, else written as a new file. */
export type NewDocument = { kind: 'document'; file: string; content: Record<string, unknown> };

export type Fix = { title: string; changes: (ResourceEdit | NewDocument)[] };
