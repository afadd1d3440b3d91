// A strict little XML parser for the tests: throws on anything not well-formed (so JUnit files are checked the
// way a CI system's parser would read them), returns the element tree with entities decoded.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
// eslint-disable-next-line no-control-regex
const INVALID_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decode(raw: string, at: number): string {
  if (raw.includes('<')) throw new Error(`raw "<" at ${at}`);
  return raw.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare "&" at ${at}`);
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (ref in named) return named[ref]!;
    const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref);
    if (!m) throw new Error(`unknown entity &${ref}; at ${at}`);
    return String.fromCodePoint(m[1]!.startsWith('x') ? parseInt(m[1]!.slice(1), 16) : Number(m[1]));
  });
}

export function parseXml(xml: string): XmlElement {
  if (INVALID_CHAR.test(xml)) throw new Error('a character XML cannot carry');
  let i = 0;
  const rest = () => xml.slice(i);
  const skipSpace = () => {
    while (/\s/.test(xml[i] ?? '')) i++;
  };
  if (rest().startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated declaration');
    i = end + 2;
  }
  skipSpace();
  const element = (): XmlElement => {
    if (xml[i] !== '<') throw new Error(`expected "<" at ${i}`);
    i++;
    const name = NAME.exec(rest())?.[0];
    if (!name) throw new Error(`expected a tag name at ${i}`);
    i += name.length;
    const el: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      skipSpace();
      if (rest().startsWith('/>')) {
        i += 2;
        return el;
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      if (i === before) throw new Error(`expected whitespace before an attribute at ${i}`);
      const attr = NAME.exec(rest())?.[0];
      if (!attr) throw new Error(`expected an attribute name at ${i}`);
      i += attr.length;
      if (xml[i] !== '=' || (xml[i + 1] !== '"' && xml[i + 1] !== "'")) throw new Error(`attribute ${attr} not quoted at ${i}`);
      const quote = xml[i + 1]!;
      const end = xml.indexOf(quote, i + 2);
      if (end < 0) throw new Error(`unterminated attribute ${attr}`);
      if (attr in el.attrs) throw new Error(`duplicate attribute ${attr}`);
      el.attrs[attr] = decode(xml.slice(i + 2, end).replace(/[\t\n\r]/g, ' '), i); // normalized, then decoded
      i = end + 1;
    }
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) throw new Error(`unclosed <${name}>`);
      el.text += decode(xml.slice(i, lt), i);
      i = lt;
      if (rest().startsWith('</')) {
        i += 2;
        if (!rest().startsWith(name)) throw new Error(`mismatched </...> for <${name}> at ${i}`);
        i += name.length;
        skipSpace();
        if (xml[i] !== '>') throw new Error(`bad closing tag at ${i}`);
        i++;
        return el;
      }
      el.children.push(element());
    }
  };
  const root = element();
  skipSpace();
  if (i !== xml.length) throw new Error(`content after the root element at ${i}`);
  return root;
}
