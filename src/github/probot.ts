// The Probot instance for a host process: credentials from the environment (APP_ID, PRIVATE_KEY,
// WEBHOOK_SECRET; GHE_HOST/GHE_PROTOCOL for GitHub Enterprise Server), with the app loaded.
import { createProbot, type Options, type Probot } from 'probot';
import { app } from '../app.ts';

export async function loadProbot(
  overrides: Options = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<Probot> {
  // Probot's own default level hides the one-line-per-review log; info is what operators want.
  const probot = createProbot({ overrides, env: { LOG_LEVEL: 'info', ...env } });
  await probot.load(app);
  await probot.ready();
  return probot;
}
