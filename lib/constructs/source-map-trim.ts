/**
 * Source map v3 `mappings` without the segments that point into packages (`node_modules/`): a stack trace still
 * names the lab's own files and lines, and a frame inside a package keeps the bundle's position. Node.js reads,
 * parses and indexes every map of every module it loads with `--enable-source-maps`; for the users function most of
 * the map is the AWS SDK's, and the trimmed maps make that cost about 5 ms of a cold start instead of about 20 ms.
 *
 * Each run of package segments becomes one segment with a generated column only ("maps to nothing"): dropped
 * outright, a position inside package code would be looked up as the lab's segment before it on the same line.
 *
 * `map.sources` must already be paths from the project root (see projectRelativeSourceMap). Sources, `names` and
 * the other fields are kept as they are, so that the indexes in the kept segments stay valid.
 */
export function withoutPackageMappings(map: SourceMapV3): SourceMapV3 {
  const isPackage = map.sources.map((source) => source.startsWith('node_modules/'));
  // Fields 2-5 of a segment are deltas from the previous segment that has them, across lines; field 1 (the
  // generated column) is a delta within its line. Decode to absolute values, filter, then encode the deltas again.
  const absolute = [0, 0, 0, 0, 0];
  const lines = map.mappings.split(';').map((line) => {
    absolute[0] = 0;
    const kept: number[][] = [];
    for (const segment of line.split(',').filter((text) => text !== '')) {
      const fields = decodeVlq(segment);
      fields.forEach((value, index) => { absolute[index] += value; });
      const mapsToNothing = fields.length === 1 || isPackage[absolute[1]];
      if (!mapsToNothing) kept.push(absolute.slice(0, fields.length));
      else if (kept.length === 0 || kept[kept.length - 1].length > 1) kept.push([absolute[0]]);
    }
    return kept;
  });
  return { ...map, mappings: encodeMappings(lines) };
}

/**
 * A `mappings` string from segments of absolute values, one list per generated line: [generated column] or
 * [generated column, source, original line, original column, name?], each field encoded as a delta.
 */
export function encodeMappings(lines: readonly (readonly number[])[][]): string {
  const previous = [0, 0, 0, 0, 0];
  return lines.map((segments) => {
    previous[0] = 0;
    return segments.map((fields) => {
      const text = fields.map((value, index) => encodeVlq(value - previous[index])).join('');
      fields.forEach((value, index) => { previous[index] = value; });
      return text;
    }).join(',');
  }).join(';');
}

/** Whether a map maps any position to a source: after withoutPackageMappings, a chunk of packages only does not. */
export function mapsAnything(map: SourceMapV3): boolean {
  return map.mappings.split(/[;,]/).some((segment) => segment !== '' && decodeVlq(segment).length >= 4);
}

export interface SourceMapV3 {
  readonly version: number;
  readonly sources: readonly string[];
  readonly names?: readonly string[];
  readonly mappings: string;
  readonly [field: string]: unknown;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The signed integers of one segment: base64 digits of 5 bits, low bits first, bit 6 = more digits follow. */
export function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const character of segment) {
    const digit = BASE64.indexOf(character);
    if (digit < 0) throw new Error(
      `not a base64 VLQ digit: ${JSON.stringify(character)} in ${JSON.stringify(segment)}`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    // The lowest bit is the sign.
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  if (shift !== 0) throw new Error(`unterminated base64 VLQ: ${JSON.stringify(segment)}`);
  return values;
}

export function encodeVlq(value: number): string {
  let rest = value < 0 ? -value * 2 + 1 : value * 2;
  let text = '';
  do {
    const digit = rest % 32;
    rest = Math.floor(rest / 32);
    text += BASE64[rest > 0 ? digit + 32 : digit];
  } while (rest > 0);
  return text;
}
