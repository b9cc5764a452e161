// A small, dependency-free XML reader for PMML: elements, attributes, text, comments, CDATA, the five
// predefined entities and character references. No DTDs or external entities (they are skipped, never fetched).

import { err, ok, type Result, reject } from "../../kernel/index.js";

export interface XmlElement {
  /** Local name (any namespace prefix removed). */
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Concatenated text content directly inside this element. */
  text: string;
}

export type XmlError = { readonly code: "xml_malformed"; readonly message: string; readonly offset: number };

export const xmlDepthMax = 64;

const entities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, body: string) => {
    if (body.startsWith("#x")) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith("#")) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    return entities[body] ?? whole;
  });
}

/** Escapes text for an attribute value or element content (line breaks kept through normalisation). */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

export function parseXml(text: string): Result<XmlElement, XmlError> {
  const fail = (message: string, offset: number): Result<XmlElement, XmlError> =>
    err(reject("xml_malformed", message, { offset }));
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf("<", i);
    const chunk = text.slice(i, lt < 0 ? n : lt);
    if (stack.length > 0) stack[stack.length - 1]!.text += decodeEntities(chunk);
    else if (chunk.trim() !== "") return fail("text outside the root element", i);
    if (lt < 0) break;
    i = lt;
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i);
      if (end < 0) return fail("unterminated processing instruction", i);
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i);
      if (end < 0) return fail("unterminated comment", i);
      i = end + 3;
    } else if (text.startsWith("<![CDATA[", i)) {
      const end = text.indexOf("]]>", i);
      if (end < 0 || stack.length === 0) return fail("misplaced or unterminated CDATA", i);
      stack[stack.length - 1]!.text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith("<!", i)) {
      const end = text.indexOf(">", i);
      if (end < 0) return fail("unterminated declaration", i);
      i = end + 1;
    } else if (text.startsWith("</", i)) {
      const end = text.indexOf(">", i);
      if (end < 0) return fail("unterminated end tag", i);
      const name = localName(text.slice(i + 2, end).trim());
      const open = stack.pop();
      if (!open || open.name !== name) return fail(`end tag </${name}> does not match`, i);
      i = end + 1;
    } else {
      const match = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 200));
      if (!match) return fail("malformed start tag", i);
      let j = i + match[0].length;
      const attributes: Record<string, string> = {};
      for (;;) {
        while (j < n && /\s/.test(text[j]!)) j++;
        if (text.startsWith("/>", j) || text[j] === ">") break;
        const attr = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(text.slice(j, j + 100_000));
        if (!attr) return fail("malformed attribute", j);
        attributes[localName(attr[1]!)] = decodeEntities(attr[3] ?? attr[4] ?? "");
        j += attr[0].length;
      }
      if (j >= n) return fail("unterminated start tag", i);
      const element: XmlElement = { name: localName(match[1]!), attributes, children: [], text: "" };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
      else if (root === null) root = element;
      else return fail("more than one root element", i);
      if (text.startsWith("/>", j)) i = j + 2;
      else {
        if (stack.length >= xmlDepthMax) return fail("elements nested too deeply", i);
        stack.push(element);
        i = j + 1;
      }
    }
  }
  if (stack.length > 0) return fail(`element <${stack[stack.length - 1]!.name}> is not closed`, n);
  if (root === null) return fail("no root element", 0);
  return ok(root);
}
