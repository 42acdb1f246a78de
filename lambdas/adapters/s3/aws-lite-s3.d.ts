/** `@aws-lite/s3` exports no types of its own (`@aws-lite/s3-types` augments the client); the adapter calls it through its own typed interface. */
declare module '@aws-lite/s3' {
  const plugin: unknown;
  export default plugin;
}
