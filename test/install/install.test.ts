// `agent-mcp install`: each client against a temporary HOME or project folder that already holds other entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  lstatSync,
  statSync,
  chmodSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN, ROOT, cleanEnv, runCli, runInProcess, writeConfig } from '../helpers/cli.ts';
import { isPublishedCopy } from '../../src/install/launch.ts';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SPEC = `agent-mcp@${VERSION}`;

const YAML = `server: { name: poet-server }
models:
  fast: { provider: anthropic, model: claude-haiku-4-5 }
  offline: { provider: test }
defaults: { model: [fast, offline] }
tools:
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
`;

/** A fresh HOME (and project folder inside it), the agents file, and the env the CLI runs with. */
function setup(yaml = YAML, extraEnv: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), 'agent-mcp-home-'));
  const project = join(home, 'project');
  mkdirSync(project);
  const file = writeConfig(yaml);
  const env = cleanEnv({ HOME: home, AGENT_MCP_PLATFORM: 'linux', ...extraEnv });
  delete env.XDG_CONFIG_HOME;
  delete env.APPDATA;
  return { home, project, file, env };
}

function write(path: string, data: unknown): string {
  mkdirSync(dirname(path), { recursive: true });
  const text = typeof data === 'string' ? data : JSON.stringify(data, null, 2) + '\n';
  writeFileSync(path, text);
  return text;
}

const TEST_ONLY =
  'warning: tool poet: only the test model of its chain can answer here (canned replies, not real ones): fast: ANTHROPIC_API_KEY is not set\n';
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const npxEntry = (file: string) => ({ command: 'npx', args: ['-y', SPEC, 'serve', file] });
const EXISTING = {
  globalShortcut: 'Alt+Space',
  mcpServers: {
    files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
    git: { command: 'uvx', args: ['mcp-server-git'] },
  },
};

test('claude-desktop on Linux: merged into ~/.config/Claude, other servers and keys kept, a backup of the old file', async () => {
  const { home, project, file, env } = setup();
  const path = join(home, '.config/Claude/claude_desktop_config.json');
  const before = write(path, EXISTING);
  const r = await runInProcess(['install', '--npx', 'claude-desktop', file], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(read(path), { ...EXISTING, mcpServers: { ...EXISTING.mcpServers, 'poet-server': npxEntry(file) } });
  assert.equal(readFileSync(`${path}.bak`, 'utf8'), before);
  assert.equal(
    r.stdout,
    [
      `Added server "poet-server" in Claude Desktop: ${path}`,
      `Previous file kept as ${path}.bak`,
      `It runs: npx -y ${SPEC} serve ${file}`,
      'Environment variables the file uses: ANTHROPIC_API_KEY',
      `  not set in this shell: ANTHROPIC_API_KEY (set and rerun with --with-env, or add them under "env" in ${path})`,
      'Restart Claude Desktop (quit it fully) to load the server.',
      '',
    ].join('\n'),
  );
  // Nobody should take the test model's echo for a real answer.
  assert.equal(r.stderr, TEST_ONLY);
});

test('claude-desktop: each OS its own location (macOS Library, Windows %APPDATA%, XDG_CONFIG_HOME); a new file gets no backup', async () => {
  const { home, project, file, env } = setup();
  const cases: [Record<string, string>, string][] = [
    [{ AGENT_MCP_PLATFORM: 'darwin' }, join(home, 'Library/Application Support/Claude/claude_desktop_config.json')],
    [{ AGENT_MCP_PLATFORM: 'win32', APPDATA: join(home, 'Roaming') }, join(home, 'Roaming/Claude/claude_desktop_config.json')],
    [{ AGENT_MCP_PLATFORM: 'linux', XDG_CONFIG_HOME: join(home, 'xdg') }, join(home, 'xdg/Claude/claude_desktop_config.json')],
  ];
  for (const [extra, path] of cases) {
    const r = await runInProcess(['install', '--npx', 'claude-desktop', file], { env: { ...env, ...extra }, cwd: project });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith(`Added server "poet-server" in Claude Desktop: ${path}\nIt runs: `), r.stdout);
    const servers = read(path).mcpServers as Record<string, { command: string; args: string[] }>;
    // Windows clients spawn without a shell: npx (a .cmd there) goes through cmd /c.
    const expected =
      extra.AGENT_MCP_PLATFORM === 'win32' ? { command: 'cmd', args: ['/c', 'npx', '-y', SPEC, 'serve', file] } : npxEntry(file);
    assert.deepEqual(servers, { 'poet-server': expected });
    assert.equal(existsSync(`${path}.bak`), false);
  }
});

