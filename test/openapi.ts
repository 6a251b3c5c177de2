// Every request the app makes in tests is checked against GitHub's own OpenAPI description
// (@octokit/openapi): method, path template, query parameters, required body fields, enums and
// lengths, plus the limits GitHub documents only in prose. A mismatch fails the test.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Schema = {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
};
type Parameter = { $ref?: string; name: string; in: string; required?: boolean; schema?: Schema };
type Operation = {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
};
type Spec = {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
};

const require = createRequire(import.meta.url);
let spec: Spec | undefined;
let routes: { template: string; re: RegExp; params: number }[] = [];

function load(): Spec {
  if (spec) return spec;
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
  routes = Object.keys(spec.paths).map((template) => {
    let params = 0;
    const pattern = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        if (!part.startsWith('{')) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        params++;
        return '([^/]+)';
      })
      .join('');
    return { template, re: new RegExp(`^${pattern}$`), params };
  });
  // Literal segments win over parameters: /repos/o/r/check-runs/1 is not /repos/{o}/{r}/{x}/{y}.
  routes.sort((a, b) => a.params - b.params);
  return spec;
}

function deref<T>(x: T & { $ref?: string }): T {
  let cur: unknown = x;
  for (let i = 0; i < 20 && cur && typeof cur === 'object' && '$ref' in cur; i++) {
    const ref = (cur as { $ref: string }).$ref;
    cur = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], load());
  }
  return cur as T;
}

export type CapturedRequest = { method: string; url: string; body?: unknown };

/** GitHub's prose-only limits for check run output. */
const ANNOTATION_TITLE = 255;
const ANNOTATION_BYTES = 64 * 1024;

export function validateRequest(req: CapturedRequest): string[] {
  const s = load();
  const url = new URL(req.url);
  if (url.hostname !== 'api.github.com') return [`${req.method} ${req.url}: not api.github.com`];
  const route = routes.find((r) => r.re.test(url.pathname));
  const where = `${req.method} ${url.pathname}`;
  if (!route) return [`${where}: no such path in GitHub's OpenAPI description`];
  const op = s.paths[route.template]?.[req.method.toLowerCase()];
  if (!op) return [`${where}: ${route.template} has no ${req.method}`];
  const errors: string[] = [];
  const params = (op.parameters ?? []).map((p) => deref(p));
  for (const [name, value] of url.searchParams) {
    const p = params.find((x) => x.in === 'query' && x.name === name);
    if (!p) errors.push(`${where} (${op.operationId}): unknown query parameter ${name}`);
    else if (p.schema)
      errors.push(...validate(coerce(value, deref(p.schema)), deref(p.schema), `query.${name}`));
  }
  for (const p of params) {
    if (p.in === 'query' && p.required && !url.searchParams.has(p.name)) {
      errors.push(`${where} (${op.operationId}): missing query parameter ${p.name}`);
    }
  }
  const content = op.requestBody?.content['application/json'];
  if (req.body !== undefined && req.body !== '') {
    if (!content) errors.push(`${where} (${op.operationId}): sends a body the endpoint does not take`);
    else errors.push(...validate(req.body, content.schema, 'body'));
  } else if (op.requestBody?.required) errors.push(`${where} (${op.operationId}): the body is required`);
  if (op.operationId.startsWith('checks/') && req.body && typeof req.body === 'object') {
    errors.push(...checkRunProse(req.body as Record<string, unknown>));
  }
  return errors.map((e) => (e.startsWith(where) ? e : `${where} (${op.operationId}): ${e}`));
}

function checkRunProse(body: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const output = body.output as { annotations?: Record<string, unknown>[] } | undefined;
  for (const [i, a] of (output?.annotations ?? []).entries()) {
    const at = `body.output.annotations[${i}]`;
    if (typeof a.title === 'string' && a.title.length > ANNOTATION_TITLE)
      errors.push(`${at}.title is over 255 characters`);
    for (const k of ['message', 'raw_details']) {
      const v = a[k];
      if (typeof v === 'string' && Buffer.byteLength(v) > ANNOTATION_BYTES)
        errors.push(`${at}.${k} is over 64 KB`);
    }
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
      errors.push(`${at}: columns are only allowed when start_line equals end_line`);
    }
    if (typeof a.start_line === 'number' && typeof a.end_line === 'number' && a.end_line < a.start_line) {
      errors.push(`${at}: end_line before start_line`);
    }
  }
  if (body.status === 'completed' && body.conclusion === undefined)
    errors.push('completed without a conclusion');
  return errors;
}

function coerce(value: string, schema: Schema): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function validate(value: unknown, raw: Schema, path: string): string[] {
  const schema = deref(raw);
  if (schema.allOf) return schema.allOf.flatMap((s) => validate(value, s, path));
  for (const alts of [schema.oneOf, schema.anyOf]) {
    if (alts && !alts.some((s) => validate(value, s, path).length === 0)) {
      return [`${path}: matches none of the allowed shapes`];
    }
  }
  if (value === null && schema.nullable) return [];
  const errors: string[] = [];
  const actual = typeOf(value);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) return [`${path}: is ${actual}, expected ${types.join(' or ')}`];
  }
  if (schema.enum && !schema.enum.includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      errors.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`${path}: shorter than ${schema.minLength}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum)
      errors.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      errors.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      errors.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.minItems !== undefined && value.length < schema.minItems)
      errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.items) {
      for (const [i, v] of value.entries()) errors.push(...validate(v, schema.items, `${path}[${i}]`));
    }
  }
  if (actual === 'object' && (schema.properties || schema.required)) {
    const obj = value as Record<string, unknown>;
    for (const k of schema.required ?? []) if (!(k in obj)) errors.push(`${path}.${k}: required`);
    for (const [k, v] of Object.entries(obj)) {
      const prop = schema.properties?.[k];
      if (prop) errors.push(...validate(v, prop, `${path}.${k}`));
      else if (schema.additionalProperties === undefined || schema.additionalProperties === false) {
        errors.push(`${path}.${k}: not a field of this endpoint`);
      } else if (typeof schema.additionalProperties === 'object') {
        errors.push(...validate(v, schema.additionalProperties, `${path}.${k}`));
      }
    }
  }
  return errors;
}
