// The text of a contenteditable as the engine sees it, with explicit offset <-> DOM mapping both ways.
// Text nodes contribute their characters; block boundaries (p, div, li, headings, ...) and <br> count as one "\n".
// Offsets are UTF-16 code units, the same unit as the engine's offsets and String.prototype.slice.

const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE',
  'TBODY', 'TD', 'TH', 'THEAD', 'TR', 'UL',
]);
const SKIPPED_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']);
/** CKEditor 5 keeps seven U+2060 characters in a text node as an "inline filler" where the caret sits. */
const CKEDITOR_INLINE_FILLER = '\u2060'.repeat(7);

interface TextPiece {
  node: Text;
  /** Offset in the model of the piece's first character. */
  start: number;
  /** Offset inside node.data where the piece starts (non-zero after a skipped filler). */
  nodeOffset: number;
  length: number;
}

export interface DomPoint {
  node: Node;
  offset: number;
}

export interface TextModel {
  readonly root: Element;
  readonly text: string;
  /**
   * DOM position for a model offset. At a boundary between two pieces, 'forward' picks the start of the later
   * piece (use for range starts) and 'backward' the end of the earlier one (use for range ends).
   */
  toDom(offset: number, affinity?: 'forward' | 'backward'): DomPoint;
  /** Model offset for a DOM position inside the root (text or element position). */
  fromDom(node: Node, offset: number): number;
  /** A live Range covering [start, end) of the model. */
  range(start: number, end: number): Range;
}

export function buildTextModel(root: Element): TextModel {
  const pieces: TextPiece[] = [];
  let text = '';
  const doc = root.ownerDocument;

  let lastWasBreak = false;
  const newline = () => {
    text += '\n';
  };
  const atLineStart = () => text.length === 0 || text.endsWith('\n');

  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        const t = child as Text;
        const skip = t.data.startsWith(CKEDITOR_INLINE_FILLER) ? CKEDITOR_INLINE_FILLER.length : 0;
        const length = t.data.length - skip;
        if (length > 0) {
          pieces.push({ node: t, start: text.length, nodeOffset: skip, length });
          text += t.data.slice(skip);
          lastWasBreak = false;
        }
        continue;
      }
      if (child.nodeType !== 1) continue;
      const el = child as Element;
      if (SKIPPED_TAGS.has(el.tagName)) continue;
      if (el.getAttribute('contenteditable') === 'false') continue;
      if (el.tagName === 'BR') {
        // A <br> with nothing after it in its block only keeps the line open (CKEditor's filler, ProseMirror's
        // trailing break, the browser's own) -- unless it follows another <br>: then it shows an empty line.
        if (!isTrailingBreak(el, root) || lastWasBreak) {
          newline();
          lastWasBreak = true;
        }
        continue;
      }
      const block = BLOCK_TAGS.has(el.tagName);
      if (!block) {
        walk(el);
        continue;
      }
      if (!atLineStart()) newline();
      lastWasBreak = false;
      const before = text.length;
      walk(el);
      lastWasBreak = false;
      // Each block is a line: close it if anything follows, including an empty block (an empty line).
      if (hasFollowingContent(el, root) && (!atLineStart() || text.length === before)) newline();
    }
  };
  walk(root);

  function pieceIndexAt(offset: number, affinity: 'forward' | 'backward'): number {
    // Binary search for the last piece starting at or before offset.
    let lo = 0;
    let hi = pieces.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (pieces[mid]!.start <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found === -1) return pieces.length > 0 ? 0 : -1;
    const piece = pieces[found]!;
    if (affinity === 'backward' && offset === piece.start && found > 0) {
      const prev = pieces[found - 1]!;
      if (prev.start + prev.length === offset) return found - 1;
    }
    if (affinity === 'forward' && offset >= piece.start + piece.length && found + 1 < pieces.length) {
      // Offset sits in a gap (a "\n") or at the piece's end: the next piece begins the content after it.
      const next = pieces[found + 1]!;
      if (offset > piece.start + piece.length || next.start === offset) return found + 1;
    }
    return found;
  }

  function toDom(offset: number, affinity: 'forward' | 'backward' = 'forward'): DomPoint {
    const clamped = Math.max(0, Math.min(offset, text.length));
    const index = pieceIndexAt(clamped, affinity);
    if (index === -1) return { node: root, offset: 0 };
    const piece = pieces[index]!;
    const within = Math.max(0, Math.min(clamped - piece.start, piece.length));
    return { node: piece.node, offset: piece.nodeOffset + within };
  }

  function fromDom(node: Node, offset: number): number {
    if (node.nodeType === 3) {
      const piece = pieces.find((p) => p.node === node);
      if (piece) return piece.start + Math.max(0, Math.min(offset - piece.nodeOffset, piece.length));
    }
    // An element position (or an empty or skipped text node): the end of the content before it when that is in
    // the same block (the caret at the end of a line), else the start of the content after it.
    const probe = doc.createRange();
    try {
      probe.setStart(node, offset);
    } catch {
      return text.length;
    }
    let previous: TextPiece | undefined;
    for (const piece of pieces) {
      // comparePoint: 1 when the piece's point is after the probe.
      if (probe.comparePoint(piece.node, piece.nodeOffset + piece.length) > 0) {
        if (probe.comparePoint(piece.node, piece.nodeOffset) <= 0) return piece.start + piece.length;
        if (previous && blockOf(previous.node, root) === blockOf(node, root)) return previous.start + previous.length;
        return piece.start;
      }
      previous = piece;
    }
    return text.length;
  }

  function range(start: number, end: number): Range {
    const r = doc.createRange();
    const a = toDom(start, 'forward');
    const b = toDom(Math.max(start, end), 'backward');
    r.setStart(a.node, a.offset);
    r.setEnd(b.node, b.offset);
    if (r.collapsed && end > start) r.setEnd(a.node, a.offset);
    return r;
  }

  return { root, text, toDom, fromDom, range };
}

