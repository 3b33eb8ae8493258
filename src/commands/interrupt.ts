import type { Api } from '../api/client.js';
import type { HttpClient } from '../api/http.js';
import { Semaphore } from '../core/concurrency.js';
import { UserError } from './io.js';

/**
 * Ctrl-C / SIGTERM, Terraform-style: src/cli.ts turns the first signal into an aborted
 * AbortSignal (reason: the signal's name) and a second one into an immediate exit. Commands stop
 * starting new work, let what is in flight finish, say what was and was not done, and exit 130
 * (SIGINT) or 143 (SIGTERM).
 */
export function interruptExitCode(signal: AbortSignal | undefined): number | undefined {
  if (!signal?.aborted) return undefined;
  return signal.reason === 'SIGTERM' ? 143 : 130;
}

export class Interrupted extends UserError {
  constructor(signal: AbortSignal) {
    super(`interrupted (${String(signal.reason)}): stopped before sending further requests`, interruptExitCode(signal));
  }
}

/**
 * The API as a command sees it, refusing to START a request once interrupted; requests already
 * sent (and the pages of a listing already under way) finish normally, so nothing is cut mid-write.
 * Calls wait here, in a lane as wide as the client's own concurrency, rather than in the client's
 * queue: a call still waiting when the signal comes is refused instead of sent.
 */
export function interruptible(api: Api, signal: AbortSignal | undefined, concurrency: number): Api {
  if (!signal) return api;
  const lanes = { agentsync: new Semaphore(concurrency), turris: new Semaphore(concurrency) };
  const gate = <T>(lane: Semaphore, call: () => Promise<T>): Promise<T> =>
    lane.run(() => (signal.aborted ? Promise.reject(new Interrupted(signal)) : call()));
  const http = (client: HttpClient, lane: Semaphore): HttpClient => ({
    ...client,
    get: <T>(path: string, query?: Record<string, string | number>) => gate(lane, () => client.get<T>(path, query)),
    list: <T>(path: string, key: string, query?: Record<string, string | number>) => gate(lane, () => client.list<T>(path, key, query)),
    send: <T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>) => gate(lane, () => client.send<T>(method, path, body, headers)),
  });
  let turris: HttpClient | undefined;
  return {
    ...api,
    agentsync: http(api.agentsync, lanes.agentsync),
    turris: () => (turris ??= http(api.turris(), lanes.turris)),
    get: (which, path, query) => gate(lanes[which], () => api.get(which, path, query)),
    list: (path, key, query) => gate(lanes.agentsync, () => api.list(path, key, query)),
    send: (op) => gate(lanes[op.api], () => api.send(op)),
  };
}
