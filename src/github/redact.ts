// Error text that reaches a check run is public: secrets out, and short.

const SECRETS: RegExp[] = [
  // An Authorization header or a token/secret/password field echoed back, whatever its value.
  /\b(authorization|proxy-authorization)\b(["']?\s*[:=]\s*["']?)(?:bearer|token|basic)?\s*[^\s"',;}]+/gi,
  /\b(token|access_token|secret|password|private_key|client_secret)\b(["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi,
];
// GitHub tokens (ghs_, ghp_, gho_, ghu_, ghr_, github_pat_), JWTs, and any long opaque string.
const OPAQUE =
  /\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,}|eyJ[\w-]+\.[\w-]+\.[\w-]*|v1\.[0-9a-f]{40}|[A-Za-z0-9+/_-]{40,}={0,2})/g;

export const MAX_REASON_CHARS = 300;

/** `text` without anything that looks like a credential, on one line, at most MAX_REASON_CHARS long. */
export function redact(text: string): string {
  let out = text.replace(/\s+/g, ' ').trim();
  for (const re of SECRETS) out = out.replace(re, (_m, key: string, sep: string) => `${key}${sep}[redacted]`);
  out = out.replace(OPAQUE, '[redacted]');
  return out.length > MAX_REASON_CHARS ? `${out.slice(0, MAX_REASON_CHARS - 1)}…` : out;
}
