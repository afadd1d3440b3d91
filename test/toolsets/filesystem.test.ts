// The real @modelcontextprotocol/server-filesystem as a downstream toolset: listed, called, filtered, refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpServers } from '../../src/toolsets/mcp-servers.ts';
import { FILESYSTEM_SERVER, isRunning, memoryLogger, runContext, stdioServer } from './helpers.ts';

function folder(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-mcp-fs-')));
  writeFileSync(join(dir, 'notes.txt'), 'socks are warm\n');
  return dir;
}

test('filesystem server: nothing starts until used; then tools are listed, called, and an outside path is refused', async () => {
  const dir = folder();
  const { log, lines } = memoryLogger();
  const servers = new McpServers(new Map([['fs', stdioServer('fs', [FILESYSTEM_SERVER, dir], { exclude: ['write_file'] })]]), log);
  try {
    assert.deepEqual(servers.childPids, []);
    assert.equal(servers.statuses()[0]!.state, 'idle');
    const fs = servers.toolset('fs')!;
    const names = (await fs.list()).map((t) => t.name);
    assert.ok(names.includes('fs.read_text_file'), names.join(', '));
    assert.ok(!names.includes('fs.write_file'), 'excluded');
    assert.equal(servers.childPids.length, 1);
    const ctx = runContext(log);

    const read = await fs.call('fs.read_text_file', { path: join(dir, 'notes.txt') }, ctx);
    assert.equal(read.isError, false);
    assert.deepEqual(read.content, [{ type: 'text', text: 'socks are warm\n' }]);

    const listed = await fs.call('fs.list_directory', { path: dir }, ctx);
    assert.deepEqual(listed.content, [{ type: 'text', text: '[FILE] notes.txt' }]);

    const outside = await fs.call('fs.read_text_file', { path: '/etc/hostname' }, ctx);
    assert.equal(outside.isError, true);
    assert.match((outside.content[0] as { text: string }).text, /Access denied - path outside allowed directories/);

    const excluded = await fs.call('fs.write_file', { path: join(dir, 'x'), content: 'x' }, ctx);
    assert.deepEqual(excluded, {
      content: [{ type: 'text', text: 'tool write_file of MCP server fs is not allowed (see mcpServers.fs.tools / exclude)' }],
      isError: true,
    });
    assert.ok(
      lines.some((l) => l.includes('[fs] Secure MCP Filesystem Server running on stdio')),
      lines.join(''),
    );
    const [status] = servers.statuses();
    assert.equal(status!.state, 'ready');
    assert.equal(status!.era, 'legacy');
  } finally {
    const pids = servers.childPids;
    await servers.close();
    for (const pid of pids) assert.equal(isRunning(pid), false, `child ${pid} still running`);
  }
});
