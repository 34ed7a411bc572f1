package document

import (
	"strconv"
	"strings"
	"unicode"
)

// mdContext says how line breaks inside the text are written.
type mdContext int

const (
	mdBody    mdContext = iota // hard line breaks, continued with a prefix
	mdHeading                  // no line breaks: newlines become &#10;
)

// Text pieces are written plain, backslash-escaped, as a numeric character
// reference, or (newlines only) as a hard line break.
const (
	modePlain = iota
	modeEscape
	modeEntity
	modeBreak
)

// mdPiece is one rune of text, or a run of Markdown syntax.
type mdPiece struct {
	r      rune
	mode   uint8
	raw    string // syntax, when not ""
	delim  byte   // '*', '_' or '~' when raw is an emphasis delimiter
	opener bool
}

func (p *mdPiece) first() rune {
	switch {
	case p.raw != "":
		return rune(p.raw[0])
	case p.mode == modeEscape || p.mode == modeBreak:
		return '\\'
	case p.mode == modeEntity:
		return '&'
	}
	return p.r
}

func (p *mdPiece) last() rune {
	switch {
	case p.raw != "":
		return rune(p.raw[len(p.raw)-1])
	case p.mode == modeBreak:
		return '\n'
	case p.mode == modeEntity:
		return ';'
	}
	return p.r
}

// The emphasis marks Markdown carries, in the order they are opened.
var mdMarks = [...]struct {
	bit   marks
	delim string
}{
	{markBold, "**"},
	{markItalic, "_"},
	{markStrikethrough, "~~"},
}

const mdMarkBits = markBold | markItalic | markStrikethrough

// inlines writes the children of a block as Markdown inline content. prefix
// starts each continuation line after a hard line break.
func (w *mdWriter) inlines(children []Inline, ctx mdContext, prefix string) {
	if ctx == mdBody {
		children = splitDefinitionLike(children)
	}
	var ps []mdPiece
	var stack []marks
	closeTo := func(n int) {
		for len(stack) > n {
			m := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, mk := range mdMarks {
				if mk.bit == m {
					ps = append(ps, mdPiece{raw: mk.delim, delim: mk.delim[0]})
				}
			}
		}
	}
	leaf := func(lf Leaf) {
		want := lf.marks() & mdMarkBits
		keep := 0
		for keep < len(stack) && want&stack[keep] != 0 {
			keep++
		}
		closeTo(keep)
		var open marks
		for _, m := range stack {
			open |= m
		}
		for _, mk := range mdMarks {
			if want&mk.bit != 0 && open&mk.bit == 0 {
				stack = append(stack, mk.bit)
				ps = append(ps, mdPiece{raw: mk.delim, delim: mk.delim[0], opener: true})
			}
		}
		if !lf.Code {
			for _, r := range lf.Text {
				ps = append(ps, mdPiece{r: r})
			}
			return
		}
		for i, line := range strings.Split(lf.Text, "\n") {
			if i > 0 {
				ps = append(ps, mdPiece{r: '\n'})
			}
			if line != "" {
				ps = append(ps, mdPiece{raw: codeSpan(line)})
			}
		}
	}
	for i := 0; i < len(children); i++ {
		in := children[i]
		if in.Link == nil {
			// Leaves that differ only in marks Markdown drops are written
			// as one: two code spans side by side would read as one anyway.
			j := i + 1
			for j < len(children) && children[j].Link == nil {
				j++
			}
			run := make([]Leaf, 0, j-i)
			for _, c := range children[i:j] {
				run = append(run, mdLeaf(c.Leaf))
			}
			for _, lf := range mergeLeaves(run) {
				leaf(lf)
			}
			i = j - 1
			continue
		}
		closeTo(0)
		ps = append(ps, mdPiece{raw: "["})
		run := make([]Leaf, 0, len(in.Link.Children))
		for _, lf := range in.Link.Children {
			run = append(run, mdLeaf(lf))
		}
		for _, lf := range mergeLeaves(run) {
			leaf(lf)
		}
		closeTo(0)
		ps = append(ps, mdPiece{raw: "](" + linkDestination(in.Link.URL) + ")"})
	}
	closeTo(0)
	escapePieces(ps, ctx)
	w.writePieces(ps, prefix)
}

