// `npm test`: biome, tsc, the build and the tests, in one command that reports every failure.
// - biome and tsc run beside the build and the tests, at a lower priority: each is one mostly single-threaded process,
//   and the tests spend much of their time waiting on child processes, sockets and tmux, so on 2 cores the checks
//   fill the gaps (a fresh clone: 58-59 s at the same priority, 55-57 s so).
// - The test files are bundled once by esbuild (src/ and test helpers inlined, packages left to node_modules/) into
//   .tmp/test-build/: each of the ~45 test processes then starts as plain JavaScript, without tsx's loader hooks and
//   transforms (about 0.3 s of CPU per process). `node --import tsx --test test/DIR/NAME.test.ts` still runs a file
//   from its source.
// TEST_CONCURRENCY overrides the number of test files run at once.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, '.tmp/test-build');
// Measured on 2 cores (see BENCHMARKS.md, "npm test"): with the longest files first, 4 keeps both cores busy while
// files wait on child processes, Redis and nginx (3 s less than 3 at once); more only queue for the CPU.
const CONCURRENCY = process.env.TEST_CONCURRENCY ?? '4';
const bin = (name) => join(ROOT, 'node_modules/.bin', name);

/**
 * Run a command; its output is kept (printed at the end) unless `inherit`. Resolves with its code and output. A
 * `background` command runs at a lower priority: it takes the CPU the tests leave while they wait.
 */
