// Test outcomes as JUnit XML (the format CI systems read): one <testsuite> per tool, one <testcase> per example.
import { figures, verdictLines } from './reporter.js';
import type { CaseOutcome } from './runner.js';

/** Characters XML 1.0 cannot carry at all, even escaped. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const MAX_BODY_CHARS = 16_000;

export function escapeXmlText(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes, and whitespace a parser would otherwise normalize to spaces. */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function bounded(text: string): string {
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}… (${text.length - MAX_BODY_CHARS} more characters)` : text;
}

/** Runs, tokens, cost and the grader's verdicts, where there are any. */
function systemOut(o: CaseOutcome): string | undefined {
  const lines = [figures(o), ...verdictLines(o).map((v) => v.trim())].filter(Boolean);
  return lines.length ? `      <system-out>${escapeXmlText(bounded(lines.join('\n')))}</system-out>` : undefined;
}

function testcase(o: CaseOutcome, suite: string): string {
  const open = `    <testcase name="${escapeXmlAttr(o.case.label)}" classname="${escapeXmlAttr(suite)}" time="${seconds(o.ms)}"`;
  const out = systemOut(o);
  if (o.status === 'passed') return out ? [`${open}>`, out, '    </testcase>'].join('\n') : `${open}/>`;
  const tag = o.status === 'failed' ? 'failure' : 'error';
  const body = o.messages.join('\n') + (o.text !== undefined ? `\n\nresult:\n${o.text}` : '');
  return [
    `${open}>`,
    `      <${tag} message="${escapeXmlAttr(o.messages[0] ?? o.status)}" type="${tag === 'failure' ? 'AssertionError' : 'Error'}">${escapeXmlText(bounded(body))}</${tag}>`,
    ...(out ? [out] : []),
    '    </testcase>',
  ].join('\n');
}

export interface JUnitOptions {
  /** The name of the whole run (the agents file). */
  name: string;
  startedAt: Date;
  totalMs: number;
}

export function toJUnitXml(outcomes: CaseOutcome[], options: JUnitOptions): string {
  const byTool = new Map<string, CaseOutcome[]>();
  for (const o of outcomes) byTool.set(o.case.tool, [...(byTool.get(o.case.tool) ?? []), o]);
  const count = (list: CaseOutcome[], status: CaseOutcome['status']) => list.filter((o) => o.status === status).length;
  const timestamp = options.startedAt.toISOString().slice(0, 19);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXmlAttr(options.name)}" tests="${outcomes.length}" failures="${count(outcomes, 'failed')}" errors="${count(outcomes, 'error')}" time="${seconds(options.totalMs)}">`,
  ];
  for (const [tool, list] of byTool) {
    const ms = list.reduce((sum, o) => sum + o.ms, 0);
    lines.push(
      `  <testsuite name="${escapeXmlAttr(tool)}" tests="${list.length}" failures="${count(list, 'failed')}" errors="${count(list, 'error')}" skipped="0" time="${seconds(ms)}" timestamp="${timestamp}">`,
      ...list.map((o) => testcase(o, tool)),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
