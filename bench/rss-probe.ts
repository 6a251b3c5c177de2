// Preloaded into the benchmarked CLI (node --import): writes the process's peak RSS on exit,
// because /usr/bin/time -v is not everywhere.
import { writeFileSync } from 'node:fs';

const target = process.env.LBGUARD_BENCH_RSS;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS * 1024)));
