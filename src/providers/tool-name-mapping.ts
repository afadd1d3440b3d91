// Tool names as the provider APIs accept them. A tool of agents.yaml may be named `notes.search` (MCP allows
// dots and 128 characters); OpenAI and Anthropic accept ^[a-zA-Z0-9_-]{1,64}$. Names are mapped both ways.

const API_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export class ToolNames {
  private readonly toApi = new Map<string, string>();
  private readonly fromApi = new Map<string, string>();

  constructor(names: readonly string[]) {
    // Names the APIs accept keep themselves; the others get a sanitized name no valid one uses.
    for (const name of names) if (API_NAME.test(name)) this.set(name, name);
    for (const name of names) {
      if (this.toApi.has(name)) continue;
      let api = sanitize(name);
      for (let i = 2; this.fromApi.has(api); i++) api = `${sanitize(name).slice(0, 60)}_${i}`;
      this.set(name, api);
    }
  }

  private set(name: string, api: string): void {
    this.toApi.set(name, api);
    this.fromApi.set(api, name);
  }

  /** The name to send for a tool of the file. */
  api(name: string): string {
    return this.toApi.get(name) ?? name;
  }

  /** The tool of the file a provider's call names (unknown names pass through, so the loop can report them). */
  local(apiName: string): string {
    return this.fromApi.get(apiName) ?? apiName;
  }

  /** A name of the adapter's own that no tool of the file maps to. */
  free(base: string): string {
    let name = base;
    for (let i = 2; this.fromApi.has(name); i++) name = `${base}_${i}`;
    return name;
  }
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'tool';
}
