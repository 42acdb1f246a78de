import './styles.css';
import { render } from 'preact';
import { App } from './app.js';
import { createConsoleAuth } from './auth.js';
import { loadConfig } from './config.js';

const root = document.getElementById('console')!;
try {
  const config = await loadConfig();
  render(<App config={config} auth={createConsoleAuth(config.auth)} />, root);
} catch (error) {
  root.textContent = `The console could not start: ${(error as Error).message}. Reload the page; if it persists, the deployment's config.json is missing or wrong.`;
}
