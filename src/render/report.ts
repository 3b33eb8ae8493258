import type { ChangeResult } from '../core/apply-plan.js';
import { visible } from './escape.js';
import type { Style } from './style.js';

export const REPORT_FORMAT_VERSION = 1;

export interface ApplyReport {
  formatVersion: typeof REPORT_FORMAT_VERSION;
  tool: 'downline';
  toolVersion: string;
  env: string;
  summary: { succeeded: number; failed: number; skipped: number; created: number; updated: number; deleted: number };
  results: ChangeResult[];
  inviteLinks: Array<{ address: string; inviteLink: string }>;
}

export function applyReport(results: ChangeResult[], meta: { toolVersion: string; env: string }): ApplyReport {
  const ok = results.filter((r) => r.outcome === 'succeeded');
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    tool: 'downline',
    ...meta,
    summary: {
      succeeded: ok.length,
      failed: results.filter((r) => r.outcome === 'failed').length,
      skipped: results.filter((r) => r.outcome === 'skipped').length,
      created: ok.filter((r) => r.action === 'create').length,
      updated: ok.filter((r) => r.action === 'update').length,
      deleted: ok.filter((r) => r.action === 'delete').length,
    },
    results,
    inviteLinks: results.filter((r) => r.inviteLink).map((r) => ({ address: r.address, inviteLink: r.inviteLink! })),
  };
}

export function renderApplySummary(report: ApplyReport, style: Style): string {
  const s = report.summary;
  const lines: string[] = [];
  for (const r of report.results.filter((x) => x.outcome !== 'succeeded')) {
    lines.push(`${r.outcome === 'failed' ? style.error('failed') : style.warning('skipped')}: ${visible(`${r.address}: ${r.error ?? ''}`)}`);
  }
  for (const link of report.inviteLinks) lines.push(visible(`invite link for ${link.address}: ${link.inviteLink}`));
  const head = s.failed > 0 || s.skipped > 0 ? style.error('Apply incomplete') : style.create('Apply complete');
  lines.push(`${head}: ${s.created} created, ${s.updated} updated, ${s.deleted} deleted, ${s.failed} failed, ${s.skipped} skipped.`);
  if (s.failed > 0 || s.skipped > 0) lines.push(style.note('Fix the failures and run apply again: it picks up where this run stopped.'));
  return `${lines.join('\n')}\n`;
}
