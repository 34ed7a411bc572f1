package document

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/errs"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// FromMarkdown converts CommonMark (with GitHub's ~~strikethrough~~) to a
// document of prose blocks:
//
//   - paragraphs become p; # and ## headings h1 and h2, ### and deeper h3;
//   - each paragraph (or heading, list item, code block) inside a block quote
//     becomes a blockquote block;
//   - a thematic break becomes a scene_break;
//   - "-", "*" and "+" list items become paragraphs with listStyleType disc,
//     numbered ones decimal with listStart set to the item's number; the
//     indent is the nesting level (1 for a top-level list, at most 6); further
//     paragraphs of an item keep its indent without a list style;
//   - **bold**, *italic* and _italic_, ~~strikethrough~~ and `code` become
//     marks; links with http, https or mailto URLs become links, other links
//     their text; hard line breaks become "\n" and soft ones a space;
//   - an image whose URL is authorworks-file:FILE_ID becomes an img block (its
//     title the caption), splitting the paragraph around it; other images
//     become their alt text;
//   - code blocks become a paragraph of code-marked text; raw HTML, inline or
//     block, is kept as literal text and never interpreted.
//
// Input is never rejected for its content (invalid UTF-8 is replaced and
// control characters dropped), only for exceeding the document limits or
// MaxMarkdownNesting or MaxMarkdownLinksPerLine; the error then is an
// *errs.Error of kind Invalid on the field "content".
func FromMarkdown(src string) (Doc, error) {
	clean := cleanSource(src)
	if err := checkMarkdownShape(clean); err != nil {
		return nil, err
	}
	source := []byte(clean)
	md := goldmark.New(goldmark.WithExtensions(extension.Strikethrough))
	root := md.Parser().Parse(text.NewReader(source))
	c := mdReader{src: source}
	c.blocks(root, 0, false)
	d := Doc(c.doc).Normalize()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// Limits on Markdown input that goldmark parses in quadratic time.
const (
	// MaxMarkdownNesting is the most block quotes and list items a line may
	// open.
	MaxMarkdownNesting = 100
	// MaxMarkdownLinksPerLine is the most "](" a line may hold.
	MaxMarkdownLinksPerLine = 1000
)

// checkMarkdownShape refuses input that would make goldmark slow: lines
// nesting containers too deeply, or holding too many link openings.
func checkMarkdownShape(src string) error {
	for n, line := range strings.Split(src, "\n") {
		if d := nestingDepth(line); d > MaxMarkdownNesting {
			return errs.Field("content", "content: line %d of the Markdown nests %d block quotes and list items; at most %d are allowed", n+1, d, MaxMarkdownNesting)
		}
		if k := strings.Count(line, "]("); k > MaxMarkdownLinksPerLine {
			return errs.Field("content", "content: line %d of the Markdown holds %d links; at most %d are allowed on one line", n+1, k, MaxMarkdownLinksPerLine)
		}
	}
	return nil
}

// nestingDepth counts the block quote markers and list markers a line opens.
func nestingDepth(line string) int {
	depth := 0
	space := func(i int) bool { return i == len(line) || line[i] == ' ' || line[i] == '\t' }
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && space(i+1):
			depth++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j == len(line) || line[j] != '.' && line[j] != ')' || !space(j+1) {
				return depth
			}
			depth++
			i = j + 1
		default:
			return depth
		}
	}
	return depth
}

// cleanSource makes text input safe to convert: line endings become "\n",
// invalid UTF-8 becomes U+FFFD, and control characters other than line feed
// and tab are dropped.
func cleanSource(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return cleanText(strings.ReplaceAll(s, "\r", "\n"))
}

// cleanText drops the control characters text may not contain.
func cleanText(s string) string {
	if r, _ := badRune(s); r < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s)
}

type mdReader struct {
	src []byte
	doc []Block
}

func (c *mdReader) emit(b Block) { c.doc = append(c.doc, b) }

// textType is the type of a text block: blockquote inside a quote.
func textType(t BlockType, quote bool) BlockType {
	if quote {
		return Blockquote
	}
	return t
}

// blocks converts the block children of parent. level is the list nesting.
func (c *mdReader) blocks(parent ast.Node, level int, quote bool) {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		c.block(n, level, quote)
	}
}