// splitDefinitionLike guards a paragraph that starts with a link: if code in
// the link text holds "]:", CommonMark would read the paragraph as a link
// reference definition. The link is split in two after that "]" (both with
// the same URL; FromMarkdown joins them again).
func splitDefinitionLike(children []Inline) []Inline {
	if len(children) == 0 || children[0].Link == nil {
		return children
	}
	lk := children[0].Link
	for k, lf := range lk.Children {
		i := strings.Index(lf.Text, "]:")
		if !lf.Code || i < 0 {
			continue
		}
		a, b := lf, lf
		a.Text, b.Text = lf.Text[:i+1], lf.Text[i+1:]
		first := &Link{URL: lk.URL, Children: append(append([]Leaf{}, lk.Children[:k]...), a)}
		second := &Link{URL: lk.URL, Children: append([]Leaf{b}, lk.Children[k+1:]...)}
		return append([]Inline{{Link: first}, {Link: second}}, children[1:]...)
	}
	return children
}

// mdLeaf keeps of a leaf what Markdown carries.
func mdLeaf(lf Leaf) Leaf {
	return Leaf{Text: lf.Text, Bold: lf.Bold, Italic: lf.Italic, Strikethrough: lf.Strikethrough, Code: lf.Code}
}

// codeSpan writes text (without newlines) as a code span, with a backtick
// fence no run inside it matches and the padding CommonMark strips.
func codeSpan(s string) string {
	runs := map[int]bool{}
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		runs[j-i] = true
		i = j
	}
	n := 1
	for runs[n] {
		n++
	}
	fence := strings.Repeat("`", n)
	pad := ""
	// goldmark strips one space from each end unless the content is all
	// spaces and tabs.
	if s[0] == '`' || s[len(s)-1] == '`' || s[0] == ' ' && s[len(s)-1] == ' ' && strings.Trim(s, " \t") != "" {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// linkDestination writes a URL as a link destination: in angle brackets when
// it holds parentheses, with entity-like '&' escaped.
func linkDestination(u string) string {
	var b strings.Builder
	angle := strings.ContainsAny(u, "()")
	if angle {
		b.WriteByte('<')
	}
	for i := 0; i < len(u); i++ {
		if u[i] == '&' && entityAt(u[i:]) {
			b.WriteByte('\\')
		}
		b.WriteByte(u[i])
	}
	if angle {
		b.WriteByte('>')
	}
	return b.String()
}

// entityAt reports whether s starts with something CommonMark could read as
// an entity or numeric character reference.
func entityAt(s string) bool {
	i := 1
	if i < len(s) && s[i] == '#' {
		i++
		if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
			i++
		}
	}
	j := i
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
		j++
	}
	return j > i && j < len(s) && s[j] == ';'
}

