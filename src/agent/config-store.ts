// The config now in force. A reload swaps it and tells the subscribers (each MCP server instance, to notify
// its client); whoever took the old one keeps it.

/** Told after a reload swapped the value. */
export type ChangeListener<T> = (next: T, previous: T) => void;

export class ConfigStore<T> {
  private readonly listeners = new Set<ChangeListener<T>>();

  constructor(private value: T) {}

  get current(): T {
    return this.value;
  }

  set(next: T): void {
    const previous = this.value;
    this.value = next;
    for (const listener of [...this.listeners]) listener(next, previous);
  }

  /** Subscribe to reloads; returns the unsubscribe function. */
  onChange(listener: ChangeListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
