import * as z from 'zod';

/**
 * The console's runtime settings, read from `config.json` beside `index.html`: written from the
 * stack's outputs at deploy time (lib/constructs/web-app.ts) and by `npm start` locally, so one build
 * serves every stage.
 */
export const ConsoleConfig = z.object({
  /** Origin of the API (the distribution); empty: the console's own origin. */
  apiUrl: z.string(),
  /** The admin user pool and the console's app client; `userPoolEndpoint` only for the local stand-in. */
  auth: z.object({
    userPoolId: z.string().min(1),
    userPoolClientId: z.string().min(1),
    userPoolEndpoint: z.string().optional(),
  }),
  /** Local only: where the dev sign-in page creates users with the roles and channels it picks. */
  devUsersUrl: z.string().optional(),
  /** Where the live view's player connects (the same values the connection info hands out). */
  realtime: z.object({ graphqlUrl: z.string(), realtimeUrl: z.string(), apiKey: z.string() }).optional(),
  /** The stage's name, shown in the header so nobody bans a viewer in prod thinking it is dev. */
  stage: z.string().default('local'),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;
/** What a deployment writes (CDK, `npm start`). */
export type ConsoleConfigInput = z.input<typeof ConsoleConfig>;

export async function loadConfig(url = './config.json'): Promise<ConsoleConfig> {
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return ConsoleConfig.parse(await response.json());
}
