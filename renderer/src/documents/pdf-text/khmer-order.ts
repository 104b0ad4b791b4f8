/**
 * Khmer that pdf.js extracts in the order its glyphs are drawn, put back in
 * the order it is written (Unicode's logical order).
 *
 * A PDF holds glyphs, and pdf.js gives each glyph's text in drawing order. In
 * Khmer three vowel signs (េ ែ ៃ, U+17C1–U+17C3) and the subscript ro (្រ)
 * are drawn left of their consonant, so they come out before it; the split
 * vowels ោ and ើ come out as េ before the consonant and ា or ី after it; and
 * glyphs the font's /ToUnicode map does not name (many subscripts) come out as
 * U+0000. Only what is certain is put back:
 * - a left vowel, and a subscript ro, go after the consonant that follows;
 * - េ … ា is ោ and េ … ី is ើ; before ៀ ឿ ោ ៅ ើ (already whole) េ is their left part;
 * - U+0000 drawn left of a consonant (at the start of a cluster, in the same text item as the consonant) is the
 *   subscript ro: it is the only subscript drawn there;
 * - any other U+0000 (and a dotted circle or private-use character next to Khmer) is dropped: which subscript or
 *   vowel it stood for is not in the PDF's text.
 * Nothing else moves. Text in logical order already (no left vowel before its
 * consonant anywhere) is left as it is, but for its U+0000.
 */

const COENG = 0x17d2;
const RO = 0x179a;
const VOWEL_E = 0x17c1;

/** Consonants and independent vowels: what a cluster is built on. */
const isBase = (code: number) => code >= 0x1780 && code <= 0x17b3;
const isConsonant = (code: number) => code >= 0x1780 && code <= 0x17a2;
/** េ ែ ៃ: drawn left of their consonant. */
const isLeftVowel = (code: number) => code >= 0x17c1 && code <= 0x17c3;
/** ៉ ៊ (register shifters), and ៌ (robat): written between a consonant and its vowel. */
const isBeforeVowelSign = (code: number) => code === 0x17c9 || code === 0x17ca || code === 0x17cc;
const isDependentVowel = (code: number) => code >= 0x17b6 && code <= 0x17c5;
/** Signs written after the vowel (nikahit, reahmuk, yuukaleapintu, bantoc…). */
const isSign = (code: number) =>
  code === 0x17b4 ||
  code === 0x17b5 ||
  (code >= 0x17c6 && code <= 0x17d1 && !isBeforeVowelSign(code)) ||
  code === 0x17d3 ||
  code === 0x17dd;
const isKhmer = (code: number) => (code >= 0x1780 && code <= 0x17ff) || (code >= 0x19e0 && code <= 0x19ff);
/** What a vowel written after េ's place in a split vowel becomes: េ … ា is ោ, េ … ី is ើ. */
const SPLIT_VOWEL = new Map([
  [0x17b6, 0x17c4],
  [0x17b8, 0x17be],
]);
/** Split vowels whose left part is េ, already whole. */
const HAS_LEFT_E = new Set([0x17be, 0x17bf, 0x17c0, 0x17c4, 0x17c5]);

/**
 * Whether the code at `at` is a placeholder pdf.js or the PDF left for a glyph it has no text for: U+0000, or next
 * to Khmer a dotted circle or a private-use character (Chrome maps some Khmer glyphs to one). Elsewhere those may be
 * meant ("◌ា" in a text about the script, a symbol font's private-use characters).
 */
function isPlaceholder(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (code === 0) return true;
  if (code !== 0x25cc && !(code >= 0xe000 && code <= 0xf8ff)) return false;
  return isKhmer(text.charCodeAt(at - 1)) || isKhmer(text.charCodeAt(at + 1));
}

/**
 * Whether `text` is Khmer in drawing order: somewhere a left vowel comes
 * before its consonant, i.e. after something it cannot follow in written
 * order (the start, a space, punctuation, another vowel or sign). Written
 * order puts it after a consonant, a subscript, a register shifter or robat.
 */
export function isKhmerInVisualOrder(text: string): boolean {
  for (let at = 0; at < text.length; at++) {
    if (!isLeftVowel(text.charCodeAt(at))) continue;
    const before = at === 0 ? -1 : text.charCodeAt(at - 1);
    // After U+0000 it could be either (the placeholder may stand for a subscript).
    if (!(isBase(before) || isBeforeVowelSign(before) || before === 0)) return true;
  }
  return false;
}

export interface ReadableKhmer {
  text: string;
  /** For each UTF-16 offset 0…length of the input, the offset in `text` it became (inside a reordered cluster, its start). */
  offsets: number[];
  /**
   * Input offsets of what was dropped (placeholders for glyphs without text, a left vowel whose consonant is lost):
   * each stood for part of the cluster before it, which marks of the text layer cover with it.
   */
  dropped: number[];
}

/**
 * `text` with its Khmer in written order (see above), and where each input
 * offset went. `visualOrder`: whether the page it comes from is in drawing
 * order (isKhmerInVisualOrder of the whole page; one piece of text is often
 * too short to tell). Text that is not in drawing order only loses its U+0000.
 * `clusterStarts`: offsets where a cluster is known to start (where pdf.js
 * began a new text item: it does at each marked-content span, and Chrome
 * prints each Khmer cluster that needs one in its own span).
 */
