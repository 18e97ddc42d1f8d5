import {
  decideRecord, decodeKey, DEFAULT_CONTENT_TYPE, eventRecords, eventType, InvalidRecordError, padSequencer, rawKeyOf,
  uploadRecord,
} from '../../lambda/uploads/uploads';
import { encodeEventKey, s3Event, s3EventRecord, S3RecordOptions, s3TestEvent } from '../helpers/s3-event';

// The uploads function's rules, without AWS: event shapes, key decoding, sequencer order, the stored record.
const PREFIX = 'uploads/';
const SAMPLE: S3RecordOptions = {
  bucket: 'amzn-s3-demo-bucket',
  key: 'uploads/HappyFace.jpg',
  size: 1024,
  eTag: 'd41d8cd98f00b204e9800998ecf8427e',
  sequencer: '0055AED6DCD90281E5',
};

/** The documented sample record with one field of s3.object (or s3.bucket.name) replaced or, for undefined, removed. */
function sampleWith(field: 'key' | 'size' | 'eTag' | 'sequencer' | 'bucket', value: unknown): unknown {
  const record = s3EventRecord(SAMPLE) as unknown as {
    s3: { object: Record<string, unknown>; bucket: Record<string, unknown> };
  };
  const target = field === 'bucket' ? record.s3.bucket : record.s3.object;
  const name = field === 'bucket' ? 'name' : field;
  if (value === undefined) delete target[name];
  else target[name] = value;
  return record;
}

const processed = (record: unknown) => {
  const decision = decideRecord(record, PREFIX);
  if (decision.action !== 'process') throw new Error(
    `expected the record to be processed, got ${JSON.stringify(decision)}`,
  );
  return decision.object;
};

describe('decodeKey', () => {
  test.each([
    ['a plus sign as a space', 'uploads/my+photo.jpg', 'uploads/my photo.jpg'],
    ['%2B as a plus sign', 'uploads/1%2B1.txt', 'uploads/1+1.txt'],
    ['%20 as a space', 'uploads/my%20photo.jpg', 'uploads/my photo.jpg'],
    ['%C3%A9 as é (UTF-8)', 'uploads/caf%C3%A9.txt', 'uploads/café.txt'],
    ['%2F as a slash', 'uploads%2Fa.txt', 'uploads/a.txt'],
    ['+ and %2B side by side as " +"', 'uploads/a+%2B+b', 'uploads/a + b'],
    ['an emoji (4 UTF-8 bytes)', 'uploads/%F0%9F%98%80.png', 'uploads/😀.png'],
    ['a key without escapes as it is', 'uploads/plain-name_1.txt', 'uploads/plain-name_1.txt'],
  ])('decodes %s', (_name, encoded, key) => {
    expect(decodeKey(encoded)).toBe(key);
  });

  test('decodes what S3 encodes, for a key with a space, non-ASCII characters and a plus sign', () => {
    const key = 'uploads/résumé 2026 (final)+v2 日本.txt';
    expect(encodeEventKey(key)).toBe('uploads/r%C3%A9sum%C3%A9+2026+(final)%2Bv2+%E6%97%A5%E6%9C%AC.txt');
    expect(decodeKey(encodeEventKey(key))).toBe(key);
  });

  test.each([
    ['a truncated UTF-8 sequence %E0%A4%A', 'uploads/%E0%A4%A'],
    ['a lone %', 'uploads/100%.txt'],
    ['a % with one hex digit', 'uploads/%4.txt'],
    ['a % with non-hex digits', 'uploads/%ZZ.txt'],
    ['an invalid UTF-8 byte %FF', 'uploads/%FF.txt'],
  ])('fails %s with InvalidRecordError naming the key', (_name, encoded) => {
    expect(() => decodeKey(encoded)).toThrow(InvalidRecordError);
    expect(() => decodeKey(encoded))
      .toThrow(`s3.object.key is not a valid URL-encoded key: ${JSON.stringify(encoded)}`);
  });

  test('decodes a complete three-byte sequence %E0%A4%A4 (the valid neighbour of the malformed one)', () => {
    expect(decodeKey('uploads/%E0%A4%A4')).toBe('uploads/त');
  });
});

