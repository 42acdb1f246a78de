/** `@aws-lite/dynamodb` ships no types; the client module calls it through its own typed interface. */
declare module '@aws-lite/dynamodb' {
  const plugin: unknown;
  export default plugin;
}
