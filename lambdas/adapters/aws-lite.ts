import awsLite from '@aws-lite/client';

export type AwsLite = Awaited<ReturnType<typeof awsLite>>;
export type AwsLiteConfig = Parameters<typeof awsLite>[0];

/**
 * An aws-lite client made on first use and shared after that; a failed start is forgotten, so the
 * next call tries again instead of failing for the life of the instance. Plugins are never
 * autoloaded: each adapter names the ones it uses, which keeps them in (and only them in) its bundle.
 */
export function lazyAwsLite(config: AwsLiteConfig): () => Promise<AwsLite> {
  let client: Promise<AwsLite> | undefined;
  return () =>
    (client ??= awsLite({ ...config, autoloadPlugins: false } as AwsLiteConfig).catch((error: unknown) => {
      client = undefined;
      throw error;
    }));
}
