import { SourceMap } from 'module';
import {
  decodeVlq,
  encodeMappings,
  encodeVlq,
  mapsAnything,
  SourceMapV3,
  withoutPackageMappings,
} from '../../lib/constructs/source-map-trim';

// Positions are looked up with Node.js's own source map class, the one --enable-source-maps uses for stack traces.

describe('base64 VLQ', () => {
  // Worked out by hand: 5 bits per digit, low bits first, the sign in the lowest bit, 32 = "more digits follow".
  test.each([
    [0, 'A'], [1, 'C'], [-1, 'D'], [15, 'e'], [-15, 'f'], [16, 'gB'], [-16, 'hB'], [511, '+f'], [512, 'ggB'],
    [-1000, 'x+B'], [2 ** 30, 'ggggggC'],
  ])('%i is %s', (value, text) => {
    expect(encodeVlq(value)).toBe(text);
    expect(decodeVlq(text)).toEqual([value]);
  });

  test('a segment is several values in a row', () => {
    expect(decodeVlq('AAgBC')).toEqual([0, 0, 16, 1]);
  });

  test('a character outside base64 and an unterminated value are errors', () => {
    expect(() => decodeVlq('A*')).toThrow('not a base64 VLQ digit: "*" in "A*"');
    expect(() => decodeVlq('Ag')).toThrow('unterminated base64 VLQ: "Ag"');
  });
});

/** A map from segments written as absolute [column, source, line, column, name?] per generated line. */
function mapOf(sources: string[], lines: number[][][]): SourceMapV3 {
  return { version: 3, sources, names: ['handler', 'send', 'parse'], mappings: encodeMappings(lines) };
}

test('encodeMappings writes each field as a delta: the column from the line\'s start, the others across lines', () => {
  // Worked out by hand: [0,0,3,0,0] -> AAGAA; [10,0,4,2] -> deltas 10,0,1,2 -> UACE; next line [0,0,12,0] ->
  // deltas 0,0,8,-2 -> AAQF (the name index is not part of it).
  expect(encodeMappings([[[0, 0, 3, 0, 0], [10, 0, 4, 2]], [[0, 0, 12, 0]], [[7]]])).toBe('AAGAA,UACE;AAQF;O');
});

const OWN = 0;
const SDK = 1;
const ZOD = 2;
const SOURCES = ['lambda/users/handler.ts', 'node_modules/@smithy/core/index.js', 'node_modules/zod/index.js'];
// One minified line with own code, SDK code, own code again, zod; then a line of SDK only, then own code.
const BUNDLE = mapOf(SOURCES, [
  [[0, OWN, 3, 0, 0], [10, OWN, 4, 2], [20, SDK, 100, 4, 1], [30, SDK, 101, 0], [40, OWN, 7, 6], [50, ZOD, 9, 1, 2]],
  [[0, SDK, 200, 0], [5, SDK, 201, 3]],
  [[0, OWN, 12, 0], [8, OWN, 13, 4, 0]],
]);

const lookup = (map: SourceMapV3, line: number, column: number) => {
  const entry = new SourceMap(map as any).findEntry(line, column) as any;
  return entry.originalSource === undefined
    ? 'unmapped'
    : `${entry.originalSource}:${entry.originalLine}:${entry.originalColumn}${entry.name ? ` ${entry.name}` : ''}`;
};

describe('withoutPackageMappings', () => {
  const trimmed = withoutPackageMappings(BUNDLE);

  test('maps every position of the lab\'s own code as before', () => {
    for (const [line, column] of [[0, 0], [0, 12], [0, 45], [2, 0], [2, 9]]) {
      expect(lookup(trimmed, line, column)).toBe(lookup(BUNDLE, line, column));
    }
    expect(lookup(trimmed, 0, 45)).toBe('lambda/users/handler.ts:7:6');
    expect(lookup(trimmed, 2, 9)).toBe('lambda/users/handler.ts:13:4 handler');
  });

  test('maps a position inside package code to nothing, not to the lab\'s code before it on the line', () => {
    expect(lookup(BUNDLE, 0, 25)).toBe('node_modules/@smithy/core/index.js:100:4 send');
    for (const [line, column] of [[0, 25], [0, 35], [0, 55], [1, 0], [1, 7]]) {
      expect(lookup(trimmed, line, column)).toBe('unmapped');
    }
  });

  test('keeps one segment per run of package code: two runs on the first line, one on the second', () => {
    const segments = trimmed.mappings.split(';')
      .map((line) => line.split(',').map((segment) => decodeVlq(segment).length));
    expect(segments).toEqual([[5, 4, 1, 4, 1], [1], [4, 5]]);
  });

  test('keeps sources, names and the other fields, so the kept indexes stay valid', () => {
    expect({ ...trimmed, mappings: undefined }).toEqual({ ...BUNDLE, mappings: undefined });
  });

  test('a map of packages only maps nothing; one own segment is enough to map something', () => {
    const packagesOnly = mapOf(SOURCES, [[[0, SDK, 1, 0], [9, ZOD, 2, 0]], [[0, SDK, 3, 0]]]);
    expect(mapsAnything(packagesOnly)).toBe(true);
    expect(mapsAnything(withoutPackageMappings(packagesOnly))).toBe(false);
    expect(mapsAnything(withoutPackageMappings(mapOf(SOURCES, [[[0, SDK, 1, 0], [9, OWN, 2, 0]]])))).toBe(true);
    expect(mapsAnything({ version: 3, sources: [], mappings: ';;' })).toBe(false);
  });

  test('a segment that already mapped to nothing stays so, and an empty line stays empty', () => {
    const map = mapOf(SOURCES, [[[0], [4, OWN, 1, 0]], [], [[0, OWN, 2, 0], [6]]]);
    const result = withoutPackageMappings(map);
    expect(result.mappings).toBe(map.mappings);
  });
});
