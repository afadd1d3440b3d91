// What `agent-mcp test` prints: a line per case in declaration order (`ok poet #1`, `FAIL poet #2: ...`) and the
// summary alone on the last line. On a terminal a status line below them shows the cases running, in place.
import { formatCost, formatMs, formatTokens } from './cost.js';
import type { CaseOutcome, TestCase } from './runner.js';

export interface ReportStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const CLEAR_LINE = '\r\x1b[K';

/** `4/5 passed, 120 tokens, $0.0031`: what a case did besides pass or fail (nothing for a single unmetered run). */
export function figures(o: CaseOutcome): string {
  const parts: string[] = [];
  if (o.runs > 1) parts.push(`${o.passes}/${o.runs} passed`);
  const tokens = o.usage ? o.usage.inputTokens + o.usage.outputTokens : 0;
  if (tokens > 0) parts.push(formatTokens(o.usage));
  if (o.cost !== undefined && (tokens > 0 || o.cost > 0)) parts.push(formatCost(o.cost));
  return parts.join(', ');
}

export function caseLine(o: CaseOutcome): string {
  const fig = figures(o);
  const head = `${o.case.label}${fig ? ` [${fig}]` : ''}`;
  return o.status === 'passed' ? `ok ${head}` : `FAIL ${head}: ${o.messages.join('; ')}`;
}

/** The grader's verdicts, indented under the case line. */
export function verdictLines(o: CaseOutcome): string[] {
  const list = o.verdicts ?? [];
  return list.map((v, i) => `  judge${list.length > 1 ? ` ${i + 1}/${list.length}` : ''}: ${v}`);
}

export function summaryLine(outcomes: CaseOutcome[]): string {
  const passed = outcomes.filter((o) => o.status === 'passed').length;
  return `${passed} passed, ${outcomes.length - passed} failed`;
}

/** `total: 126 tokens (100 in, 26 out), $0.0004` (and the time on a terminal); undefined when nothing used a model. */
export function totalLine(outcomes: CaseOutcome[], totalMs?: number): string | undefined {
  const usage = { inputTokens: 0, outputTokens: 0 };
  let cost: number | undefined;
  for (const o of outcomes) {
    usage.inputTokens += o.usage?.inputTokens ?? 0;
    usage.outputTokens += o.usage?.outputTokens ?? 0;
    if (o.cost !== undefined) cost = (cost ?? 0) + o.cost;
  }
  if (usage.inputTokens + usage.outputTokens === 0 && !cost) return undefined;
  const tokens = `${formatTokens(usage)} (${usage.inputTokens} in, ${usage.outputTokens} out)`;
  return `total: ${tokens}${cost !== undefined ? `, ${formatCost(cost)}` : ''}${totalMs !== undefined ? `, ${formatMs(totalMs)}` : ''}`;
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

  /** The totals (when a model was used), then the summary alone on the last line. Times only on a terminal: plain
   * output stays the same on every run (JUnit has the times). */
  summary(outcomes: CaseOutcome[], totalMs?: number): void {
    this.clearStatus();
    const total = totalLine(outcomes, this.tty ? totalMs : undefined);
    this.out.write(`${total ? `${total}\n` : ''}${summaryLine(outcomes)}\n`);
  }

  private decorate(o: CaseOutcome): string {
    const line = caseLine(o);
    const verdicts = verdictLines(o)
      .map((v) => `\n${v}`)
      .join('');
    if (!this.tty) return line + verdicts;
    const time = ` (${formatMs(o.ms)})`;
    if (!this.color) return line + time + verdicts;
    const [head, rest] = o.status === 'passed' ? ['ok', line.slice(2)] : ['FAIL', line.slice(4)];
    return `${o.status === 'passed' ? '\x1b[32m' : '\x1b[31m'}${head}\x1b[0m${rest}\x1b[2m${time}\x1b[0m${verdicts}`;
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
