#!/usr/bin/env node
// Thin launcher: a clear message on an old Node, then the compiled CLI or, in a checkout, the
// TypeScript source (Node >= 22.18 strips types itself).
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`lbguard needs Node.js 22.18 or newer; this is ${process.version}.`);
  process.exit(2);
}
const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
const { main } = await import(existsSync(compiled) ? compiled.href : '../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
