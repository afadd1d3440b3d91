#!/usr/bin/env node
// Runs the bundled CLI (dist/cli.cjs) from V8's code cache: start-up without parsing and compiling 1.5 MB of
// JavaScript each time (Node 20 has no module compile cache of its own). The cache is made at build time;
// when it is missing or made by another Node version, it is remade on exit (not by a run with other V8 flags).
// AGENT_MCP_CODE_CACHE=off skips it; =write remakes it whatever the flags.
// CommonJS (bin/package.json): an ES module entry costs Node's ESM loader and the ESM facades of the built-ins it
// imports (node:fs alone loads the fs streams), a few milliseconds of every start.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const file = join(dist, 'cli.cjs');
const cacheFile = `${file}.cache`;
const mode = process.env.AGENT_MCP_CODE_CACHE;
let cachedData;
if (mode !== 'off' && mode !== 'write') {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {}
}
const script = new vm.Script(Module.wrap(readFileSync(file, 'latin1')), { filename: file, cachedData });
// V8 rejects a cache made under other flags (NODE_OPTIONS=--max-old-space-size=..., node --some-flag): such a run
// must not overwrite the install's cache, or runs with and without the flags would take turns remaking it.
const otherFlags = process.execArgv.length > 0 || /(^|\s)-/.test(process.env.NODE_OPTIONS ?? '');
if (mode !== 'off' && (!cachedData || script.cachedDataRejected) && (mode === 'write' || !otherFlags)) {
  process.once('exit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {} // a read-only install simply runs without the cache
  });
}
const module_ = { exports: {} };
script.runInThisContext()(module_.exports, Module.createRequire(file), module_, file, dist);
