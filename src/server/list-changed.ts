// After a reload, tell one server's client which lists changed. Every Server instance subscribes on its own
// (the stdio one, each HTTP session's), so a reload reaches every connected client alike.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ToolRunner } from '../agent/tool-runner.js';
import type { Config } from '../config/types.js';

export interface ListDescribers {
  tools: (config: Config) => unknown;
  prompts: (config: Config) => unknown;
}

export function notifyListChanges(server: Server, runner: ToolRunner, lists: ListDescribers): void {
  const unsubscribe = runner.onConfigChange((next, previous) => {
    // Initialized once, transport gone: the session ended without onclose reaching us (someone replaced it).
    if (!server.transport) {
      if (server.getClientVersion()) unsubscribe();
      return;
    }
    if (!server.getClientVersion()) return; // not initialized yet: it will list what is current
    // Only what a client would see differently: a changed prompt template alone changes no list.
    const changed = (describe: (c: Config) => unknown) => JSON.stringify(describe(next)) !== JSON.stringify(describe(previous));
    if (changed(lists.tools)) void server.sendToolListChanged().catch(() => {});
    if (changed(lists.prompts)) void server.sendPromptListChanged().catch(() => {});
  });
  const onclose = server.onclose;
  server.onclose = () => {
    unsubscribe();
    onclose?.();
  };
}
