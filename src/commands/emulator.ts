import { resolve } from 'node:path';
import { startEmulator } from '../emulator/server.js';
import { LicenceTableError, readLicenceTable } from '../emulator/licences.js';
import { StateFileError } from '../emulator/store.js';
import { UserError, type Io } from './io.js';

export interface EmulatorCommandOptions {
  port: string;
  host: string;
  state?: string;
  clientId?: string;
  clientSecret?: string;
  tokenTtl: string;
  latency: string;
  rateLimit: string;
  bulkRateLimit?: string;
  pageSize: string;
  maxPageSize: string;
  failRate: string;
  failAfterCommitRate: string;
  rateWindow: string;
  licenses?: string;
}

/** Serve the local API in the foreground until interrupted. */
export async function emulatorCommand(options: EmulatorCommandOptions, io: Io): Promise<number> {
  let emulator;
  try {
    emulator = await startEmulator({
      port: Number(options.port),
      host: options.host,
      stateFile: options.state ? resolve(io.cwd, options.state) : undefined,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      tokenTtl: Number(options.tokenTtl),
      latency: Number(options.latency),
      rateLimit: Number(options.rateLimit),
      bulkRateLimit: options.bulkRateLimit ? Number(options.bulkRateLimit) : undefined,
      pageSize: Number(options.pageSize),
      maxPageSize: Number(options.maxPageSize),
      failRate: Number(options.failRate),
      failAfterCommitRate: Number(options.failAfterCommitRate),
      rateWindowMs: Number(options.rateWindow),
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