describe('padSequencer', () => {
  test('left-pads an 18-digit sequencer of the sample to 32 digits with zeros', () => {
    expect(padSequencer('0055AED6DCD90281E5')).toBe('000000000000000055AED6DCD90281E5');
  });

  test('uppercases hexadecimal digits, so the case of a sequencer does not change its order', () => {
    expect(padSequencer('0055aed6dcd90281e5')).toBe(padSequencer('0055AED6DCD90281E5'));
  });

  test('accepts 1 and 32 digits, and fails 0 and 33', () => {
    expect(padSequencer('1')).toBe(`${'0'.repeat(31)}1`);
    expect(padSequencer('F'.repeat(32))).toBe('F'.repeat(32));
    expect(() => padSequencer('')).toThrow(/^sequencer must be 1-32 hexadecimal digits, got ""$/);
    expect(() => padSequencer('F'.repeat(33))).toThrow(/^sequencer must be 1-32 hexadecimal digits, got "F{33}"$/);
  });

  test.each([
    '0055AED6DCD90281G5', '0x55', ' 55', '55 ', '-1', '5.5',
  ])('fails %j, which is not hexadecimal digits only', (sequencer) => {
    expect(() => padSequencer(sequencer)).toThrow(InvalidRecordError);
  });

  test('orders sequencers of different lengths by value, where the raw strings order them wrongly', () => {
    expect('FF' > '100').toBe(true); // raw string comparison: wrong
    expect(padSequencer('FF') < padSequencer('100')).toBe(true);
    expect(padSequencer('0055AED6DCD90281E5') < padSequencer('55AED6DCD90281E6')).toBe(true);
    expect(padSequencer('55AED6DCD90281E5') < padSequencer('0055AED6DCD90281E6')).toBe(true);
  });

  test('orders equal values as equal, whatever their leading zeros', () => {
    expect(padSequencer('00A')).toBe(padSequencer('a'));
  });

  test('sorts a shuffled run of sequencers of one key into the order of their values', () => {
    const inOrder = [
      '9', 'A', 'F', '10', '0FF', '100', '0055AED6DCD90281E5', '55AED6DCD90281E6', 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF',
    ];
    const shuffled = [
      inOrder[5], inOrder[0], inOrder[8], inOrder[3], inOrder[6], inOrder[1], inOrder[7], inOrder[4], inOrder[2],
    ];
    expect(shuffled.map(padSequencer).sort()).toEqual(inOrder.map(padSequencer));
    const values = inOrder.map((sequencer) => BigInt(`0x${sequencer}`));
    expect(values.every((value, i) => i === 0 || values[i - 1] < value)).toBe(true); // the list is in value order
  });
});

describe('eventRecords', () => {
  test('returns the Records of an S3 event notification', () => {
    const record = s3EventRecord(SAMPLE);
    expect(eventRecords(s3Event(record))).toEqual([record]);
  });

  test('returns an empty array for empty Records', () => {
    expect(eventRecords({ Records: [] })).toEqual([]);
  });

  test.each([
    ['the s3:TestEvent', s3TestEvent('amzn-s3-demo-bucket')],
    ['an empty object', {}],
    ['Records: undefined', { Records: undefined }],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'Records'],
    ['a number', 42],
  ])('returns undefined for an event without Records: %s', (_name, event) => {
    expect(eventRecords(event)).toBeUndefined();
  });

  test.each([
    ['an object', { Records: { 0: {} } }],
    ['a string', { Records: 'x' }],
    ['null', { Records: null }],
  ])('fails Records that is %s', (_name, event) => {
    expect(() => eventRecords(event)).toThrow(/^Records must be an array of S3 event records$/);
  });

  test('names the s3:TestEvent by its Event field, and nothing else', () => {
    expect(eventType(s3TestEvent('b'))).toBe('s3:TestEvent');
    expect(eventType({ Event: 42 })).toBeUndefined();
    expect(eventType(null)).toBeUndefined();
  });
});

