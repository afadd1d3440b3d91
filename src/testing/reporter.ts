// What `agent-mcp test` prints: a line per case in declaration order (`ok poet #1`, `FAIL poet #2: ...`) and the
// summary alone on the last line. On a terminal a status line below them shows the cases running, in place.
import type { CaseOutcome, TestCase } from './runner.js';

export interface ReportStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const CLEAR_LINE = '\r\x1b[K';

export function caseLine(o: CaseOutcome): string {
  return o.status === 'passed' ? `ok ${o.case.label}` : `FAIL ${o.case.label}: ${o.messages.join('; ')}`;
}

export function summaryLine(outcomes: CaseOutcome[]): string {
  const passed = outcomes.filter((o) => o.status === 'passed').length;
  return `${passed} passed, ${outcomes.length - passed} failed`;
}

export class Reporter {
  private readonly outcomes: (CaseOutcome | undefined)[];
  private readonly running = new Set<number>();
  private printed = 0;
  private statusShown = false;
  private readonly tty: boolean;
  private readonly color: boolean;

  constructor(
    private readonly out: ReportStream,
    private readonly cases: TestCase[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.outcomes = new Array(cases.length);
    this.tty = out.isTTY === true;
    this.color = this.tty && !env.NO_COLOR;
  }

  start(index: number): void {
    this.running.add(index);
    this.redraw([]);
  }

  done(outcome: CaseOutcome, index: number): void {
    this.running.delete(index);
    this.outcomes[index] = outcome;
    // Declaration order, so plain output is the same on every run whatever the concurrency.
    const lines: string[] = [];
    while (this.printed < this.cases.length && this.outcomes[this.printed]) lines.push(this.decorate(this.outcomes[this.printed++]!));
    this.redraw(lines);
  }

  summary(outcomes: CaseOutcome[]): void {
    this.clearStatus();
    this.out.write(`${summaryLine(outcomes)}\n`);
  }

  private decorate(o: CaseOutcome): string {
    const line = caseLine(o);
    if (!this.tty) return line;
    const time = ` (${o.ms < 1000 ? `${o.ms} ms` : `${(o.ms / 1000).toFixed(1)} s`})`;
    if (!this.color) return line + time;
    const [head, rest] = o.status === 'passed' ? ['ok', line.slice(2)] : ['FAIL', line.slice(4)];
    return `${o.status === 'passed' ? '\x1b[32m' : '\x1b[31m'}${head}\x1b[0m${rest}\x1b[2m${time}\x1b[0m`;
  }

  private clearStatus(): void {
    if (this.statusShown) this.out.write(CLEAR_LINE);
    this.statusShown = false;
  }

  /** Print finished lines, then (on a terminal) the status line again below them. */
  private redraw(lines: string[]): void {
    if (!this.tty) {
      if (lines.length) this.out.write(lines.map((l) => `${l}\n`).join(''));
      return;
    }
    this.clearStatus();
    if (lines.length) this.out.write(lines.map((l) => `${l}\n`).join(''));
    if (!this.running.size) return;
    const finished = this.outcomes.filter(Boolean).length;
    const names = [...this.running]
      .sort((a, b) => a - b)
      .map((i) => this.cases[i]!.label)
      .join(', ');
    const width = Math.max(20, (this.out.columns || 80) - 1);
    let status = `running ${finished}/${this.cases.length}: ${names}`;
    if (status.length > width) status = `${status.slice(0, width - 1)}…`;
    this.out.write(this.color ? `\x1b[2m${status}\x1b[0m` : status);
    this.statusShown = true;
  }
}
