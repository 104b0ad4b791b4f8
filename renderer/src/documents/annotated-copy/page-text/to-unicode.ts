/** A string as the hex digits of its UTF-16BE code units, as a CMap writes a destination. */
function utf16Hex(text: string): string {
  let hex = '';
  for (let index = 0; index < text.length; index++) hex += text.charCodeAt(index).toString(16).padStart(4, '0');
  return hex;
}

/**
 * The ToUnicode CMap (ISO 32000-1 §9.10.3) of a font whose CIDs are 1, 2, 3…: CID n stands for `texts[n - 1]`,
 * which may be several characters (a whole Khmer cluster). A bfchar block holds at most 100 mappings.
 */
export function toUnicodeCMap(texts: readonly string[]): string {
  const blocks: string[] = [];
  for (let start = 0; start < texts.length; start += 100) {
    const block = texts.slice(start, start + 100);
    const lines = block.map(
      (text, offset) => `<${(start + offset + 1).toString(16).padStart(4, '0')}> <${utf16Hex(text)}>`,
    );
    blocks.push(`${block.length} beginbfchar\n${lines.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}