test('an entry of the same name: exit 2 and nothing changed without --force; replaced in place with it', async () => {
  const { home, project, file, env } = setup();
  const path = join(home, '.config/Claude/claude_desktop_config.json');
  const existing = { mcpServers: { a: { command: 'a' }, 'poet-server': { command: 'old', args: [] }, z: { command: 'z' } } };
  const before = write(path, existing);

  const refused = await runInProcess(['install', '--npx', 'claude-desktop', file], { env, cwd: project });
  assert.equal(refused.code, 2);
  assert.equal(refused.stdout, '');
  assert.equal(
    refused.stderr,
    `${TEST_ONLY}${path} already has a server named "poet-server"; nothing was changed. Use --force to replace it, or --name to add this one under another name.\n`,
  );
  assert.equal(readFileSync(path, 'utf8'), before);
  assert.equal(existsSync(`${path}.bak`), false);

  const forced = await runInProcess(['install', '--npx', 'claude-desktop', file, '--force'], { env, cwd: project });
  assert.equal(forced.code, 0, forced.stderr);
  assert.ok(forced.stdout.startsWith(`Replaced server "poet-server" in Claude Desktop: ${path}\n`), forced.stdout);
  const servers = read(path).mcpServers as Record<string, unknown>;
  assert.deepEqual(Object.keys(servers), ['a', 'poet-server', 'z']);
  assert.deepEqual(servers['poet-server'], npxEntry(file));
  assert.equal(readFileSync(`${path}.bak`, 'utf8'), before);

  // The same entry again is no conflict: nothing to do.
  const again = await runInProcess(['install', '--npx', 'claude-desktop', file], { env, cwd: project });
  assert.equal(again.code, 0);
  assert.equal(again.stdout.split('\n')[0], `Claude Desktop already has this "poet-server" server: ${path} (nothing changed)`);

  const renamed = await runInProcess(['install', '--npx', 'claude-desktop', file, '--name', 'poems'], { env, cwd: project });
  assert.equal(renamed.code, 0, renamed.stderr);
  assert.deepEqual(Object.keys(read(path).mcpServers as object), ['a', 'poet-server', 'z', 'poems']);
});

test('--print shows the resulting file on stdout and writes nothing (not even a folder)', async () => {
  const { home, project, file, env } = setup();
  const path = join(home, '.config/Claude/claude_desktop_config.json');
  const before = write(path, EXISTING);
  const r = await runInProcess(['install', '--npx', 'claude-desktop', file, '--print'], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    JSON.stringify({ ...EXISTING, mcpServers: { ...EXISTING.mcpServers, 'poet-server': npxEntry(file) } }, null, 2) + '\n',
  );
  assert.equal(r.stderr.split('\n')[1], `(--print: ${path} was not changed)`);
  assert.equal(readFileSync(path, 'utf8'), before);
  assert.equal(existsSync(`${path}.bak`), false);

  const cursor = await runInProcess(['install', '--npx', 'cursor', file, '--print'], { env, cwd: project });
  assert.equal(cursor.code, 0, cursor.stderr);
  assert.deepEqual(JSON.parse(cursor.stdout), { mcpServers: { 'poet-server': npxEntry(file) } });
  assert.equal(existsSync(join(project, '.cursor')), false);
});

