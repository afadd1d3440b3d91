// A real terminal for interactive commands: tmux runs the CLI in a pseudo-terminal of a fixed size; tests send
// keystrokes and read the screen as a user sees it (capture-pane), not the raw byte stream.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Why terminal tests cannot run here (no tmux), or undefined. CI installs tmux (.ci/run). */
export const terminalSkip: string | false =
  spawnSync('tmux', ['-V']).status === 0 ? false : 'tmux is not installed (apt-get install tmux); the terminal tests need it';

export class Terminal {
  private readonly socket = `agent-mcp-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  /** Where the wrapper shell writes the command's exit code (tmux 3.3 marks a pane dead but may never fill in its status). */
  private readonly statusDir = mkdtempSync(join(tmpdir(), 'agent-mcp-term-'));

  constructor(command: string[], options: { cwd: string; env: Record<string, string>; columns?: number; rows?: number }) {
    const env = Object.entries(options.env).map(([k, v]) => `${k}=${v}`);
    this.tmux(
      'new-session',
      '-d',
      '-s',
      'dev',
      '-x',
      String(options.columns ?? 120),
      '-y',
      String(options.rows ?? 40),
      '-c',
      options.cwd,
      'env',
      '-i',
      ...env,
      // The shell traps Ctrl+C (so the trap resets to the default in the command, which gets the signal as usual) and
      // waits for the command, then records its exit code.
      'sh',
      '-c',
      'trap : INT; "$@"; echo $? > "$0"',
      join(this.statusDir, 'status'),
      ...command,
    );
    // Keep the pane after the command ends, so its last screen can still be read.
    this.tmux('set-option', '-t', 'dev', 'remain-on-exit', 'on');
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** Type text (literally), or press keys by tmux name (Tab, Enter, C-d). */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'dev', '-l', text);
  }
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'dev', ...keys);
  }

  /** The visible screen, trailing blank lines dropped. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'dev', '-S', '-200').replace(/\n+$/, '');
  }

  /** Wait until the screen shows `pattern` (polling; the test's own timeout bounds it). */
  async waitFor(pattern: RegExp | string, timeoutMs = 20_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() > until) throw new Error(`the screen never showed ${pattern}:\n${screen}`);
      await sleep(50);
    }
  }

  /** The command's exit code once it ended (128 + N when signal N ended it), else undefined. */
  exitStatus(): number | undefined {
    const file = join(this.statusDir, 'status');
    const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    return text ? Number(text) : undefined;
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.statusDir, { recursive: true, force: true });
  }
}