func (c *mdReader) block(n ast.Node, level int, quote bool) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		b := Block{Type: textType(Paragraph, quote)}
		if level > 0 && !quote {
			b.Indent = min(level, MaxIndent)
		}
		c.textBlock(n, b)
	case *ast.Heading:
		t := Heading3
		switch n.Level {
		case 1:
			t = Heading1
		case 2:
			t = Heading2
		}
		c.textBlock(n, Block{Type: textType(t, quote)})
	case *ast.ThematicBreak:
		c.emit(Block{Type: SceneBreak})
	case *ast.Blockquote:
		if n.FirstChild() == nil {
			c.emit(Block{Type: Blockquote})
			return
		}
		c.blocks(n, level, true)
	case *ast.List:
		c.list(n, level+1, quote)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		var s strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			s.Write(seg.Value(c.src))
		}
		code := strings.TrimSuffix(s.String(), "\n")
		c.emit(Block{Type: textType(Paragraph, quote), Children: []Inline{{Leaf: Leaf{Text: code, Code: code != ""}}}})
	case *ast.HTMLBlock:
		var s strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			s.Write(seg.Value(c.src))
		}
		if n.HasClosure() {
			s.Write(n.ClosureLine.Value(c.src))
		}
		c.emit(Block{Type: textType(Paragraph, quote), Children: []Inline{Text(strings.TrimRight(s.String(), "\n"))}})
	default:
		c.blocks(n, level, quote)
	}
}

// list converts a list whose items sit at the given level.
func (c *mdReader) list(l *ast.List, level int, quote bool) {
	number := l.Start
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		b := Block{Type: textType(Paragraph, quote)}
		if !quote {
			b.Indent = min(level, MaxIndent)
			b.ListStyleType = ListDisc
			if l.IsOrdered() {
				b.ListStyleType = ListDecimal
				b.ListStart = max(1, min(number, MaxListStart))
			}
		}
		first := item.FirstChild()
		switch first.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			c.textBlock(first, b)
			first = first.NextSibling()
		default:
			c.emit(b)
		}
		for n := first; n != nil; n = n.NextSibling() {
			c.block(n, level, quote)
		}
		number++
	}
}

// textBlock converts the inline content of n into the block base, splitting it
// around stored-file images.
func (c *mdReader) textBlock(n ast.Node, base Block) {
	ib := inlineBuilder{c: c, base: base}
	ib.walk(n, 0, nil)
	ib.flush(true)
}

type inlineBuilder struct {
	c       *mdReader
	base    Block
	cur     []Inline
	emitted bool // a part of this block has been emitted
}

// flush emits the inlines gathered so far as a block. A part that holds only
// whitespace is dropped when the block was split around an image.
func (ib *inlineBuilder) flush(last bool) {
	blank := true
	for _, in := range ib.cur {
		if in.Link != nil || strings.TrimSpace(in.Leaf.Text) != "" {
			blank = false
			break
		}
	}
	split := ib.emitted || !last
	if blank && split {
		ib.cur = nil
		return
	}
	b := ib.base
	if ib.emitted {
		b = Block{Type: ib.base.Type}
	}
	b.Children = joinLinks(ib.cur)
	ib.c.emit(b)
	ib.cur = nil
	ib.emitted = true
}

// joinLinks merges links to the same URL that follow each other, as
// Markdown writes a link in two when its text would otherwise be misread.
func joinLinks(in []Inline) []Inline {
	out := make([]Inline, 0, len(in))
	joined := -1 // the index in out of a link made here by joining
	for _, c := range in {
		n := len(out)
		if n > 0 && c.Link != nil && out[n-1].Link != nil && out[n-1].Link.URL == c.Link.URL {
			if joined != n-1 {
				lk := *out[n-1].Link
				lk.Children = append([]Leaf{}, lk.Children...)
				out[n-1].Link = &lk
				joined = n - 1
			}
			out[n-1].Link.Children = append(out[n-1].Link.Children, c.Link.Children...)
			continue
		}
		out = append(out, c)
	}
	return out
}

func (ib *inlineBuilder) text(s string, m marks, link *Link) {
	if s == "" {
		return
	}
	lf := Leaf{Text: s}
	lf.setMarks(m)
	if link != nil {
		link.Children = append(link.Children, lf)
		return
	}
	ib.cur = append(ib.cur, Inline{Leaf: lf})
}

