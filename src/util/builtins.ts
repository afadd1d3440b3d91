// Node built-ins that a run may never need, loaded on their first use rather than at start-up: each costs start-up
// time whether it is used or not (node:crypto alone loads some fifteen internal modules).
import { createRequire } from 'node:module';

const nodeRequire = createRequire(process.execPath);

/** A getter that loads the built-in module `id` the first time it is called. */
export function lazyBuiltin<T>(id: `node:${string}`): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= nodeRequire(id) as T);
}
