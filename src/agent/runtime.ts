// What a served config runs on: the config store (reload), the provider registry, the toolsets built for the
// config, the shared call deadlines, and close(). server/ and commands/ hold one Runtime per process.
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';
import { ProviderRegistry } from '../providers/registry.js';
import { ConfigStore } from './config-store.js';
import { Deadlines } from './deadlines.js';
import { deliverable } from './deliverable.js';
import { LocalAgents } from './local-agents.js';
import type { AgentOutcome, RunContext, RunSnapshot } from './run.js';
import type { Toolset } from './toolset.js';

/** One config and the toolsets built for it. A call keeps the one it started on, nested calls included. */
export interface Loaded {
  readonly config: Config;
  readonly agents: LocalAgents;
  /** Every toolset an agent's `tools:` entries resolve against, the local agents first. */
  readonly toolsets: readonly Toolset[];
}

/** Told after a reload swapped the config (each MCP server instance subscribes to notify its client). */
export type ConfigListener = (next: Config, previous: Config) => void;

export interface RuntimeOptions {
  log: Logger;
  /** Where providers come from (tests pass one with options, e.g. a recording fetch). */
  registry?: ProviderRegistry;
  /** The toolsets built for each config besides its local agents (one per `mcpServers:` entry). */
  toolsets?: (config: Config) => Toolset[];
}

export class Runtime {
  readonly registry: ProviderRegistry;
  readonly deadlines = new Deadlines();
  readonly log: Logger;
  private readonly extraToolsets: ((config: Config) => Toolset[]) | undefined;
  private readonly store: ConfigStore<Loaded>;
  private closed = false;
  /** Every toolset built so far: one a reload replaced may still serve a call in flight, so close() ends them all. */
  private readonly built = new Set<Toolset>();
  /** What runs on this Runtime and must end before its toolsets do (the task runtime of in-process servers). */
  private readonly closers: Array<() => Promise<void>> = [];

  constructor(config: Config, options: RuntimeOptions) {
    this.log = options.log;
    this.registry = options.registry ?? new ProviderRegistry();
    this.extraToolsets = options.toolsets;
    this.store = new ConfigStore(this.load(config));
  }

  /** The config and toolsets now in force. */
  get loaded(): Loaded {
    return this.store.current;
  }

  get current(): Config {
    return this.store.current.config;
  }

  /** Swap in a reloaded config; calls in flight finish on the one they started with. */
  setConfig(config: Config): void {
    this.store.set(this.load(config));
  }

  /** Subscribe to reloads; returns the unsubscribe function. */
  onConfigChange(listener: ConfigListener): () => void {
    return this.store.onChange((next, previous) => listener(next.config, previous.config));
  }

  /**
   * A tool call from a client, on the config in force now: what it gets back is checked on its way out. With
   * `resume`, a run suspended by a 2026-07-28 round trip continues where it stopped (RunSuspended: it stopped again).
   */
  async call(name: string, args: unknown, ctx: RunContext, resume?: RunSnapshot): Promise<AgentOutcome> {
    return deliverable(await this.store.current.agents.run(name, args, ctx, resume));
  }

  /** Close `closer` with this Runtime, before its toolsets (at once when already closed). */
  onClose(closer: () => Promise<void>): void {
    if (this.closed) void closer();
    else this.closers.push(closer);
  }

  /** End what runs on it, then release what the toolsets hold; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.closers.splice(0).map((close) => close()));
    await Promise.allSettled([...this.built].map((t) => t.close?.()));
    this.built.clear();
  }

  private load(config: Config): Loaded {
    const toolsets: Toolset[] = [];
    const agents = new LocalAgents(config, { registry: this.registry, deadlines: this.deadlines, toolsets });
    toolsets.push(agents, ...(this.extraToolsets?.(config) ?? []));
    for (const t of toolsets) this.built.add(t);
    return { config, agents, toolsets };
  }
}