func (ib *inlineBuilder) walk(parent ast.Node, m marks, link *Link) {
	src := ib.c.src
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Text:
			v := n.Value(src)
			if n.IsRaw() {
				ib.text(cleanText(string(v)), m, link)
			} else {
				ib.text(decodeText(v), m, link)
			}
			switch {
			case n.HardLineBreak():
				ib.text("\n", m, link)
			case n.SoftLineBreak():
				ib.text(" ", m, link)
			}
		case *ast.String:
			if n.IsRaw() || n.IsCode() {
				ib.text(cleanText(string(n.Value)), m, link)
			} else {
				ib.text(decodeText(n.Value), m, link)
			}
		case *ast.Emphasis:
			if n.Level >= 2 {
				ib.walk(n, m|markBold, link)
			} else {
				ib.walk(n, m|markItalic, link)
			}
		case *extast.Strikethrough:
			ib.walk(n, m|markStrikethrough, link)
		case *ast.CodeSpan:
			var s strings.Builder
			for t := n.FirstChild(); t != nil; t = t.NextSibling() {
				switch t := t.(type) {
				case *ast.Text:
					s.Write(t.Value(src))
					if t.SoftLineBreak() || t.HardLineBreak() {
						s.WriteByte(' ')
					}
				case *ast.String:
					s.Write(t.Value)
				}
			}
			ib.text(cleanText(s.String()), m|markCode, link)
		case *ast.Link:
			dest := decodeText(n.Destination)
			if link != nil || !urlOK(dest) {
				ib.walk(n, m, link)
				continue
			}
			lk := &Link{URL: dest}
			ib.walk(n, m, lk)
			if len(lk.Children) == 0 {
				lk.Children = []Leaf{{}}
			}
			ib.cur = append(ib.cur, Inline{Link: lk})
		case *ast.AutoLink:
			label := cleanText(string(n.Label(src)))
			dest := string(n.URL(src))
			if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
				dest = "mailto:" + dest
			}
			if link != nil || !urlOK(dest) {
				ib.text(label, m, link)
				continue
			}
			lk := &Link{URL: dest, Children: []Leaf{{Text: label}}}
			lk.Children[0].setMarks(m)
			ib.cur = append(ib.cur, Inline{Link: lk})
		case *ast.Image:
			dest := decodeText(n.Destination)
			alt := plainInline(n, src)
			id, isFile := strings.CutPrefix(strings.ToLower(dest), fileScheme)
			if link != nil || !isFile || !isUUID(id) {
				ib.text(alt, m, link)
				continue
			}
			ib.flush(false)
			ib.c.emit(Block{
				Type:    Image,
				FileID:  id,
				Alt:     truncate(alt, MaxAltLen),
				Caption: truncate(decodeText(n.Title), MaxCaptionLen),
			})
			ib.emitted = true
		case *ast.RawHTML:
			var s strings.Builder
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				s.Write(seg.Value(src))
			}
			ib.text(cleanText(s.String()), m, link)
		default:
			ib.walk(n, m, link)
		}
	}
}

// plainInline returns the text of inline content without marks, as an
// image's alt text.
func plainInline(parent ast.Node, src []byte) string {
	ib := inlineBuilder{c: &mdReader{src: src}}
	ib.walk(parent, 0, nil)
	var s strings.Builder
	for _, in := range ib.cur {
		if in.Link != nil {
			for _, lf := range in.Link.Children {
				s.WriteString(lf.Text)
			}
			continue
		}
		s.WriteString(in.Leaf.Text)
	}
	return s.String()
}

func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max])
}

// decodeText resolves backslash escapes and character references in Markdown
// text, as CommonMark renders it, and drops control characters.
func decodeText(v []byte) string {
	if !containsAny(v, '\\', '&') {
		return cleanText(string(v))
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); {
		c := v[i]
		if c == '\\' && i+1 < len(v) && util.IsPunct(v[i+1]) {
			b.WriteByte(v[i+1])
			i += 2
			continue
		}
		if c == '&' {
			if r, n := charRef(v[i:]); n > 0 {
				b.WriteString(r)
				i += n
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return cleanText(b.String())
}

func containsAny(v []byte, a, b byte) bool {
	for _, c := range v {
		if c == a || c == b {
			return true
		}
	}
	return false
}

// charRef decodes the character reference at the start of v ("&#233;",
// "&#xE9;" or "&eacute;"), returning its text and length, or n == 0.
func charRef(v []byte) (string, int) {
	i := 1
	if i < len(v) && v[i] == '#' {
		i++
		hex := i < len(v) && (v[i] == 'x' || v[i] == 'X')
		if hex {
			i++
		}
		start := i
		for i < len(v) && (v[i] >= '0' && v[i] <= '9' || hex && (v[i] >= 'a' && v[i] <= 'f' || v[i] >= 'A' && v[i] <= 'F')) {
			i++
		}
		digits := i - start
		if digits == 0 || i >= len(v) || v[i] != ';' || hex && digits > 6 || !hex && digits > 7 {
			return "", 0
		}
		base := 10
		if hex {
			base = 16
		}
		n, _ := strconv.ParseUint(string(v[start:i]), base, 32)
		r := rune(n)
		if r == 0 || !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		return string(r), i + 1
	}
	start := i
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] >= 'a' && v[i] <= 'z' || v[i] >= 'A' && v[i] <= 'Z') {
		i++
	}
	if i == start || i >= len(v) || v[i] != ';' {
		return "", 0
	}
	e, ok := util.LookUpHTML5EntityByName(string(v[start:i]))
	if !ok {
		return "", 0
	}
	return string(e.Characters), i + 1
}
