import type { Style } from '../render/style.js';
import type { CheckResult, DoctorReport, Status } from './types.js';

const MARK: Record<Status, string> = { holds: '✓', differs: '✗', 'could-not-check': '?', skipped: '-' };
const WORD: Record<Status, string> = { holds: 'holds', differs: 'differs', 'could-not-check': 'could not check', skipped: 'skipped' };

export function summaryLine(r: DoctorReport): string {
  const s = r.summary;
  return `${s.holds} hold, ${s.differs} differ, ${s['could-not-check']} could not be checked, ${s.skipped} skipped.`;
}

function paint(status: Status, text: string, style: Style): string {
  return status === 'holds' ? style.create(text) : status === 'differs' ? style.error(text) : status === 'could-not-check' ? style.warning(text) : style.note(text);
}

export function renderText(r: DoctorReport, style: Style): string {
  const lines = [style.bold(`downline doctor — ${r.env} (${new URL(r.hosts.api).host})${r.writeProbe ? ', with the write probe' : ''}`), ''];
  let group = '';
  for (const c of r.checks) {
    if (c.group !== group) {
      group = c.group;
      lines.push(style.bold(GROUP_TITLE[group] ?? group));
    }
    lines.push(`  ${paint(c.status, `${MARK[c.status]} ${c.id}`, style)}  ${c.assumption}`);
    lines.push(`      ${c.status === 'holds' ? '' : `${WORD[c.status]}: `}${c.seen}`);
    if (c.status === 'differs') lines.push(`      ${style.note(`decided by ${c.constant}`)}`);
  }
  lines.push(...writesAndLeftovers(r).map((l) => l));
  lines.push('', style.bold(summaryLine(r)));
  return `${lines.join('\n')}\n`;
}

function writesAndLeftovers(r: DoctorReport): string[] {
  const out: string[] = [];
  if (r.writes.length) out.push('', `Writes made (${r.writes.length}):`, ...r.writes.map((w) => `  ${w.method} ${w.path} → ${w.status ?? 'failed'}  (${w.purpose})`));
  if (r.leftovers.length) out.push('', 'Left behind:', ...r.leftovers.map((l) => `  ${l.kind} "${l.name}" (id ${l.id}): ${l.why}`));
  return out;
}

const GROUP_TITLE: Record<string, string> = { connection: 'Connection', contracting: 'Contracting API', hierarchies: 'Hierarchies API', producersync: 'ProducerSync', turris: 'Turris', 'write probe': 'Write probe' };

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(r: DoctorReport): string {
  const row = (c: CheckResult) => `| ${MARK[c.status]} ${WORD[c.status]} | \`${c.id}\` | ${cell(c.assumption)} | ${cell(c.seen)} | ${cell(c.constant)} |`;
  return [
    `### downline doctor (${r.env})`, '', `**${summaryLine(r)}**`, '',
    '| result | check | assumption | seen | decided by |', '| --- | --- | --- | --- | --- |', ...r.checks.map(row),
    ...writesAndLeftovers(r).map((l) => (l.startsWith('  ') ? `- ${l.trim()}` : l)), '',
  ].join('\n');
}

export function renderJson(r: DoctorReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
