/**
 * The child of stages.ts (run with --expose-gc): drives the compiled modules through the stages of
 * a no-op plan and writes, per stage, its time, the heap still reachable after a forced GC and the
 * peak RSS so far to fd 3.
 * Every stage's result is kept alive to the end, as the CLI keeps them.
 */
import { writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = dirname(process.env.BENCH_DIST ?? new URL('../../dist/main.js', import.meta.url).pathname);
const lines = [];
let last = process.hrtime.bigint();
const mark = (stage) => {
  const ms = Number(process.hrtime.bigint() - last) / 1e6;
  globalThis.gc();
  const m = process.memoryUsage();
  const peak = process.resourceUsage().maxRSS / 1024;
  lines.push(`${stage.padEnd(28)} ${String(Math.round(ms)).padStart(6)} ms   heap ${String(Math.round(m.heapUsed / 2 ** 20)).padStart(5)} MB   rss ${String(Math.round(m.rss / 2 ** 20)).padStart(5)} MB   peak rss so far ${String(Math.round(peak)).padStart(5)} MB`);
  last = process.hrtime.bigint();
};
mark('node');
const load = (path) => import(pathToFileURL(join(root, path)).href);
const { main } = await load('main.js');
mark('modules (main.js)');
const { loadConfig } = await load('config/load.js');
const { createApi } = await load('api/client.js');
const { discover } = await load('api/discover.js');
const { LiveIndex } = await load('core/live-index.js');
const { computePlan } = await load('core/compute-plan.js');
const { KINDS } = await load('kinds/index.js');
const { planDocument, renderPlanJson } = await load('render/plan-json.js');
const { renderPlanText } = await load('render/plan-text.js');
const { createStyle } = await load('render/style.js');
mark('modules (plan path)');
const config = await loadConfig([process.argv[2]], process.cwd(), process.env);
mark('config (desired state)');
const env = process.env;
const api = createApi({ agentsync: { baseUrl: env.AGENTSYNC_BASE_URL, tokenUrl: env.AGENTSYNC_TOKEN_URL, clientId: env.AGENTSYNC_CLIENT_ID, clientSecret: env.AGENTSYNC_CLIENT_SECRET } }, { concurrency: 4, scopes: [] });
const live = await discover(api, config.state, 4);
mark('discover (live snapshot)');
const index = new LiveIndex(live, KINDS);
mark('LiveIndex (one more)');
const plan = computePlan(config.state, live, KINDS, { asOf: '2026-11-25' });
mark(`computePlan (${plan.changes.length} changes)`);
const doc = planDocument(plan, { toolVersion: '0', env: 'sandbox', configDigest: '', configPaths: [], targets: [] });
mark('planDocument');
const text = renderPlanText(plan, createStyle(false), { verbose: false });
mark(`text (${text.length} chars)`);
const json = renderPlanJson(doc);
mark(`JSON (${json.length} chars)`);
void main, index;
writeSync(3, `${lines.join('\n')}\n`);
process.exit(0);
