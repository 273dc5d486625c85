// Preloaded (`node -r`) into a measured process: on exit, writes its peak RSS (KiB) to BENCH_RSS_FILE.
const fs = require('fs');
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