export function readableKhmer(
  text: string,
  visualOrder: boolean,
  clusterStarts: ReadonlySet<number> = new Set(),
): ReadableKhmer {
  let out = '';
  const offsets: number[] = new Array<number>(text.length + 1);
  const dropped: number[] = [];
  const code = (at: number) => text.charCodeAt(at);
  let at = 0;
  while (at < text.length) {
    const cluster = visualOrder ? leftPartCluster(text, at, clusterStarts) : null;
    if (cluster) {
      for (let index = at; index < cluster.end; index++) {
        offsets[index] = out.length;
        if (cluster.text === '') dropped.push(index);
      }
      out += cluster.text;
      at = cluster.end;
      continue;
    }
    offsets[at] = out.length;
    if (code(at) === 0 || (visualOrder && isPlaceholder(text, at))) {
      dropped.push(at);
      at++;
      continue;
    }
    out += text[at];
    at++;
  }
  offsets[text.length] = out.length;
  return { text: out, offsets, dropped };
}

/**
 * The cluster starting at `start` with what is drawn left of its consonant,
 * in written order, and where it ends; null when `start` begins no such
 * cluster. A left vowel always begins one; a placeholder or a subscript ro
 * only at the start of a cluster (not after a consonant, whose subscript it
 * might be).
 */
function leftPartCluster(
  text: string,
  start: number,
  clusterStarts: ReadonlySet<number>,
): { text: string; end: number } | null {
  const code = (at: number) => text.charCodeAt(at);
  const atClusterStart = (at: number) =>
    at === 0 ||
    clusterStarts.has(at) ||
    !(isConsonant(code(at - 1)) || code(at - 1) === COENG || isPlaceholder(text, at - 1));
  // At most one left vowel and one subscript ro, in either order (producers draw them either way).
  const leftVowels: number[] = [];
  let ro = false;
  let placeholder = false;
  let at = start;
  for (;;) {
    const here = code(at);
    if (isLeftVowel(here) && leftVowels.length === 0) {
      leftVowels.push(here);
      at++;
    } else if (
      isPlaceholder(text, at) &&
      !ro &&
      !clusterStarts.has(at + 1) &&
      (leftVowels.length > 0 || atClusterStart(at))
    ) {
      ro = placeholder = true;
      at++;
    } else if (here === COENG && code(at + 1) === RO && !ro && (leftVowels.length > 0 || atClusterStart(at))) {
      ro = true;
      at += 2;
    } else break;
  }
  if (at === start) return null;
  if (!isBase(code(at))) {
    // A left vowel and a glyph without text, then no consonant: the glyph was the consonant (lost), and the vowel
    // belongs to nothing left.
    if (leftVowels.length === 0 || !(placeholder || isPlaceholder(text, at))) return null;
    while (isPlaceholder(text, at)) at++;
    return { text: '', end: at };
  }
  const base = text[at]!;
  at++;
  let subscripts = '';
  let beforeVowel = '';
  const vowels: number[] = [];
  let signs = '';
  for (;;) {
    const here = code(at);
    // Where pdf.js began an item, a subscript ro may begin the next cluster (a glyph without text, drawn in one item
    // with the consonant after it, or ្រ).
    if (clusterStarts.has(at) && ((isPlaceholder(text, at) && !clusterStarts.has(at + 1)) || here === COENG)) break;
    if (here === COENG && isConsonant(code(at + 1))) {
      // A subscript after the vowel or a sign is the next cluster's (a ro drawn left of its consonant).
      if (beforeVowel !== '' || vowels.length > 0 || signs !== '') break;
      subscripts += text.slice(at, at + 2);
      at += 2;
    } else if (isPlaceholder(text, at)) {
      // After the vowel or a sign, and before a consonant or a left vowel, it is the next cluster's ro.
      const next = code(at + 1);
      if ((beforeVowel !== '' || vowels.length > 0 || signs !== '') && (isBase(next) || isLeftVowel(next))) break;
      at++;
    } else if (isBeforeVowelSign(here)) {
      beforeVowel += text[at];
      at++;
    } else if (isDependentVowel(here) && !isLeftVowel(here)) {
      vowels.push(here);
      at++;
    } else if (isSign(here)) {
      signs += text[at];
      at++;
    } else break;
  }
  // The left vowel with the right part drawn after the consonant: one split vowel.
  const e = leftVowels.indexOf(VOWEL_E);
  if (e !== -1) {
    const whole = vowels.findIndex((vowel) => HAS_LEFT_E.has(vowel));
    const right = vowels.findIndex((vowel) => SPLIT_VOWEL.has(vowel));
    if (whole !== -1) leftVowels.splice(e, 1);
    else if (right !== -1) {
      leftVowels.splice(e, 1);
      vowels[right] = SPLIT_VOWEL.get(vowels[right]!)!;
    }
  }
  const written =
    base +
    subscripts +
    (ro ? '\u17d2\u179a' : '') +
    beforeVowel +
    String.fromCharCode(...leftVowels, ...vowels) +
    signs;
  return { text: written, end: at };
}
