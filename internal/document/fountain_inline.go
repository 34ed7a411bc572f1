package document

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ftInlines parses the text of a Fountain element: inline [[notes]] are
// removed, then each line's emphasis (*italic*, **bold**, ***both***,
// _underline_) and backslash escapes are resolved. Line breaks carry no marks.
func ftInlines(s string) []Inline {
	s = stripNotes(s)
	var out []Inline
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			out = append(out, Text("\n"))
		}
		out = append(out, ftEmphasis(line)...)
	}
	if len(out) == 0 {
		out = []Inline{{}}
	}
	return out
}

// stripNotes removes [[notes]] (which may span lines) from s; a "[[" without
// a closing "]]" stays literal, and so does an escaped "\[[".
func stripNotes(s string) string {
	if !strings.Contains(s, "[[") {
		return s
	}
	var b strings.Builder
	unclosed := false
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			b.WriteString(s[i : i+2])
			i += 2
			continue
		case !unclosed && strings.HasPrefix(s[i:], "[["):
			end := noteEnd(s, i+2)
			if end >= 0 {
				i = end + 2
				continue
			}
			unclosed = true // no later "[[" can close either
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// noteEnd returns the index of the first unescaped "]]" in s at or after i,
// or -1.
func noteEnd(s string, i int) int {
	for ; i+1 < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case s[i] == ']' && s[i+1] == ']':
			return i
		}
	}
	return -1
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// ftTok is a run of literal text or of emphasis delimiters in one line.
type ftTok struct {
	text  string
	ch    byte // '*' or '_' for a delimiter run
	n     int  // delimiters of the run not used as emphasis (literal)
	open  bool // followed by a non-space: may open emphasis
	close bool // preceded by a non-space: may close emphasis
	// Nesting counts: a match adds one to the token after its opener and
	// takes one away at its closer, so running sums give each token's marks.
	italic, bold, underline int
}

// ftEmphasis resolves emphasis in one line. A delimiter run can open when a
// non-space follows it and close when a non-space precedes it. Each run first
// closes, from the top of the stack of open marks, what it can ('*' closes
// italic, '**' bold, '_' underline), then opens with what is left: '***' bold
// and italic (bold outside), '**' bold, '*' italic, '_' underline. Delimiters
// never matched stay literal.
func ftEmphasis(line string) []Inline {
	var toks []ftTok
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			toks = append(toks, ftTok{text: text.String()})
			text.Reset()
		}
	}
	prev := rune(-1)
	for i := 0; i < len(line); {
		c := line[i]
		if c == '\\' && i+1 < len(line) && isASCIIPunct(line[i+1]) {
			text.WriteByte(line[i+1])
			prev = rune(line[i+1])
			i += 2
			continue
		}
		if c == '*' || c == '_' {
			j := i
			for j < len(line) && line[j] == c {
				j++
			}
			next := rune(-1)
			if j < len(line) {
				next, _ = utf8.DecodeRuneInString(line[j:])
			}
			flush()
			toks = append(toks, ftTok{
				ch: c, n: j - i,
				open:  next >= 0 && !unicode.IsSpace(next),
				close: prev >= 0 && !unicode.IsSpace(prev),
			})
			prev = rune(c)
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		text.WriteString(line[i : i+size])
		prev = r
		i += size
	}
	flush()
	matchEmphasis(toks)

	out := make([]Inline, 0, len(toks))
	var it, bo, un int
	for i := range toks {
		t := &toks[i]
		it += t.italic
		bo += t.bold
		un += t.underline
		s := t.text
		if t.ch != 0 {
			s = strings.Repeat(string(t.ch), t.n)
		}
		if s == "" {
			continue
		}
		lf := Leaf{Text: s, Italic: it > 0, Bold: bo > 0, Underline: un > 0}
		out = append(out, Inline{Leaf: lf})
	}
	return out
}

// matchEmphasis pairs the delimiter runs of a line (see ftEmphasis).
func matchEmphasis(toks []ftTok) {
	type open struct {
		tok  int
		mark marks
		n    int
	}
	var stack []open
	count := func(i int, m marks) *int {
		switch m {
		case markBold:
			return &toks[i].bold
		case markItalic:
			return &toks[i].italic
		}
		return &toks[i].underline
	}
	for i := range toks {
		t := &toks[i]
		if t.ch == 0 {
			continue
		}
		if t.close {
			for len(stack) > 0 {
				e := stack[len(stack)-1]
				if (t.ch == '_') != (e.mark == markUnderline) || t.n < e.n {
					break
				}
				stack = stack[:len(stack)-1]
				t.n -= e.n
				*count(e.tok+1, e.mark)++
				*count(i, e.mark)--
			}
		}
		if !t.open || t.n == 0 {
			continue
		}
		switch {
		case t.ch == '_':
			stack = append(stack, open{i, markUnderline, 1})
			t.n--
		case t.n >= 3:
			stack = append(stack, open{i, markBold, 2}, open{i, markItalic, 1})
			t.n -= 3
		case t.n == 2:
			stack = append(stack, open{i, markBold, 2})
			t.n = 0
		default:
			stack = append(stack, open{i, markItalic, 1})
			t.n = 0
		}
	}
	// Openers never closed are literal text again.
	for _, e := range stack {
		toks[e.tok].n += e.n
	}
}