test('--with-env writes the values of the variables the file uses; without it only their names are listed', async () => {
  const yaml = `server: { name: env-server }
models:
  gw: { provider: openai, model: gpt-4.1-mini, baseURL: "https://gw.example/v1", apiKey: "\${GATEWAY_KEY}", headers: { x-team: "\${TEAM:-core}" } }
  mini: { provider: openai, model: gpt-4.1-mini }
  local: { provider: openai, model: llama3.2, baseURL: "http://127.0.0.1:11434/v1" }
defaults: { model: [gw, mini, local] }
tools:
  t: { prompt: hi }
`;
  const { home, project, file, env } = setup(yaml, { GATEWAY_KEY: 'gk-value-1', OPENAI_API_KEY: 'sk-openai-value', UNRELATED: 'x' });
  const path = join(project, '.cursor/mcp.json');

  const plain = await runInProcess(['install', '--npx', 'cursor', file], { env, cwd: project });
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual(read(path), { mcpServers: { 'env-server': npxEntry(file) } });
  assert.ok(
    plain.stdout.includes(
      'Environment variables the file uses: GATEWAY_KEY, OPENAI_API_KEY, TEAM\n' +
        `  set in this shell, not written: GATEWAY_KEY, OPENAI_API_KEY (rerun with --with-env to write their values, or add them under "env" in ${path})\n` +
        "  not set, the file's default applies: TEAM\n",
    ),
    plain.stdout,
  );
  assert.ok(!plain.stdout.includes('gk-value-1') && !plain.stdout.includes('sk-openai-value'));

  const withEnv = await runInProcess(['install', '--npx', 'cursor', file, '--with-env', '--force'], { env, cwd: project });
  assert.equal(withEnv.code, 0, withEnv.stderr);
  assert.deepEqual(read(path), {
    mcpServers: { 'env-server': { ...npxEntry(file), env: { GATEWAY_KEY: 'gk-value-1', OPENAI_API_KEY: 'sk-openai-value' } } },
  });
  void home;
});

test('a variable set only in the .env beside the file is left to the server, which reads that .env itself', async () => {
  const yaml = 'models:\n  m: { provider: openai, model: x, apiKey: "${DOT_KEY}" }\ntools:\n  t: { prompt: hi, model: m }\n';
  const { project, file, env } = setup(yaml);
  writeFileSync(join(dirname(file), '.env'), 'DOT_KEY=from-dotenv\n');
  const r = await runInProcess(['install', '--npx', 'vscode', file, '--with-env', '--print'], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { servers: { 'agent-mcp': { type: 'stdio', ...npxEntry(file) } } });
  assert.ok(r.stderr.includes('  read by the server from the .env beside the file: DOT_KEY\n'), r.stderr);
});

