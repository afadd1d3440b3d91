// The mcpServers block as the loader checks it: every problem located, secrets in env and headers registered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';
import { redact } from '../../src/util/redact.ts';

function problems(yaml: string): string[] {
  try {
    loadConfigText('/x/agents.yaml', yaml, { env: {} });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message.split('\n');
  }
}

test('a Claude Desktop block loads as is: stdio and remote entries, defaults, cwd beside the file', () => {
  const config = loadConfigText(
    '/x/agents.yaml',
    `defaults: { model: test }
mcpServers:
  fs: { command: npx, args: ["-y", "@modelcontextprotocol/server-filesystem", "./docs"] }
  remote: { url: "https://mcp.example.com/mcp", timeout: 5s, startupTimeout: 2s, tools: [search], exclude: [] }
  old: { type: sse, url: "https://old.example.com/sse" }
tools:
  a: { prompt: hi, tools: [fs, remote.search] }
`,
    { env: {} },
  );
  assert.deepEqual(config.mcpServers.get('fs'), {
    name: 'fs',
    transport: 'stdio',
    command: 'npx',
    args: ['-y', '@modelcontextprotocol/server-filesystem', './docs'],
    env: undefined,
    cwd: '/x',
    url: undefined,
    headers: undefined,
    tools: undefined,
    exclude: [],
    timeoutMs: 60_000,
    startupTimeoutMs: 30_000,
    description: undefined,
  });
  assert.equal(config.mcpServers.get('remote')!.timeoutMs, 5000);
  assert.equal(config.mcpServers.get('remote')!.startupTimeoutMs, 2000);
  assert.equal(config.mcpServers.get('old')!.transport, 'sse');
  assert.deepEqual(config.tools.get('a')!.tools, ['fs', 'remote.search']);
});

test('every mistake in mcpServers and in references to it is located, with a did-you-mean', () => {
  assert.deepEqual(
    problems(`defaults: { model: test }
mcpServers:
  fs: { command: npx, tools: [read_text_file], exclude: [read_text_file] }
  web: { url: "https://x.example/mcp", args: [a] }
  both: { command: a, url: "https://x.example/mcp" }
  none: { description: nothing to start }
  "a.b": { command: x }
  typo: { comand: x }
  agent: { command: x }
tools:
  agent: { prompt: hi }
  fs.read: { prompt: hi }
  a:
    prompt: hi
    tools: [fs.write_file, fss, none, web.search, web.search]
`),
    [
      '/x/agents.yaml:3:58: mcpServers.fs.exclude[0]: "read_text_file" is both in tools and in exclude',
      '/x/agents.yaml:4:40: mcpServers.web.args: "args" applies to stdio servers (command), not to url',
      '/x/agents.yaml:5:23: mcpServers.both.url: give either command or url, not both',
      '/x/agents.yaml:6:3: mcpServers.none: give either command (a server started over stdio) or url (a remote server)',
      '/x/agents.yaml:7:3: mcpServers.a.b: server name "a.b" must be 1-64 characters of A-Z a-z 0-9 _ - (no dots: fs.read_file names tool read_file of server fs)',
      '/x/agents.yaml:8:11: mcpServers.typo: unknown key "comand" (did you mean "command"?)',
      '/x/agents.yaml:9:3: mcpServers.agent: "agent" names both a tool and an MCP server; rename one',
      '/x/agents.yaml:12:3: tools.fs.read: tool name "fs.read" reads as tool read of MCP server fs; rename it',
      '/x/agents.yaml:15:13: tools.a.tools[0]: "fs.write_file" is not in mcpServers.fs.tools',
      '/x/agents.yaml:15:28: tools.a.tools[1]: unknown tool or MCP server "fss" (did you mean "fs"?)',
      '/x/agents.yaml:15:51: tools.a.tools[4]: "web.search" is listed twice',
    ],
  );
});

test('secret-looking env values and header values (and a bearer token alone) are redacted', () => {
  loadConfigText(
    '/x/agents.yaml',
    `defaults: { model: test }
mcpServers:
  gh: { command: gh-mcp, env: { GITHUB_PERSONAL_ACCESS_TOKEN: "\${GH_PAT}", LOG_DIR: /var/log/gh } }
  api: { url: "https://api.example/mcp", headers: { Authorization: "Bearer \${API_TOKEN}", X-Client: agents-app } }
tools:
  a: { prompt: hi, tools: [gh, api] }
`,
    { env: { GH_PAT: 'ghp_0123456789abcdef', API_TOKEN: 'tok-0123456789' } },
  );
  assert.equal(redact('ghp_0123456789abcdef /var/log/gh tok-0123456789 agents-app'), '[redacted] /var/log/gh [redacted] agents-app');
});
