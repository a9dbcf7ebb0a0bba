import cluster from 'node:cluster';
import { ConfigError, loadConfig } from './config/load.ts';
import { createLogger } from './observability/logger.ts';
import { startRoomcast } from './node.ts';
import { runWorkers, workerCount, workersRefused } from './workers.ts';

/** `npm start`: config, then the node (or, with WORKERS, one per core), then signals. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`roomcast: ${err.message}`);
      process.exit(78);
    }
    throw err;
  }
  const log = createLogger(config.log.level);
  const workers = workerCount(config);
  if (cluster.isPrimary && workers > 1) {
    const refused = workersRefused(config, workers);
    if (refused) {
      console.error(`roomcast: ${refused}`);
      process.exit(78);
    }
    return runWorkers(config, workers, log);
  }
  const node = await startRoomcast(config, log);

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error(`still busy after ${config.shutdownTimeoutMs} ms; exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    node.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(`roomcast: failed to start: ${(err as Error).message}`);
  process.exit(1);
});