test('a variable the file needs but this shell lacks does not stop the install: it is reported as not set', async () => {
  const yaml = 'models:\n  m: { provider: openai, model: x, apiKey: "${MISSING_KEY}" }\ntools:\n  t: { prompt: hi, model: [m, test] }\n';
  const { project, file, env } = setup(yaml);
  const r = await runInProcess(['install', '--npx', 'cursor', file, '--with-env'], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  const path = join(project, '.cursor/mcp.json');
  assert.deepEqual(read(path), { mcpServers: { 'agent-mcp': npxEntry(file) } }); // no empty env block
  assert.ok(
    r.stdout.includes(
      `Environment variables the file uses: MISSING_KEY\n  not set in this shell: MISSING_KEY (set and rerun with --with-env, or add them under "env" in ${path})\n`,
    ),
    r.stdout,
  );
});

test("cursor: the project's .cursor/mcp.json, or ~/.cursor/mcp.json with --global", async () => {
  const { home, project, file, env } = setup();
  const local = join(project, '.cursor/mcp.json');
  write(local, { mcpServers: { other: { url: 'http://127.0.0.1:9/mcp' } } });
  const r = await runInProcess(['install', '--npx', 'cursor', file], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(read(local), { mcpServers: { other: { url: 'http://127.0.0.1:9/mcp' }, 'poet-server': npxEntry(file) } });
  assert.ok(existsSync(`${local}.bak`));

  const g = await runInProcess(['install', '--npx', 'cursor', file, '--global'], { env, cwd: project });
  assert.equal(g.code, 0, g.stderr);
  assert.deepEqual(read(join(home, '.cursor/mcp.json')), { mcpServers: { 'poet-server': npxEntry(file) } });
});

test('vscode: .vscode/mcp.json in its own "servers" format, inputs kept; the user profile with --global', async () => {
  const { home, project, file, env } = setup();
  const path = join(project, '.vscode/mcp.json');
  const inputs = [{ type: 'promptString', id: 'key', description: 'API key', password: true }];
  write(path, { inputs, servers: { other: { type: 'http', url: 'https://example.com/mcp' } } });
  const r = await runInProcess(['install', '--npx', 'vscode', file], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(read(path), {
    inputs,
    servers: { other: { type: 'http', url: 'https://example.com/mcp' }, 'poet-server': { type: 'stdio', ...npxEntry(file) } },
  });

  const g = await runInProcess(['install', '--npx', 'vscode', file, '--global'], {
    env: { ...env, AGENT_MCP_PLATFORM: 'darwin' },
    cwd: project,
  });
  assert.equal(g.code, 0, g.stderr);
  assert.deepEqual(read(join(home, 'Library/Application Support/Code/User/mcp.json')), {
    servers: { 'poet-server': { type: 'stdio', ...npxEntry(file) } },
  });
});

test('claude-code: prints the `claude mcp add` command (scope, -e with --with-env) and writes nothing', async () => {
  const { home, project, file, env } = setup(YAML, { ANTHROPIC_API_KEY: "sk-ant it's" });
  const r = await runInProcess(['install', '--npx', 'claude-code', file], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `claude mcp add --transport stdio --scope local poet-server -- npx -y ${SPEC} serve ${file}\n`);
  assert.equal(
    r.stderr,
    'Environment variables the file uses: ANTHROPIC_API_KEY\n' +
      '  set in this shell, not written: ANTHROPIC_API_KEY (rerun with --with-env to write their values, or add -e NAME=value to the command)\n',
  );
  const g = await runInProcess(['install', '--npx', 'claude-code', file, '--global', '--with-env', '--name', 'my poet'], {
    env,
    cwd: project,
  });
  assert.equal(g.code, 0, g.stderr);
  assert.equal(
    g.stdout,
    `claude mcp add --transport stdio --scope user -e 'ANTHROPIC_API_KEY=sk-ant it'\\''s' 'my poet' -- npx -y ${SPEC} serve ${file}\n`,
  );
  assert.equal(existsSync(join(home, '.claude.json')), false);
  assert.equal(existsSync(join(project, '.mcp.json')), false);
});

test('--no-npx: this node and this agent-mcp by absolute path', async () => {
  const { project, file, env } = setup();
  const r = await runInProcess(['install', 'cursor', file, '--no-npx', '--print'], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    mcpServers: { 'poet-server': { command: process.execPath, args: [realpathSync(BIN), 'serve', file] } },
  });
});

test('a relative file is written as an absolute path', async () => {
  const { project, file, env } = setup();
  writeFileSync(join(project, 'agents.yaml'), readFileSync(file));
  const r = await runInProcess(['install', '--npx', 'claude-desktop', '--print'], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { mcpServers: { 'poet-server': npxEntry(join(project, 'agents.yaml')) } });
});

test('malformed JSON in the existing file: FILE:LINE:COL, exit 2, the entry to add by hand, nothing overwritten', async () => {
  const { project, file, env } = setup();
  const path = join(project, '.vscode/mcp.json');
  const before = write(path, '{\n  "servers": {\n    "a": { "command": "a" }\n    "b": {}\n  }\n}\n');
  const r = await runInProcess(['install', '--npx', 'vscode', file, '--force'], { env, cwd: project });
  assert.equal(r.code, 2);
  const entry = JSON.stringify({ 'poet-server': { type: 'stdio', ...npxEntry(file) } }, null, 2);
  assert.equal(
    r.stderr,
    `${TEST_ONLY}${path}:4:5: "," expected (the file is not valid JSON with comments); nothing was changed.\nAdd this entry under "servers" by hand:\n${entry}\n`,
  );
  assert.equal(readFileSync(path, 'utf8'), before);
  assert.equal(existsSync(`${path}.bak`), false);

  // Claude Desktop reads plain JSON: a comment there is a mistake, located too.
  const { home } = setup();
  const desktop = join(home, '.config/Claude/claude_desktop_config.json');
  write(desktop, '{\n  // mine\n  "mcpServers": {}\n}\n');
  const strict = await runInProcess(['install', '--npx', 'claude-desktop', file], { env: { ...env, HOME: home }, cwd: project });
  assert.equal(strict.code, 2);
  assert.ok(
    strict.stderr.startsWith(
      `${TEST_ONLY}${desktop}:2:3: a comment (not allowed in this file) (the file is not valid JSON); nothing was changed.\n`,
    ),
    strict.stderr,
  );

  write(path, '{"servers": ["not", "a", "map"]}');
  const wrongShape = await runInProcess(['install', '--npx', 'vscode', file], { env, cwd: project });
  assert.equal(wrongShape.code, 2);
  assert.ok(wrongShape.stderr.startsWith(`${TEST_ONLY}${path}: "servers" is not an object; nothing was changed.\n`), wrongShape.stderr);
});

test('vscode: mcp.json is JSON with comments: edited in place, comments, trailing commas and indentation kept', async () => {
  const { project, file, env } = setup();
  const path = join(project, '.vscode/mcp.json');
  const before =
    '{\n\t// my servers\n\t"servers": {\n\t\t"other": { "type": "http", "url": "https://example.com/mcp" }, // the team\'s\n\t},\n}\n';
  write(path, before);
  const r = await runInProcess(['install', '--npx', 'vscode', file], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  const entry = [
    '"poet-server": {',
    '\t"type": "stdio",',
    '\t"command": "npx",',
    '\t"args": [',
    `\t\t"-y",`,
    `\t\t"${SPEC}",`,
    '\t\t"serve",',
    `\t\t"${file}"`,
    '\t]',
    '}',
  ];
  assert.equal(
    readFileSync(path, 'utf8'),
    '{\n\t// my servers\n\t"servers": {\n\t\t"other": { "type": "http", "url": "https://example.com/mcp" }, // the team\'s\n' +
      entry.map((l) => `\t\t${l}`).join('\n') +
      ',\n\t},\n}\n',
  );
  assert.equal(readFileSync(`${path}.bak`, 'utf8'), before);
});

test('project-scope vscode and cursor entries name paths inside the workspace as ${workspaceFolder}; --global and Claude Desktop keep them absolute', async () => {
  const { home, project, env } = setup();
  mkdirSync(join(project, 'agents'));
  const inside = join(project, 'agents/poet.yaml');
  writeFileSync(inside, YAML);
  const spec = ['-y', SPEC, 'serve', '${workspaceFolder}/agents/poet.yaml'];
  const vscode = await runInProcess(['install', '--npx', 'vscode', 'agents/poet.yaml'], { env, cwd: project });
  assert.equal(vscode.code, 0, vscode.stderr);
  assert.deepEqual(read(join(project, '.vscode/mcp.json')), { servers: { 'poet-server': { type: 'stdio', command: 'npx', args: spec } } });
  assert.ok(vscode.stdout.includes("\nIt runs: npx -y agent-mcp@0.1.0 serve '${workspaceFolder}/agents/poet.yaml'\n"), vscode.stdout);
  const cursor = await runInProcess(['install', '--npx', 'cursor', inside, '--print'], { env, cwd: project });
  assert.deepEqual(JSON.parse(cursor.stdout), { mcpServers: { 'poet-server': { command: 'npx', args: spec } } });

  const global = await runInProcess(['install', '--npx', 'cursor', inside, '--print', '--global'], { env, cwd: project });
  assert.deepEqual(JSON.parse(global.stdout), { mcpServers: { 'poet-server': npxEntry(inside) } });
  const desktop = await runInProcess(['install', '--npx', 'claude-desktop', inside, '--print'], { env, cwd: project });
  assert.deepEqual(JSON.parse(desktop.stdout), { mcpServers: { 'poet-server': npxEntry(inside) } });
  void home;
});

test('from a copy that is not the published package (this clone), the entry runs this copy by absolute path, and says so', async () => {
  const { project, file, env } = setup();
  const r = await runInProcess(['install', 'claude-desktop', file, '--print'], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    mcpServers: { 'poet-server': { command: process.execPath, args: [realpathSync(BIN), 'serve', file] } },
  });
  assert.equal(
    r.stderr.split('\n')[0],
    `note: this agent-mcp (${realpathSync(BIN)}) is not the published package, so the entry runs it by absolute path with this node; --npx writes the npx form instead`,
  );
});

test('which copies count as published: from the registry (npm, npx, a global install), not a clone, a tarball or a dev version', () => {
  const root = mkdtempSync(join(tmpdir(), 'agent-mcp-copies-'));
  const copy = (where: string, resolved?: string) => {
    const modules = join(root, where, 'node_modules');
    mkdirSync(join(modules, 'agent-mcp/bin'), { recursive: true });
    if (resolved !== undefined)
      writeFileSync(
        join(modules, '.package-lock.json'),
        JSON.stringify({ packages: { 'node_modules/agent-mcp': { version: '0.1.0', resolved } } }),
      );
    return join(modules, 'agent-mcp/bin/agent-mcp.js');
  };
  assert.equal(isPublishedCopy(copy('registry', 'https://registry.npmjs.org/agent-mcp/-/agent-mcp-0.1.0.tgz'), '0.1.0'), true);
  assert.equal(isPublishedCopy(copy('global'), '0.1.0'), true);
  assert.equal(isPublishedCopy(copy('tarball', 'file:../agent-mcp-0.1.0.tgz'), '0.1.0'), false);
  assert.equal(isPublishedCopy(copy('registry', 'https://registry.npmjs.org/agent-mcp/-/agent-mcp-0.1.0.tgz'), '0.0.0-dev'), false);
  assert.equal(isPublishedCopy(join(root, 'clone/bin/agent-mcp.js'), '0.1.0'), false);
  assert.equal(isPublishedCopy(realpathSync(BIN), VERSION), false);
});

test('a symlinked config stays a symlink and keeps its permissions', async () => {
  const { home, project, file, env } = setup();
  const real = join(home, 'dotfiles/claude.json');
  write(real, EXISTING);
  chmodSync(real, 0o600);
  const path = join(home, '.config/Claude/claude_desktop_config.json');
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(real, path);
  const r = await runInProcess(['install', '--npx', 'claude-desktop', file], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(path).isSymbolicLink());
  assert.equal(statSync(real).mode & 0o777, 0o600);
  assert.deepEqual(Object.keys(read(real).mcpServers as object), ['files', 'git', 'poet-server']);
});

test('an invalid agents file is never installed: located errors, exit 2', async () => {
  const { home, project, env } = setup();
  const file = writeConfig('tools:\n  poet: { promt: hi }\n');
  const r = await runInProcess(['install', '--npx', 'claude-desktop', file], { env, cwd: project });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /agents\.yaml:2:\d+: .*promt/);
  assert.equal(existsSync(join(home, '.config/Claude')), false);
});

test('bad usage: an unknown client, exit 2', async () => {
  const r = await runCli(['install', 'emacs'], { env: cleanEnv() });
  assert.equal(r.code, 2);
  assert.ok(
    r.stderr.startsWith(
      "error: command-argument value 'emacs' is invalid for argument 'client'. Allowed choices are claude-desktop, cursor, vscode, claude-code.\n",
    ),
    r.stderr,
  );
});
