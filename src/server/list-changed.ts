// After a reload, tell one server's client which lists changed. Every Server instance subscribes on its own
// (the stdio one, each HTTP session's), so a reload reaches every connected client alike. A modern-era instance
// sends them too: the serving entry routes them to the client's open `subscriptions/listen` streams.
import type { Server } from '@modelcontextprotocol/server';
import type { Runtime } from '../agent/runtime.js';
import type { Config } from '../config/types.js';

export interface ListDescribers {
  tools: (config: Config) => unknown;
  prompts: (config: Config) => unknown;
}

export function notifyListChanges(server: Server, runner: Runtime, lists: ListDescribers, era: 'legacy' | 'modern' = 'legacy'): void {
  const unsubscribe = runner.onConfigChange((next, previous) => {
    const initialized = era === 'modern' || server.getClientVersion() !== undefined;
    // Initialized once, transport gone: the session ended without onclose reaching us (someone replaced it).
    if (!server.transport) {
      if (initialized) unsubscribe();
      return;
    }
    if (!initialized) return; // not initialized yet: it will list what is current
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
