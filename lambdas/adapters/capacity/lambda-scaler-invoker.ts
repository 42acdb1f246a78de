import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ScalerInvoker, ScalerRequest, ScalerRun } from '../../domain/capacity/ports.js';

/**
 * Invokes the scaler function: asynchronously (Lambda queues and retries it), or waiting for its
 * run. The request carries the caller's correlation id, so the run logs under it.
 */
export class LambdaScalerInvoker implements ScalerInvoker {
  constructor(
    private readonly scalerFunctionArn: string,
    private readonly client = new LambdaClient({}),
    private readonly correlationId: () => string | undefined = () => undefined,
  ) {}

  async runSoon(request: ScalerRequest): Promise<void> {
    const out = await this.client.send(
      new InvokeCommand({
        FunctionName: this.scalerFunctionArn,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(correlated(request, this.correlationId))),
      }),
    );
    // 202 = queued; anything else means Lambda did not take it.
    if (out.StatusCode !== 202)
      throw new Error(`Lambda did not queue the scaler run (status ${out.StatusCode}).`);
  }

  async run(request: ScalerRequest): Promise<ScalerRun> {
    const out = await this.client.send(
      new InvokeCommand({
        FunctionName: this.scalerFunctionArn,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(correlated(request, this.correlationId))),
      }),
    );
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
    if (out.FunctionError) {
      // The payload is Lambda's error document: {errorType, errorMessage, trace}.
      const detail = parseJson(text) as { errorType?: unknown; errorMessage?: unknown } | undefined;
      const message = typeof detail?.errorMessage === 'string' ? detail.errorMessage : text || 'no detail';
      throw new Error(`The scaler failed (${out.FunctionError}): ${message}`);
    }
    return asScalerRun(parseJson(text), 'Lambda');
  }
}

/** The request with the caller's correlation id, unless it names one already. */
export function correlated(request: ScalerRequest, correlationId: () => string | undefined): ScalerRequest {
  const id = request.correlationId ?? correlationId();
  return id ? { ...request, correlationId: id } : request;
}

/** A ScalerRun from a response body, or an Error naming where it came from. */
export function asScalerRun(value: unknown, from: string): ScalerRun {
  const run = value as Partial<ScalerRun> | undefined;
  if (
    !run ||
    typeof run !== 'object' ||
    typeof run.at !== 'string' ||
    !Array.isArray(run.calls) ||
    typeof run.applied !== 'number'
  ) {
    throw new Error(`${from} returned something that is not a scaler run.`);
  }
  return run as ScalerRun;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
