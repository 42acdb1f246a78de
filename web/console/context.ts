import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Principal } from '../../lambdas/domain/access/roles.js';
import type { AdminClient } from './api.js';
import type { ConsoleConfig } from './config.js';

/** What every screen gets: the settings, the API client and who is signed in. */
export interface ConsoleContext {
  readonly config: ConsoleConfig;
  readonly api: AdminClient;
  readonly me: Principal;
}

export const Console = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext {
  const value = useContext(Console);
  if (!value) throw new Error('useConsole outside the signed-in console');
  return value;
}
