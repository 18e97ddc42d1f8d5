/**
 * One regular expression from pieces written as literals, for a pattern too long for one line: the sources are
 * joined as they are (each piece's escapes mean what they meant), with the flags of the first piece.
 */
export function joinRegExp(first: RegExp, ...rest: RegExp[]): RegExp {
  return new RegExp([first, ...rest].map((piece) => piece.source).join(''), first.flags);
}
