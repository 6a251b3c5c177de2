// Vercel function: POST /api/github/webhooks. Plain JavaScript on purpose: the source imports its
// modules with `.ts` extensions (Node strips the types itself), which Vercel's Node builder does not
// rewrite, so the function loads the build that `npm run build` (vercel.json buildCommand) puts in
// dist/, where tsc has rewritten every import to `.js`. The handler itself is src/github/vercel.ts.
export { POST } from '../../dist/src/github/vercel.js';
