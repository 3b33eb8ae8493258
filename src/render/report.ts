import type { ChangeResult } from '../core/apply-plan.js';
import { visible } from './escape.js';
import type { Style } from './style.js';

export const REPORT_FORMAT_VERSION = 1;

export type ReportStatus = 'applied' | 'interrupted' | 'no-changes' | 'blocked' | 'refused';

export interface ApplyReport {
  formatVersion: typeof REPORT_FORMAT_VERSION;
  tool: 'downline';
  toolVersion: string;
  env: string;
  /** `applied` (writes were sent), `interrupted` (Ctrl-C / SIGTERM: what was not started is skipped; see `reasons`), `no-changes`, `blocked` (a delete limit), or `refused` (nothing was sent; see `reasons`). */
  status: ReportStatus;
  reasons: string[];
  summary: { succeeded: number; failed: number; skipped: number; created: number; updated: number; deleted: number; terminated: number };
  results: ChangeResult[];
  inviteLinks: Array<{ address: string; inviteLink: string }>;
  /** How many invite links were left out (`--show-invite-links` includes them). */
  inviteLinksHidden: number;
}

/**
 * Invite links are onboarding credentials (AgentSync e-mails them to the producer): they are left
 * out of the report and the summary unless `showInviteLinks` asks for them.
 */
export function applyReport(results: ChangeResult[], meta: { toolVersion: string; env: string; status: ReportStatus; reasons?: string[]; showInviteLinks?: boolean }): ApplyReport {
  const ok = results.filter((r) => r.outcome === 'succeeded');
  const shown: ChangeResult[] = meta.showInviteLinks ? results : results.map(({ inviteLink: _hidden, ...rest }) => rest);
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    tool: 'downline',
    toolVersion: meta.toolVersion,
    env: meta.env,
    status: meta.status,
    reasons: meta.reasons ?? [],
    summary: {
      succeeded: ok.length,
      failed: results.filter((r) => r.outcome === 'failed').length,
      skipped: results.filter((r) => r.outcome === 'skipped').length,
      created: ok.filter((r) => r.action === 'create').length,
      updated: ok.filter((r) => r.action === 'update').length,
      deleted: ok.filter((r) => r.action === 'delete').length,
      terminated: ok.filter((r) => r.action === 'terminate').length,
    },
    results: shown,
    inviteLinks: shown.filter((r) => r.inviteLink).map((r) => ({ address: r.address, inviteLink: r.inviteLink! })),
    inviteLinksHidden: meta.showInviteLinks ? 0 : results.filter((r) => r.inviteLink).length,
  };
}

export function renderApplySummary(report: ApplyReport, style: Style): string {
  const s = report.summary;
  const lines: string[] = [];
  for (const r of report.results.filter((x) => x.outcome !== 'succeeded')) {
    lines.push(`${r.outcome === 'failed' ? style.error('failed') : style.warning('skipped')}: ${visible(`${r.address}: ${r.error ?? ''}`)}`);
  }
  for (const link of report.inviteLinks) lines.push(visible(`invite link for ${link.address}: ${link.inviteLink}`));
  if (report.inviteLinksHidden > 0) lines.push(style.note(`${report.inviteLinksHidden} invite link(s) not shown: they are onboarding credentials, and AgentSync e-mails each to its producer (--show-invite-links prints them and puts them in the report).`));
  const head = report.status === 'interrupted' ? style.error('Apply interrupted') : s.failed > 0 || s.skipped > 0 ? style.error('Apply incomplete') : style.create('Apply complete');
  lines.push(`${head}: ${s.created} created, ${s.updated} updated, ${s.deleted} deleted, ${s.terminated ? `${s.terminated} terminated, ` : ''}${s.failed} failed, ${s.skipped} skipped.`);
  // Skipped without a failure means interrupted: what to do then is said where the signal is reported.
  if (s.failed > 0) lines.push(style.note('Fix the failures and run apply again: it picks up where this run stopped.'));
  return `${lines.join('\n')}\n`;
}
