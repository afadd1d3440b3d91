// `npm run bench [-- NAME...]`: run the benchmarks (all, or those named), each printing its figures and ratio.
// Each bench/NAME.ts exports `run(): Promise<void>`. Benchmarks are never part of `npm test`.
const ALL = ['cold-start', 'per-call', 'http', 'session-heap', 'first-run', 'replicas', 'mcp-servers', 'sampling', 'tasks'];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length ? wanted : ALL) {
  if (!ALL.includes(name)) {
    process.stderr.write(`unknown benchmark "${name}"; known: ${ALL.join(', ')}\n`);
    process.exit(2);
  }
  const mod = (await import(`./${name}.ts`)) as { run: () => Promise<unknown> };
  process.stdout.write(`\n== ${name} ==\n`);
  await mod.run();
}

// Every figure against its target in one place (the coordinator's quiet-machine re-run reads this).
const { verdicts } = await import('./stats.ts');
if (verdicts.length) {
  process.stdout.write('\n== summary (ratios are agent-mcp / the bare SDK v2 server) ==\n');
  for (const v of verdicts) {
    const line =
      v.ok === undefined
        ? `${v.bench.padEnd(12)} ${v.label} ${v.value}`
        : `${v.bench.padEnd(12)} ${v.label.padEnd(34)} ${v.value.padStart(10)}  ${v.target.padEnd(10)} ${v.ok ? 'OK' : 'MISSED'}`;
    process.stdout.write(`${line}\n`);
  }
}
