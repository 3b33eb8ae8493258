import { resolve } from 'node:path';
import type { Plan } from '../core/types.js';
import { output, type CommonOptions, type Io } from './io.js';
import { renderPlan } from './plan.js';
import { readSavedPlan } from './saved-plan.js';

/** `downline show PLANFILE`: a saved plan as a reviewer reads it (text, markdown, json); offline. */
export async function showCommand(file: string, options: CommonOptions & { drift?: boolean }, io: Io): Promise<number> {
  const o = output(io, options);
  const doc = await readSavedPlan(file, resolve(io.cwd, file));
  const plan: Plan = { changes: doc.changes, unmanaged: doc.unmanaged, uncomparable: doc.uncomparable, diagnostics: doc.diagnostics };
  o.out(renderPlan(plan, doc, o, options));
  o.err(`Saved plan for --env ${doc.env} from ${doc.configPaths.join(', ')}${doc.targets.length ? ` (targets: ${doc.targets.join(', ')})` : ''}; downline ${doc.toolVersion}.\n`);
  return doc.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
