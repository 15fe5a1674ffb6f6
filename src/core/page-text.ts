/**
 * The readable text of an HTML page, with workerd's built-in streaming `HTMLRewriter` (no DOM, no library):
 * the title, the meta description, the text of the body without script/style/nav/form noise, and the links.
 * The body is read as a stream and reading stops at `maxBytes` (the rest is never downloaded); the text is cut
 * at `maxChars`. HTML entities are decoded, whitespace collapsed, one line per block element.
 */

export interface PageText {
  title: string;
  description: string;
  text: string;
  /** `href` values of `<a>` elements, as written (resolve them against the page's URL) */
  links: string[];
  /** true when the body was longer than `maxBytes` or its text longer than `maxChars` */
  truncated: boolean;
}

export interface PageTextOptions {
  maxBytes: number;
  maxChars: number;
  /** links kept at most (default 500) */
  maxLinks?: number;
}

/** Elements whose content is not readable text of the page. */
const NOISE = ["script", "style", "noscript", "template", "svg", "nav", "iframe", "object", "canvas", "form", "select", "button", "head"];
/** Elements that start a new line of text. */
const BLOCKS = [
  "p",
  "div",
  "br",
  "li",
  "tr",
  "td",
  "th",
  "dt",
  "dd",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "section",
  "article",
  "main",
  "header",
  "footer",
  "aside",
  "blockquote",
  "figcaption",
  "pre",
  "table",
  "ul",
  "ol",
];

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  copy: "©",
  reg: "®",
  trade: "™",
  hellip: "…",
  mdash: "—",
  ndash: "–",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  laquo: "«",
  raquo: "»",
  middot: "·",
  bull: "•",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  deg: "°",
  times: "×",
  eacute: "é",
  egrave: "è",
  ecirc: "ê",
  euml: "ë",
  aacute: "á",
  agrave: "à",
  acirc: "â",
  auml: "ä",
  aring: "å",
  atilde: "ã",
  iacute: "í",
  igrave: "ì",
  icirc: "î",
  iuml: "ï",
  oacute: "ó",
  ograve: "ò",
  ocirc: "ô",
  ouml: "ö",
  otilde: "õ",
  oslash: "ø",
  uacute: "ú",
  ugrave: "ù",
  ucirc: "û",
  uuml: "ü",
  ccedil: "ç",
  ntilde: "ñ",
  szlig: "ß",
  aelig: "æ",
  Eacute: "É",
  Agrave: "À",
  Auml: "Ä",
  Ouml: "Ö",
  Uuml: "Ü",
  Ccedil: "Ç",
  Ntilde: "Ñ",
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,9});/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : " ";
    }
    return NAMED[name] ?? whole;
  });
}

/** Whitespace collapsed within lines, empty lines dropped. */
function tidy(raw: string): string {
  return decodeEntities(raw)
    .split("\n")
    .map((l) => l.replace(/[\s\u00a0]+/g, " ").trim())
    .filter(Boolean)
    .join("\n");
}

/** `body`, ending after `maxBytes` bytes (the source is cancelled then, so nothing more is downloaded). */
function capped(body: ReadableStream<Uint8Array>, maxBytes: number, onCap: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      const { done, value } = await reader.read();
      if (done) return ctrl.close();
      const room = maxBytes - seen;
      if (value.byteLength > room) {
        if (room > 0) ctrl.enqueue(value.subarray(0, room));
        onCap();
        await reader.cancel().catch(() => undefined);
        return ctrl.close();
      }
      seen += value.byteLength;
      ctrl.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** Reads `res` (an HTML answer) into its readable text; rejects when the body stream fails (e.g. aborted). */
export async function readPageText(res: Response, opts: PageTextOptions): Promise<PageText> {
  let truncated = false;
  let skip = 0;
  let title = "";
  let description = "";
  let raw = "";
  const links: string[] = [];
  const maxLinks = opts.maxLinks ?? 500;
  // Collect somewhat more than maxChars: tidying shrinks the text.
  const rawCap = opts.maxChars * 2;

  let rewriter = new HTMLRewriter()
    .on("title", {
      text(t) {
        if (title.length < 500) title += t.text;
      },
    })
    .on("meta", {
      element(el) {
        const name = (el.getAttribute("name") ?? el.getAttribute("property") ?? "").toLowerCase();
        if (!description && (name === "description" || name === "og:description")) description = el.getAttribute("content") ?? "";
      },
    })
    .on("a[href]", {
      element(el) {
        const href = el.getAttribute("href");
        if (href && links.length < maxLinks) links.push(href);
      },
    });
  for (const tag of NOISE) {
    rewriter = rewriter.on(tag, {
      element(el) {
        try {
          el.onEndTag(() => {
            skip--;
          });
          skip++;
        } catch {
          // an element that cannot have an end tag has no content to skip
        }
      },
    });
  }
  for (const tag of BLOCKS) {
    rewriter = rewriter.on(tag, {
      element() {
        raw += "\n";
      },
    });
  }
  rewriter = rewriter.onDocument({
    text(t) {
      if (skip > 0 || t.removed) return;
      if (raw.length >= rawCap) {
        truncated = true;
        return;
      }
      raw += t.text;
    },
  });

  const type = res.headers.get("content-type") ?? "text/html; charset=utf-8";
  const body = res.body ? capped(res.body, opts.maxBytes, () => (truncated = true)) : null;
  const out = rewriter.transform(new Response(body, { headers: { "content-type": type } }));
  // Drive the rewriter; its output is not needed.
  await out.body?.pipeTo(new WritableStream());

  let text = tidy(raw);
  if (text.length > opts.maxChars) {
    text = text.slice(0, opts.maxChars);
    truncated = true;
  }
  return { title: tidy(title).slice(0, 300), description: tidy(description).slice(0, 1000), text, links, truncated };
}