// mdSpace and mdPunct classify runes as CommonMark's emphasis rules (and
// goldmark) do.
func mdSpace(r rune) bool { return unicode.IsSpace(r) }
func mdPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// escapePieces chooses how each text rune is written: it escapes Markdown
// syntax, protects leading and trailing whitespace of lines, and makes every
// emphasis delimiter open or close as intended by turning neighbouring text
// into character references where CommonMark's flanking rules need it.
func escapePieces(ps []mdPiece, ctx mdContext) {
	lineStart := true
	for i := range ps {
		p := &ps[i]
		if p.raw != "" {
			lineStart = false
			continue
		}
		r := p.r
		if r == '\n' {
			// goldmark misreads a hard break after an escaped backslash.
			if ctx == mdHeading || i == 0 || i == len(ps)-1 || ps[i-1].last() == '\\' {
				p.mode = modeEntity
			} else {
				p.mode = modeBreak
			}
			lineStart = p.mode == modeBreak
			continue
		}
		switch {
		case mdSpace(r) && (lineStart || i == len(ps)-1 || ps[i+1].raw == "" && ps[i+1].r == '\n'):
			p.mode = modeEntity
		case strings.ContainsRune("\\`*_[]<~", r):
			p.mode = modeEscape
		case r == '&':
			if entityAt(textFrom(ps[i:])) {
				p.mode = modeEscape
			}
		case r == '!':
			if i+1 < len(ps) && ps[i+1].raw == "[" {
				p.mode = modeEscape
			}
		case r == '#' && ctx == mdHeading:
			p.mode = modeEscape
		case lineStart && strings.ContainsRune("#>-+=|:", r):
			p.mode = modeEscape
		case lineStart && r >= '0' && r <= '9':
			j := i
			for j < len(ps) && ps[j].raw == "" && ps[j].r >= '0' && ps[j].r <= '9' {
				j++
			}
			if j < len(ps) && ps[j].raw == "" && (ps[j].r == '.' || ps[j].r == ')') &&
				(j+1 == len(ps) || ps[j+1].raw == "" && (ps[j+1].r == ' ' || ps[j+1].r == '\t' || ps[j+1].r == '\n')) {
				ps[j].mode = modeEscape
			}
		}
		lineStart = false
	}
	// Flanking: check every delimiter, and again each delimiter next to a
	// piece that changed, until none needs a neighbour changed.
	var queue []int
	for i := range ps {
		if ps[i].delim != 0 {
			queue = append(queue, i)
		}
	}
	upgrade := func(j int) {
		if j < 0 || j >= len(ps) || ps[j].raw != "" || ps[j].mode == modeEntity {
			return
		}
		ps[j].mode = modeEntity
		for _, k := range [2]int{j - 1, j + 1} {
			if k >= 0 && k < len(ps) && ps[k].delim != 0 {
				queue = append(queue, k)
			}
		}
	}
	for len(queue) > 0 {
		i := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		p := &ps[i]
		// Newlines next to a delimiter are always written as references.
		if i > 0 && ps[i-1].raw == "" && ps[i-1].r == '\n' {
			upgrade(i - 1)
		}
		if i+1 < len(ps) && ps[i+1].raw == "" && ps[i+1].r == '\n' {
			upgrade(i + 1)
		}
		prev, next := ' ', ' '
		if i > 0 {
			prev = ps[i-1].last()
		}
		if i+1 < len(ps) {
			next = ps[i+1].first()
		}
		if p.delim == '~' && prev == '~' {
			upgrade(i - 1)
		}
		if p.opener {
			switch {
			case mdSpace(next):
				upgrade(i + 1)
			case mdPunct(next) && !mdSpace(prev) && !mdPunct(prev):
				upgrade(i - 1)
			case p.delim == '_' && !mdSpace(prev) && !mdPunct(prev):
				upgrade(i - 1)
			}
			continue
		}
		switch {
		case mdSpace(prev):
			upgrade(i - 1)
		case mdPunct(prev) && !mdSpace(next) && !mdPunct(next):
			upgrade(i + 1)
		case p.delim == '_' && !mdSpace(next) && !mdPunct(next):
			upgrade(i + 1)
		}
	}
}

// textFrom returns the plain text of the leading text pieces of ps, enough to
// decide whether an '&' starts something entity-like.
func textFrom(ps []mdPiece) string {
	var b strings.Builder
	for _, p := range ps {
		if p.raw != "" || b.Len() > 40 {
			break
		}
		b.WriteRune(p.r)
	}
	return b.String()
}

func (w *mdWriter) writePieces(ps []mdPiece, prefix string) {
	for i := range ps {
		p := &ps[i]
		if p.raw != "" {
			w.out.WriteString(p.raw)
			continue
		}
		switch p.mode {
		case modePlain:
			w.out.WriteRune(p.r)
		case modeEscape:
			w.out.WriteByte('\\')
			w.out.WriteRune(p.r)
		case modeEntity:
			w.out.WriteString("&#")
			w.out.WriteString(strconv.Itoa(int(p.r)))
			w.out.WriteByte(';')
		case modeBreak:
			w.out.WriteString("\\\n")
			w.out.WriteString(prefix)
		}
	}
}
