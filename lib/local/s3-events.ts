/**
 * What S3 writes for a key in an event notification: URL-encoded, a space as `+`, the slashes as they are
 * (`uploads/hello world é.txt` -> `uploads/hello+world+%C3%A9.txt`). Local S3 servers (s3rver) put the raw key in
 * their events; the local run encodes it the way S3 does, so the function decodes what it will decode in AWS.
 */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

interface LocalS3Event {
  readonly Records: ReadonlyArray<{ readonly s3: { readonly object: { readonly key: string } } }>;
}

/** A local S3 server's event notification with its keys encoded as S3 encodes them (see encodeS3EventKey). */
export function asS3Sends<T extends LocalS3Event>(event: T): T {
  return {
    ...event,
    Records: event.Records.map((record) => ({
      ...record,
      s3: { ...record.s3, object: { ...record.s3.object, key: encodeS3EventKey(record.s3.object.key) } },
    })),
  };
}
