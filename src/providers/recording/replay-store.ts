// The recordings of a folder, looked up by normalised request: the example's own file first, then any; the same
// request asked again gets the next recorded answer (repeats), cycling.
import { basename } from 'node:path';
import { type Exchange, type LoadedCassette, readCassettes, type WireProvider } from './cassette.js';
import { describeDifferences, differences, flatten, matchKey, normalise } from './normalise.js';

interface Entry {
  example: string;
  file: string;
  position: number;
  exchange: Exchange;
  key: string;
}

export type Lookup = { exchange: Exchange } | { miss: string };

export class ReplayStore {
  private readonly byKey = new Map<string, Entry[]>();
  private readonly entries: Entry[] = [];
  private readonly used = new Map<string, number>();

  constructor(cassettes: LoadedCassette[]) {
    for (const c of cassettes) {
      c.exchanges.forEach((exchange, i) => {
        const entry = {
          example: c.example,
          file: basename(c.file),
          position: i + 1,
          exchange,
          key: matchKey(normalise(exchange.provider, exchange.request.body)),
        };
        this.entries.push(entry);
        this.byKey.set(entry.key, [...(this.byKey.get(entry.key) ?? []), entry]);
      });
    }
  }

  static load(dir: string): ReplayStore {
    return new ReplayStore(readCassettes(dir));
  }

  get size(): number {
    return this.entries.length;
  }

  find(provider: WireProvider, body: Record<string, unknown>, example: string | undefined): Lookup {
    const normalised = normalise(provider, body);
    const key = matchKey(normalised);
    const all = this.byKey.get(key) ?? [];
    const own = example === undefined ? [] : all.filter((e) => e.example === example);
    const pool = own.length ? own : all;
    if (pool.length) {
      const counter = `${own.length ? example : '*'}\0${key}`;
      const n = this.used.get(counter) ?? 0;
      this.used.set(counter, n + 1);
      return { exchange: pool[n % pool.length]!.exchange };
    }
    return { miss: this.missMessage(provider, normalised, example) };
  }

  private missMessage(provider: WireProvider, normalised: Record<string, unknown>, example: string | undefined): string {
    // The example is named where the miss is reported (the FAIL line of `agent-mcp test`).
    const head = `no recorded ${provider} request matches this one (model, messages, tools, output schema)`;
    const sameProvider = this.entries.filter((e) => e.exchange.provider === provider);
    const own = sameProvider.filter((e) => e.example === example);
    const candidates = own.length ? own : sameProvider;
    if (!candidates.length)
      return `${head}; there is no ${provider} recording${example ? ' for this example' : ''} (record it with --record or --record-missing)`;
    const now = flatten(normalised);
    let best: { entry: Entry; diffs: ReturnType<typeof differences> } | undefined;
    for (const entry of candidates) {
      const diffs = differences(flatten(normalise(provider, entry.exchange.request.body)), now);
      if (!best || diffs.length < best.diffs.length) best = { entry, diffs };
    }
    const { entry, diffs } = best!;
    return `${head}; the nearest recording (${entry.file}, exchange ${entry.position}) differs:\n${describeDifferences(diffs)}`;
  }
}
