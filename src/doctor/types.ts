/**
 * `doctor` reports one result per check: the assumption holds, differs (with what was seen), could
 * not be checked (and why), or was skipped because it needs `--write-probe`.
 */
export type Status = 'holds' | 'differs' | 'could-not-check' | 'skipped';

export interface Outcome {
  status: Status;
  /** What was seen (holds / differs) or why nothing could be seen. No secrets, tokens or personal data. */
  seen: string;
}

export interface CheckResult extends Outcome {
  id: string;
  group: string;
  /** The assumption, in a sentence. */
  assumption: string;
  /** Where the client decides it: the constant (and file) a maintainer changes when it differs. */
  constant: string;
}

export interface DoctorReport {
  formatVersion: 1;
  tool: 'downline';
  toolVersion: string;
  env: string;
  hosts: { api: string; token: string };
  writeProbe: boolean;
  summary: Record<Status, number>;
  checks: CheckResult[];
  /** Writes the probe made, in order (method, path with ids, status). */
  writes: Array<{ method: string; path: string; purpose: string; status: number | null }>;
  /** Probe objects the probe could not remove. */
  leftovers: Array<{ kind: string; id: string; name: string; why: string }>;
}

export const holds = (seen: string): Outcome => ({ status: 'holds', seen });
export const differs = (seen: string): Outcome => ({ status: 'differs', seen });
export const cannot = (seen: string): Outcome => ({ status: 'could-not-check', seen });
export const skipped = (seen: string): Outcome => ({ status: 'skipped', seen });
