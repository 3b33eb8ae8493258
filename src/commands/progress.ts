import type { ApplyEvent } from '../core/apply-plan.js';
import { visible } from '../render/escape.js';
import { label } from '../render/labels.js';
import type { Output } from './io.js';

import type { Action } from '../core/types.js';

const VERB: Record<Action, string> = { create: 'created', update: 'updated', delete: 'deleted', terminate: 'terminated', noop: 'unchanged' };

/** On a terminal one live status line; elsewhere (CI) one line per finished change. */
export function progressReporter(o: Output, total: number, live: boolean): (event: ApplyEvent) => void {
  let done = 0;
  const started = Date.now();
  return (event) => {
    if (event.type !== 'finish' || !event.result) return;
    done += 1;
    const r = event.result;
    const name = label(event.change);
    if (live) {
      const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
      o.err(`\r\x1b[2K[${done}/${total}] ${r.outcome === 'succeeded' ? VERB[r.action] : r.outcome} ${name} (${rate.toFixed(1)}/s)${done === total ? '\n' : ''}`);
      return;
    }
    const mark = r.outcome === 'succeeded' ? o.style.create('✓') : r.outcome === 'failed' ? o.style.error('✗') : o.style.warning('-');
    const what = r.outcome === 'succeeded' ? VERB[r.action] : r.outcome;
    o.err(`${mark} [${done}/${total}] ${what} ${name}${r.recovered ? o.style.note(` (${r.recovered})`) : ''}${r.error ? `: ${visible(r.error)}` : ''}\n`);
  };
}
