// The file's task keys: `tools.NAME.task` and `server.tasks`, resolved with their defaults, and refused with located
// messages when wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../src/config/load.ts';
import { DEFAULT_TASK_SETTINGS } from '../../src/config/types.ts';
import { ConfigError } from '../../src/errors.ts';

const load = (yaml: string) => loadConfigText('/x/agents.yaml', yaml, { env: {} });
const tool = (task: string, extra = '') => `tools:\n  poet:\n    model: test\n    prompt: hi\n    task: ${task}\n${extra}`;

test('task: optional | required | { mode, plainTools }, and server.tasks with its defaults', () => {
  assert.deepEqual(load(tool('optional')).tools.get('poet')!.task, { mode: 'optional', plainTools: false });
  assert.deepEqual(load(tool('{ mode: required, plainTools: true }')).tools.get('poet')!.task, { mode: 'required', plainTools: true });
  assert.equal(load('tools:\n  poet:\n    model: test\n    prompt: hi\n').tools.get('poet')!.task, undefined);
  assert.deepEqual(load(tool('required')).server.tasks, DEFAULT_TASK_SETTINGS);
  assert.deepEqual(DEFAULT_TASK_SETTINGS, {
    resultTtlMs: 3_600_000,
    maxResultBytes: 1_048_576,
    pollIntervalMs: 2000,
    maxTasks: 1000,
    resultWaitMs: 50_000,
  });
  const set = load(
    `server:\n  tasks: { resultTtl: 10m, maxResultBytes: 64kb, pollInterval: 1s, maxTasks: 20, resultWait: 25s }\n${tool('required')}`,
  );
  assert.deepEqual(set.server.tasks, {
    resultTtlMs: 600_000,
    maxResultBytes: 65_536,
    pollIntervalMs: 1000,
    maxTasks: 20,
    resultWaitMs: 25_000,
  });
});

const broken: [string, string][] = [
  [tool('sometimes'), '5:11: tools.poet.task: expected optional, required or { mode: required, plainTools: true }, got "sometimes"'],
  [
    tool('{ mode: optional, plainTools: true }'),
    '5:29: tools.poet.task.plainTools: plainTools only goes with mode: required (a client that knows no tasks calls an optional tool plainly)',
  ],
  [
    tool('{ mode: required, plainTools: true }', '  poet_result:\n    model: test\n    prompt: hi\n'),
    '5:29: tools.poet.task.plainTools: tool "poet_result" already exists: rename it or drop plainTools',
  ],
  [tool('{ mode: required, plainTool: true }'), '5:29: tools.poet.task: unknown key "plainTool" (did you mean "plainTools"?)'],
  [`server:\n  tasks: { maxTasks: 0 }\n${tool('optional')}`, '2:22: server.tasks.maxTasks: must be at least 1, got number 0'],
  [
    `server:\n  tasks: { resultTtl: soon }\n${tool('optional')}`,
    '2:23: server.tasks.resultTtl: expected a duration such as 90s or 5m, got "soon"',
  ],
  [
    `server:\n  tasks: { maxResultBytes: lots }\n${tool('optional')}`,
    '2:28: server.tasks.maxResultBytes: not a size: "lots" (use e.g. 4mb, 512kb)',
  ],
];

for (const [yaml, expected] of broken) {
  test(`refused: ${expected.slice(expected.indexOf(' ') + 1, 60)}`, () => {
    assert.throws(
      () => load(yaml),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.equal(err.message, `/x/agents.yaml:${expected}`);
        return true;
      },
    );
  });
}
