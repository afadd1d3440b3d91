// Shared by the task tests: a served config in process (the 2025 era over the SDK's in-memory transport), the fake
// OpenAI server the `slow` model talks to (its requests hang until the run is cancelled), and small helpers.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigFile } from '../../src/config/load.ts';
import { Logger } from '../../src/log.ts';
import { buildServer } from '../../src/server/build.ts';
import { TaskRuntime } from '../../src/server/task-runtime.ts';
import { writeConfig } from '../helpers/cli.ts';

export const taskConfig = (openaiUrl: string, extra = '') => `
server:
  tasks: { resultTtl: 10m, pollInterval: 500ms, maxTasks: 5, maxResultBytes: 2kb, resultWait: 40s }
models:
  slow: { provider: openai, model: gpt-slow, baseURL: "${openaiUrl}", apiKey: sk-test-tasks-1234567, maxRetries: 0 }
  quick: { provider: test, responses: ["a quick answer"] }
  big: { provider: test, responses: ["${'x'.repeat(3000)}"] }
tools:
  research:
    description: Research a topic
    prompt: research {{topic}}
    input: { topic: { type: string } }
    model: quick
    task: optional
  long:
    prompt: take long on {{topic}}
    input: { topic: { type: string } }
    model: slow
    task: { mode: required, plainTools: true }
  huge:
    prompt: say a lot
    model: big
    task: optional
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    model: sampling
    task: optional
  plain:
    prompt: hello
    model: quick
${extra}`;

export interface Served {
  runtime: Runtime;
  tasks: TaskRuntime;
  client: Client;
  close(): Promise<void>;
}

const quiet = () => new Logger({ level: 'error', format: 'text', write: () => {} });

/** One server connection in process, in the 2025 era (versionNegotiation legacy) or the modern one. */
export async function serveInProcess(yaml: string, options: { era?: '2025' | '2026-07-28'; capabilities?: Record<string, unknown> } = {}): Promise<Served> {
  const log = quiet();
  const runtime = new Runtime(loadConfigFile(writeConfig(yaml)), { log });
  const tasks = TaskRuntime.inMemory(runtime, log);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const served = serveStdio(({ era }) => buildServer({ runner: runtime, log, tasks }, era), { transport: serverSide });
  const era = options.era ?? '2025';
  const client = new Client(
    { name: 'task-tests', version: '1.0.0' },
    {
      capabilities: (options.capabilities ?? { sampling: {} }) as never,
      versionNegotiation: { mode: era === '2025' ? 'legacy' : { pin: era } },
    },
  );
  await client.connect(clientSide);
  return {
    runtime,
    tasks,
    client,
    async close() {
      await client.close();
      await served.close();
      await tasks.close();
      await runtime.close();
    },
  };
}
