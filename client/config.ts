import { ENV_FILE, loadConfig as loadCommonConfig, type ChithiConfig, type Env } from '../common/config.js';

export { DATA_DIR, ENV_FILE, ROOT } from '../common/config.js';

/** Where the runtime lives: common/config.ts's settings, the same ones the worker reads. */
export type RuntimeConfig = ChithiConfig;

/**
 * The CLI's configuration: the environment, falling back to what `npm start` wrote to ENV_FILE,
 * so `npx chithi` in a second terminal finds the services without any setup.
 */
export function loadConfig(env: Env, envFile = ENV_FILE): RuntimeConfig {
  return loadCommonConfig(env, { envFile });
}