function isTrailingBreak(br: Element, root: Element): boolean {
  // True when nothing with text or another line follows the <br> up to the end of its block.
  for (let node: Node = br; node !== root; node = node.parentNode!) {
    for (let sib = node.nextSibling; sib; sib = sib.nextSibling) {
      if (sib.nodeType === 3 && (sib as Text).data.length > 0) return false;
      if (sib.nodeType === 1) {
        const el = sib as Element;
        if (BLOCK_TAGS.has(el.tagName)) return true;
        if (el.tagName === 'BR' || (el.textContent ?? '').length > 0) return false;
      }
    }
    const parent = node.parentNode;
    if (!parent || parent === root || (parent.nodeType === 1 && BLOCK_TAGS.has((parent as Element).tagName))) return true;
  }
  return true;
}

function hasFollowingContent(el: Element, root: Element): boolean {
  // Anything after the block, in its parent or (for the last block of a nested list) further up inside the root.
  for (let node: Node = el; node !== root && node.parentNode; node = node.parentNode) {
    for (let sib = node.nextSibling; sib; sib = sib.nextSibling) {
      if (sib.nodeType === 1 || (sib.nodeType === 3 && (sib as Text).data.length > 0)) return true;
    }
    if (node.parentNode.nodeType === 1 && BLOCK_TAGS.has((node.parentNode as Element).tagName)) return false;
  }
  return false;
}

function blockOf(node: Node, root: Element): Node {
  for (let n: Node | null = node; n && n !== root; n = n.parentNode) {
    if (n.nodeType === 1 && BLOCK_TAGS.has((n as Element).tagName)) return n;
  }
  return root;
}

/** The same interface over a <textarea> / <input>: offsets are indices into its value. */
export function textareaText(el: HTMLTextAreaElement | HTMLInputElement): string {
  return el.value;
}
