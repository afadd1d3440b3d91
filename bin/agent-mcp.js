#!/usr/bin/env node
// Runs the bundled CLI (dist/cli.cjs) from V8's code cache: start-up without parsing and compiling 1.5 MB of
// JavaScript each time (Node 20 has no module compile cache of its own). The cache is made at build time;
// when it is missing or made by another Node version, it is remade on exit (not by a run with other V8 flags).
// AGENT_MCP_CODE_CACHE=off skips it; =write remakes it whatever the flags.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
const cacheFile = `${file}.cache`;
const mode = process.env.AGENT_MCP_CODE_CACHE;
let cachedData;
if (mode !== 'off' && mode !== 'write') {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {}
}
const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
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
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, fileURLToPath(new URL('../dist', import.meta.url)));