describe('decideRecord', () => {
  test('processes the documented sample record: key decoded, size and ETag from the event, sequencer padded', () => {
    expect(decideRecord(s3EventRecord(SAMPLE), PREFIX)).toEqual({
      action: 'process',
      object: {
        bucket: 'amzn-s3-demo-bucket',
        key: 'uploads/HappyFace.jpg',
        size: 1024,
        etag: 'd41d8cd98f00b204e9800998ecf8427e',
        sequencer: '000000000000000055AED6DCD90281E5',
      },
    });
  });

  test('processes a key with a space and non-ASCII characters under its decoded key', () => {
    expect(processed(s3EventRecord({ ...SAMPLE, key: 'uploads/r%C3%A9sum%C3%A9+2026.txt' })).key)
      .toBe('uploads/résumé 2026.txt');
  });

  test.each([
    'ObjectCreated:Put', 'ObjectCreated:Post', 'ObjectCreated:Copy', 'ObjectCreated:CompleteMultipartUpload',
  ])('processes %s', (eventName) => {
    expect(decideRecord(s3EventRecord({ ...SAMPLE, eventName }), PREFIX).action).toBe('process');
  });

  test.each([
    ['ObjectRemoved:Delete', { ...s3EventRecord(SAMPLE), eventName: 'ObjectRemoved:Delete' },
      { eventSource: 'aws:s3', eventName: 'ObjectRemoved:Delete' }],
    ['ObjectRestore:Completed', { ...s3EventRecord(SAMPLE), eventName: 'ObjectRestore:Completed' },
      { eventSource: 'aws:s3', eventName: 'ObjectRestore:Completed' }],
    ['an eventName that only contains ObjectCreated', { ...s3EventRecord(SAMPLE), eventName: 'x:ObjectCreated:Put' },
      { eventSource: 'aws:s3', eventName: 'x:ObjectCreated:Put' }],
    ['another eventSource', { ...s3EventRecord(SAMPLE), eventSource: 'aws:sqs' },
      { eventSource: 'aws:sqs', eventName: 'ObjectCreated:Put' }],
    ['no eventSource', { ...s3EventRecord(SAMPLE), eventSource: undefined }, { eventName: 'ObjectCreated:Put' }],
    ['no eventName', { ...s3EventRecord(SAMPLE), eventName: undefined }, { eventSource: 'aws:s3' }],
    ['a numeric eventName', { ...s3EventRecord(SAMPLE), eventName: 1 }, { eventSource: 'aws:s3' }],
    ['a null record', null, {}],
    ['a string record', 'ObjectCreated:Put', {}],
  ])('skips a record that is not an S3 ObjectCreated record: %s', (_name, record, details) => {
    expect(decideRecord(record, PREFIX)).toEqual({ action: 'skip', reason: 'not ObjectCreated', ...details });
  });

  test.each([
    ['uploads/a.txt', 'process'],
    ['uploads/', 'process'],
    ['uploads/sub/dir/a.txt', 'process'],
    ['uploads', 'skip'],
    ['Uploads/a.txt', 'skip'],
    ['other/uploads/a.txt', 'skip'],
    ['uploadsx/a.txt', 'skip'],
    ['/uploads/a.txt', 'skip'],
  ])('with the prefix "uploads/", key %j: %s', (key, action) => {
    const decision = decideRecord(s3EventRecord({ ...SAMPLE, key }), PREFIX);
    expect(decision.action).toBe(action);
    if (decision.action === 'skip') expect(decision).toEqual({
      action: 'skip',
      reason: 'outside the prefix',
      objectKey: key,
    });
  });

  test('compares the decoded key with the prefix: "uploads%2F" is under "uploads/", "uploads+" is not', () => {
    expect(decideRecord(s3EventRecord({ ...SAMPLE, key: 'uploads%2Fa.txt' }), PREFIX).action).toBe('process');
    expect(decideRecord(s3EventRecord({ ...SAMPLE, key: 'uploads+a.txt' }), PREFIX))
      .toEqual({ action: 'skip', reason: 'outside the prefix', objectKey: 'uploads a.txt' });
  });

  test('fails an ObjectCreated record with a malformed key, under the prefix or not', () => {
    expect(() => decideRecord(s3EventRecord({ ...SAMPLE, key: 'uploads/%E0%A4%A' }), PREFIX))
      .toThrow(/^s3\.object\.key is not a valid URL-encoded key: "uploads\/%E0%A4%A"$/);
    expect(() => decideRecord(s3EventRecord({ ...SAMPLE, key: 'other/%E0%A4%A' }), PREFIX)).toThrow(InvalidRecordError);
  });

  describe('the record schema', () => {
    test.each([
      ['size 0 (an empty object)', sampleWith('size', 0)],
      ['size 5 TiB', sampleWith('size', 5 * 1024 ** 4)],
      ['the largest safe integer size', sampleWith('size', Number.MAX_SAFE_INTEGER)],
      ['a multipart ETag', sampleWith('eTag', 'd41d8cd98f00b204e9800998ecf8427e-10000')],
      ['an uppercase ETag', sampleWith('eTag', 'D41D8CD98F00B204E9800998ECF8427E')],
      ['a 1-digit sequencer', sampleWith('sequencer', '1')],
      ['a 32-digit sequencer', sampleWith('sequencer', 'F'.repeat(32))],
      ['a lowercase sequencer', sampleWith('sequencer', '0055aed6dcd90281e5')],
      ['a 3-character bucket name', sampleWith('bucket', 'abc')],
      ['a 63-character bucket name', sampleWith('bucket', `a${'b'.repeat(61)}c`)],
      ['a bucket name with dots and hyphens', sampleWith('bucket', 'my.lab-bucket.1')],
      ['a record with extra fields (a later version of the structure)',
        { ...s3EventRecord(SAMPLE), eventVersion: '2.6', glacierEventData: {} }],
    ])('accepts %s', (_name, record) => {
      expect(decideRecord(record, PREFIX).action).toBe('process');
    });

    test.each([
      ['no size', sampleWith('size', undefined), 's3.object.size must be a whole number of bytes'],
      ['size -1', sampleWith('size', -1), 's3.object.size must be 0 or more'],
      ['size 1.5', sampleWith('size', 1.5), 's3.object.size must be a whole number of bytes'],
      ['size as a string', sampleWith('size', '1024'), 's3.object.size must be a whole number of bytes'],
      ['a size past the largest safe integer', sampleWith('size', Number.MAX_SAFE_INTEGER + 1),
        's3.object.size must be a whole number of bytes'],
      ['no eTag', sampleWith('eTag', undefined), 's3.object.eTag must be a string'],
      ['an empty eTag', sampleWith('eTag', ''), 's3.object.eTag must be 32 hexadecimal digits'],
      ['a quoted eTag', sampleWith('eTag', '"d41d8cd98f00b204e9800998ecf8427e"'),
        's3.object.eTag must be 32 hexadecimal digits'],
      ['a 31-digit eTag', sampleWith('eTag', 'd41d8cd98f00b204e9800998ecf8427'),
        's3.object.eTag must be 32 hexadecimal digits'],
      ['a 33-digit eTag', sampleWith('eTag', 'd41d8cd98f00b204e9800998ecf8427e0'),
        's3.object.eTag must be 32 hexadecimal digits'],
      ['an eTag with a part count that is not a number', sampleWith('eTag', 'd41d8cd98f00b204e9800998ecf8427e-x'),
        's3.object.eTag must be 32 hexadecimal digits'],
      ['no sequencer', sampleWith('sequencer', undefined), 's3.object.sequencer must be 1-32 hexadecimal digits'],
      ['an empty sequencer', sampleWith('sequencer', ''), 's3.object.sequencer must be 1-32 hexadecimal digits'],
      ['a 33-digit sequencer', sampleWith('sequencer', 'F'.repeat(33)),
        's3.object.sequencer must be 1-32 hexadecimal digits'],
      ['a sequencer that is not hexadecimal', sampleWith('sequencer', '0055AED6DCD90281G5'),
        's3.object.sequencer must be 1-32 hexadecimal digits'],
      ['a numeric sequencer', sampleWith('sequencer', 55), 's3.object.sequencer must be 1-32 hexadecimal digits'],
      ['no key', sampleWith('key', undefined), 's3.object.key must be a string'],
      ['an empty key', sampleWith('key', ''), 's3.object.key must not be empty'],
      ['a numeric key', sampleWith('key', 42), 's3.object.key must be a string'],
      ['no bucket name', sampleWith('bucket', undefined), 's3.bucket.name must be a bucket name'],
      ['a 2-character bucket name', sampleWith('bucket', 'ab'), 's3.bucket.name must be a bucket name: 3-63'],
      ['a 64-character bucket name', sampleWith('bucket', `a${'b'.repeat(62)}c`),
        's3.bucket.name must be a bucket name: 3-63'],
      ['an uppercase bucket name', sampleWith('bucket', 'Lab-Bucket'), 's3.bucket.name must be a bucket name: 3-63'],
      ['no s3', { ...s3EventRecord(SAMPLE), s3: undefined }, 's3 must be an object with bucket and object'],
      ['no s3.object', { ...s3EventRecord(SAMPLE), s3: { ...s3EventRecord(SAMPLE).s3, object: undefined } },
        's3.object must be an object with key, size, eTag and sequencer'],
      ['no s3.bucket', { ...s3EventRecord(SAMPLE), s3: { ...s3EventRecord(SAMPLE).s3, bucket: undefined } },
        's3.bucket must be an object with a name'],
    ])('rejects %s with InvalidRecordError that names the field', (_name, record, message) => {
      expect(() => decideRecord(record, PREFIX)).toThrow(InvalidRecordError);
      expect(() => decideRecord(record, PREFIX)).toThrow(message);
    });

    test('names every invalid field in one message', () => {
      const record = {
        ...s3EventRecord(SAMPLE),
        s3: { ...s3EventRecord(SAMPLE).s3, object: { key: '', size: -1, eTag: 'x', sequencer: 'z' } },
      };
      expect(() => decideRecord(record, PREFIX)).toThrow(
        's3.object.key must not be empty; s3.object.size must be 0 or more; '
          + 's3.object.eTag must be 32 hexadecimal digits, optionally followed by -<part count>; '
          + 's3.object.sequencer must be 1-32 hexadecimal digits',
      );
    });
  });
});

