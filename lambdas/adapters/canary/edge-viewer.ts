import { createBackoff } from '../../../client/backoff.js';
import { ChatClientError, type Fetch } from '../../../client/http.js';
import { Poller } from '../../../client/poller.js';
import { sendComment } from '../../../client/sender.js';
import type { EdgeViewer } from '../../domain/canary/ports.js';
import { commentsPath, roomPath } from '../../domain/paths.js';

export interface SdkEdgeViewerOptions {
  /** The edge: CloudFront's URL in AWS, the local edge's locally. Never the origin. */
  readonly baseUrl: string;
  /** @default globalThis.fetch */
  readonly fetch?: Fetch;
}

/**
 * The canary as a viewer on the comment path, with the viewer SDK's own code: its poster
 * (client/sender.ts: idempotent retries with the same clientMessageId) and its poll loop
 * (client/poller.ts: `live` by tick, gaps read from segments), through the edge.
 */
export class SdkEdgeViewer implements EdgeViewer {
  private readonly fetch: Fetch;

  constructor(private readonly options: SdkEdgeViewerOptions) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async post(
    roomId: string,
    comment: { readonly text: string; readonly clientMessageId: string; readonly token: string },
    signal: AbortSignal,
  ): Promise<string> {
    try {
      const stored = await sendComment(
        {
          fetch: this.withSignal(signal),
          postUrl: `${this.options.baseUrl}${commentsPath(roomId)}`,
          getToken: async () => comment.token,
          backoff: createBackoff({ baseMs: 200, maxMs: 1_000 }),
          maxAttempts: 3,
        },
        comment.text,
        comment.clientMessageId,
      );
      return stored.id;
    } catch (error) {
      if (signal.aborted) throw new Error('the post got no answer in time');
      throw new Error(`the post was refused: ${describe(error)}`);
    }
  }

  pollUntilShown(roomId: string, commentId: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      let documents = 0;
      let lastError: string | undefined;
      const done = (outcome: () => void) => {
        poller.stop();
        signal.removeEventListener('abort', abort);
        outcome();
      };
      const poller = new Poller(
        {
          fetch: this.withSignal(signal),
          roomUrl: `${this.options.baseUrl}${roomPath(roomId)}`,
          // At the start of each tick: the first moment a document holding the comment can exist.
          random: () => 0,
          now: Date.now,
          backoff: createBackoff({ baseMs: 250, maxMs: 1_000 }),
          maxBackfillMs: 60_000,
          history: { items: 0, maxMs: 0 },
          paused: () => false,
        },
        {
          document(live, backfill) {
            documents++;
            const shown = [live, ...backfill].some((d) => d.comments.some((c) => c.id === commentId));
            if (shown) done(resolve);
          },
          state() {},
          error(error) {
            lastError = describe(error);
          },
        },
      );
      function abort() {
        done(() =>
          reject(
            new Error(
              `comment ${commentId} did not show in ${documents} polled document(s)` +
                (lastError ? ` (last error ${lastError})` : ''),
            ),
          ),
        );
      }
      if (signal.aborted) return abort();
      signal.addEventListener('abort', abort, { once: true });
      poller.start();
    });
  }

  /** Every request of one step ends when the step's time is up. */
  private withSignal(signal: AbortSignal): Fetch {
    return (input, init) => this.fetch(input, { ...init, signal });
  }
}

function describe(error: unknown): string {
  if (error instanceof ChatClientError) {
    return `${error.code}${error.status ? ` (${error.status})` : ''}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
