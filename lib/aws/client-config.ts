/** What the commands pass to every AWS SDK client: nothing (the standard chain) or, in tests, a fixed region and keys. */
export interface ClientConfig {
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}
