import { resolve } from 'node:path';
import { startEmulator } from '../emulator/server.js';
import { LicenceTableError, readLicenceTable } from '../emulator/licences.js';
import { StateFileError } from '../emulator/store.js';
import { UserError, type Io } from './io.js';

export interface EmulatorCommandOptions {
  port: number;
  host: string;
  state?: string;
  clientId?: string;
  clientSecret?: string;
  tokenTtl: number;
  latency: number;
  rateLimit: number;
  bulkRateLimit?: number;
  pageSize: number;
  maxPageSize: number;
  failRate: number;
  failAfterCommitRate: number;
  rateWindow: number;
  listLag: number;
  licenses?: string;
}

/** Serve the local API in the foreground until interrupted. */
export async function emulatorCommand(options: EmulatorCommandOptions, io: Io): Promise<number> {
  let emulator;
  try {
    emulator = await startEmulator({
      port: options.port,
      host: options.host,
      stateFile: options.state ? resolve(io.cwd, options.state) : undefined,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      tokenTtl: options.tokenTtl,
      latency: options.latency,
      rateLimit: options.rateLimit,
      bulkRateLimit: options.bulkRateLimit,
      pageSize: options.pageSize,
      maxPageSize: options.maxPageSize,
      failRate: options.failRate,
      failAfterCommitRate: options.failAfterCommitRate,
      rateWindowMs: options.rateWindow,
      listLagMs: options.listLag,
      ...(options.licenses ? { licences: readLicenceTable(resolve(io.cwd, options.licenses)) } : {}),
    });
  } catch (cause) {
    if (cause instanceof StateFileError || cause instanceof LicenceTableError) throw new UserError(cause.message);
    throw cause;
  }
  const c = emulator.credentials;
  io.stdout.write([
    `downline emulator listening on ${emulator.url}`,
    `  AGENTSYNC_BASE_URL=${emulator.baseUrl}`,
    `  AGENTSYNC_TOKEN_URL=${emulator.tokenUrl}`,
    `  AGENTSYNC_CLIENT_ID=${c.clientId}`,
    `  AGENTSYNC_CLIENT_SECRET=${c.clientSecret}   (the emulator's own test credential)`,
    `  TURRIS_BASE_URL=${emulator.turrisUrl}`,
    `  TURRIS_CLIENT_ID=${c.turrisClientId}`,
    `  TURRIS_CLIENT_SECRET=${c.turrisClientSecret}`,
    `  AGENTSYNC_PRODUCERSYNC_URL=${emulator.producersyncUrl}`,
    `  state: ${options.state ? resolve(io.cwd, options.state) : '(memory only)'}`,
    `  licences: ${options.licenses ? `${resolve(io.cwd, options.licenses)} (NPNs not listed are licensed everywhere)` : 'every NPN licensed everywhere'}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'));
  await (io.interrupted ?? new Promise<void>(() => {}));
  await emulator.close();
  io.stdout.write('emulator stopped\n');
  return 0;
}