function run(label, command, args, inherit = false, background = false) {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    if (background && child.pid) {
      try {
        setPriority(child.pid, 10);
      } catch {} // not allowed here: it simply runs at the same priority
    }
    let output = '';
    child.stdout?.on('data', (c) => (output += c));
    child.stderr?.on('data', (c) => (output += c));
    child.once('error', (err) => done({ label, code: 1, output: `${output}${err.message}\n`, seconds: 0 }));
    child.once('close', (code, signal) =>
      done({ label, code: code ?? (signal ? 1 : 0), output, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

// The files that take longest (measured one by one: mostly waiting on child processes, Redis and nginx) start
// first, so that none of them is the tail of the run while the other workers sit idle; the rest follow in name order.
// node --test sorts the files it is given by path, so these are built under .tmp/test-build/first/, the rest under
// .tmp/test-build/then/.
const LONGEST_FIRST = [
  'test/toolsets/serve-children.test.ts',
  'test/deploy/replicas.test.ts',
  'test/toolsets/everything.test.ts',
  'test/stores/redis-task-queue.test.ts',
  'test/cli/cli.test.ts',
  'test/watch/watch.test.ts',
  'test/sampling/call.test.ts',
  'test/server/http-lifecycle.test.ts',
  'test/server/eras.test.ts',
  'test/recording/record-replay.test.ts',
];

// Test files that start no process of their own share one test process, each as a suite of its own (its hooks
// around its own tests only), one file after another: alone, each would spend more CPU starting node and loading its
// imports than running its tests (measured: 24 unit-test files, 9 s of CPU one by one, 2 s together). Files that
// start servers, Redis, nginx or tmux, send signals, or time a child process run alone.
const SHARED_PROCESS = [
  'test/agent/chain.test.ts',
  'test/agent/deadlines.test.ts',
  'test/agent/local-agents.test.ts',
  'test/agent/progress.test.ts',
  'test/completions/completions.test.ts',
  'test/config/model-ref.test.ts',
  'test/config/secrets.test.ts',
  'test/dev/answer-after-stream.test.ts',
  'test/providers/anthropic-mapping.test.ts',
  'test/providers/error-mapping.test.ts',
  'test/providers/openai-mapping.test.ts',
  'test/recording/normalise.test.ts',
  'test/reliability/http-settings.test.ts',
  'test/sampling/mapping.test.ts',
  'test/server/http-event-store.test.ts',
  'test/server/request-state.test.ts',
  'test/server/schema-validator.test.ts',
  'test/tasks/config.test.ts',
  'test/tasks/in-process-queue.test.ts',
  'test/tasks/memory-store.test.ts',
  'test/tasks/runtime-close.test.ts',
  'test/testing/report.test.ts',
  'test/toolsets/config.test.ts',
  'test/util/template.test.ts',
  'test/watch/list-changed.test.ts',
  'test/config/broken-configs.test.ts',
  'test/reliability/broken-configs.test.ts',
  'test/reliability/provider-faults.test.ts',
  'test/reliability/abuse.test.ts',
  'test/reliability/secrets.test.ts',
  'test/schema/schema.test.ts',
  'test/recording/wire-replay.test.ts',
  'test/tasks/legacy.test.ts',
  'test/tasks/modern.test.ts',
  'test/toolsets/filesystem.test.ts',
];
const SHARED_ENTRY = 'first/test/in-process.test'; // about 15 s in a row: among the first to start

/** test/DIR/NAME.test.ts, as the `test/*\/*.test.ts` glob of the source layout. */
function testFiles() {
  const files = [];
  for (const dir of readdirSync(join(ROOT, 'test'), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const name of readdirSync(join(ROOT, 'test', dir.name))) {
      if (name.endsWith('.test.ts')) files.push(join('test', dir.name, name));
    }
  }
  return files.sort();
}

/** Where a test file is built, without the extension: first/test/DIR/NAME.test or then/test/DIR/NAME.test. */
function outName(file) {
  return `${LONGEST_FIRST.includes(file) ? 'first' : 'then'}/${file.replace(/\.ts$/, '')}`;
}

/** Bundle the test files; a source's import.meta keeps naming the source file (tests find fixtures and the CLI by it). */
async function buildTests(files) {
  rmSync(OUT, { recursive: true, force: true });
  const shared = files.filter((f) => SHARED_PROCESS.includes(f));
  const alone = files.filter((f) => !SHARED_PROCESS.includes(f));
  await build({
    absWorkingDir: ROOT,
    entryPoints: [...alone.map((f) => ({ in: f, out: outName(f) })), { in: 'shared-process-tests', out: SHARED_ENTRY }],
    outdir: OUT,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Inline maps without the sources they map (stack traces only need the lines): every test process parses the
    // maps of what it loads when --enable-source-maps is on, a quarter of the bytes to parse.
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [
      {
        // The entry of the shared process: it imports each of its files, whose tests then run one file after another.
        name: 'shared-process-entry',
        setup(b) {
          b.onResolve({ filter: /^shared-process-tests$/ }, () => ({ path: 'shared-process-tests', namespace: 'shared' }));
          b.onLoad({ filter: /.*/, namespace: 'shared' }, () => ({
            contents: [
              "import { describe } from 'node:test';",
              ...shared.map((f) => `describe(${JSON.stringify(f)}, async () => { await import(${JSON.stringify(`./${f}`)}); });`),
            ].join('\n'),
            resolveDir: ROOT,
            loader: 'js',
          }));
        },
      },
      {
        name: 'source-import-meta',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (args) => ({
            loader: 'ts',
            contents: readFileSync(args.path, 'utf8')
              .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
              .replaceAll('import.meta.filename', JSON.stringify(args.path))
              .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
          }));
        },
      },
    ],
  });
  return [...alone.map((f) => outName(f)), SHARED_ENTRY].map((name) => relative(ROOT, join(OUT, `${name}.mjs`)));
}

// tsc keeps what it learnt in .tmp/ (a fresh clone checks everything, 13 s of CPU; a re-run only what changed).
const tsc = ['-p', '.', '--incremental', '--tsBuildInfoFile', '.tmp/tsc.tsbuildinfo'];
const checks = [run('biome', bin('biome'), ['check', '.'], false, true), run('tsc', bin('tsc'), tsc, false, true)];

const tests = (async () => {
  const built = await run('build', process.execPath, ['scripts/build.mjs']);
  if (built.code !== 0) return built;
  let compiled;
  try {
    compiled = await buildTests(testFiles());
  } catch (err) {
    return { label: 'test build', code: 1, output: `${err.message}\n`, seconds: 0 };
  }
  if (!compiled.every((f) => existsSync(join(ROOT, f)))) return { label: 'test build', code: 1, output: 'a test file was not built\n' };
  return run('node --test', process.execPath, ['--enable-source-maps', '--test', `--test-concurrency=${CONCURRENCY}`, ...compiled], true);
})();

const results = await Promise.all([...checks, tests]);
let failed = 0;
for (const r of results) {
  if (r.code === 0) continue;
  failed ||= r.code;
  if (r.output) process.stderr.write(`\n--- ${r.label} failed:\n${r.output}`);
}
process.stderr.write(
  `\n${results.map((r) => `${r.label} ${r.code === 0 ? 'ok' : 'FAILED'}${r.seconds ? ` (${r.seconds.toFixed(1)} s)` : ''}`).join(', ')}\n`,
);
process.exitCode = failed;
