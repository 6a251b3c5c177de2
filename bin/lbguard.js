#!/usr/bin/env node
// Thin launcher: a clear message on an old Node, then the CLI. In a checkout it runs the
// TypeScript source (Node >= 22.18 strips types itself), so a stale build is never run by
// mistake; an installed package has only the compiled dist/ (LBGUARD_DIST=1 forces it).
import { existsSync } from 'node:fs';
// A namespace import: a named one would fail to link on an old Node before any message.
import * as nodeModule from 'node:module';

const source = new URL('../src/cli/main.ts', import.meta.url);
const useSource = process.env.LBGUARD_DIST !== '1' && existsSync(source);
// The compiled build runs on 22.12; the source needs 22.18, where Node strips types by default.
const needMinor = useSource ? 18 : 12;
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < needMinor)) {
  console.error(`lbguard needs Node.js 22.${needMinor} or newer; this is ${process.version}.`);
  process.exit(2);
}
// Caches compiled code between runs (a CLI in pre-commit starts often).
nodeModule.enableCompileCache?.();
// `lbguard rules | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
const { main } = await import(useSource ? source.href : '../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