describe('rawKeyOf', () => {
  test('returns the key as it arrived, or undefined when there is none', () => {
    expect(rawKeyOf(s3EventRecord({ ...SAMPLE, key: 'uploads/a+b%C3%A9' }))).toBe('uploads/a+b%C3%A9');
    expect(rawKeyOf(sampleWith('key', 42))).toBeUndefined();
    expect(rawKeyOf({ s3: null })).toBeUndefined();
    expect(rawKeyOf(null)).toBeUndefined();
  });
});

describe('uploadRecord', () => {
  const object = processed(s3EventRecord({ ...SAMPLE, key: 'uploads/caf%C3%A9+menu.pdf' }));
  const now = new Date('2026-05-04T03:02:01.000Z');

  test('holds the decoded key, the event\'s bucket, size, ETag and padded sequencer, '
    + 'the Content-Type and the time', () => {
    expect(uploadRecord(object, 'application/pdf', now)).toEqual({
      objectKey: 'uploads/café menu.pdf',
      bucket: 'amzn-s3-demo-bucket',
      size: 1024,
      contentType: 'application/pdf',
      etag: 'd41d8cd98f00b204e9800998ecf8427e',
      sequencer: '000000000000000055AED6DCD90281E5',
      processedAt: '2026-05-04T03:02:01.000Z',
    });
  });

  test(`records S3's default Content-Type (${DEFAULT_CONTENT_TYPE}) when S3 gives none, `
    + 'and an empty one as it is', () => {
    expect(uploadRecord(object, undefined, now).contentType).toBe('binary/octet-stream');
    expect(uploadRecord(object, '', now).contentType).toBe('');
  });
});
