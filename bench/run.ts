// `npm run bench [-- NAME...]`: run the benchmarks (all, or those named), each printing its figures and ratio.
// Each bench/NAME.ts exports `run(): Promise<void>`. Benchmarks are never part of `npm test`.
const ALL = ['cold-start', 'per-call', 'http', 'first-run', 'replicas', 'mcp-servers', 'sampling'];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length ? wanted : ALL) {
  if (!ALL.includes(name)) {
    process.stderr.write(`unknown benchmark "${name}"; known: ${ALL.join(', ')}\n`);
    process.exit(2);
  }
  const mod = (await import(`./${name}.ts`)) as { run: () => Promise<void> };
  process.stdout.write(`\n== ${name} ==\n`);
  await mod.run();
}
