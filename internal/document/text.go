package document

import (
	"strings"
	"unicode"
)

// sceneBreakText is how a scene break reads in plain text.
const sceneBreakText = "* * *"

// blockText returns the plain text of one block: its leaves' text (link text
// included), "* * *" for a scene break, the alt text of an image, nothing for a
// page break.
func (b *Block) blockText() string {
	switch b.Type {
	case SceneBreak:
		return sceneBreakText
	case Image:
		return b.Alt
	case PageBreak:
		return ""
	}
	if len(b.Children) == 1 && b.Children[0].Link == nil {
		return b.Children[0].Leaf.Text
	}
	var s strings.Builder
	b.writeText(&s)
	return s.String()
}

func (b *Block) writeText(s *strings.Builder) {
	for _, in := range b.Children {
		if in.Link == nil {
			s.WriteString(in.Leaf.Text)
			continue
		}
		for _, lf := range in.Link.Children {
			s.WriteString(lf.Text)
		}
	}
}

// PlainText returns the text of the document without marks or markup: the
// text of each block (screenplay and stage blocks too, each as its own
// paragraph; a scene break as "* * *"; an image as its alt text), separated by
// a blank line ("\n\n"). Blocks without text (empty paragraphs, page breaks,
// images without alt text) are left out. Line breaks inside a block stay "\n".
func (d Doc) PlainText() string {
	n := 0
	for i := range d {
		_, tb, _ := d[i].counts()
		n += tb + 2
	}
	var s strings.Builder
	s.Grow(n)
	for i := range d {
		b := &d[i]
		switch b.Type {
		case SceneBreak, Image, PageBreak:
			t := b.blockText()
			if t == "" {
				continue
			}
			if s.Len() > 0 {
				s.WriteString("\n\n")
			}
			s.WriteString(t)
		default:
			if b.empty() {
				continue
			}
			if s.Len() > 0 {
				s.WriteString("\n\n")
			}
			b.writeText(&s)
		}
	}
	return s.String()
}

// empty reports whether a text block holds no text.
func (b *Block) empty() bool {
	for _, in := range b.Children {
		if in.Link == nil {
			if in.Leaf.Text != "" {
				return false
			}
			continue
		}
		for _, lf := range in.Link.Children {
			if lf.Text != "" {
				return false
			}
		}
	}
	return true
}

// WordCount counts the words of PlainText. A word is a run of letters, digits
// and combining marks; an apostrophe or hyphen between two such characters
// joins them (don't, well-known), and so does a '.' or ',' between two digits
// (3.14, 1,000). Each CJK ideograph and each kana counts as a word of its own.
// Punctuation, symbols, emoji and the "* * *" of a scene break count nothing.
func (d Doc) WordCount() int {
	var c wordCounter
	for i := range d {
		b := &d[i]
		switch b.Type {
		case SceneBreak, PageBreak:
			continue
		case Image:
			c.add(b.Alt)
		default:
			for _, in := range b.Children {
				if in.Link == nil {
					c.add(in.Leaf.Text)
					continue
				}
				for _, lf := range in.Link.Children {
					c.add(lf.Text)
				}
			}
		}
		c.brk()
	}
	return c.n
}

// wordCounter counts words across text fed in pieces (the leaves of a block),
// so that a word split between two leaves ("bo" + "ld") counts once.
type wordCounter struct {
	n      int
	inWord bool // the last rune was part of a word
	last   rune // the last word rune
	joiner rune // a joiner directly after a word rune, or 0
}

// brk ends any word in progress, as a block boundary does.
func (c *wordCounter) brk() { c.inWord, c.joiner = false, 0 }

func (c *wordCounter) add(s string) {
	for _, r := range s {
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			c.wordRune(r)
		case r < 0x80:
			c.other(r)
		case isCJK(r):
			c.n++
			c.brk()
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			c.wordRune(r)
		default:
			c.other(r)
		}
	}
}

func (c *wordCounter) wordRune(r rune) {
	switch {
	case c.inWord:
	case c.joiner != 0 && joins(c.joiner, c.last, r):
	default:
		c.n++
	}
	c.inWord, c.joiner, c.last = true, 0, r
}

func (c *wordCounter) other(r rune) {
	if c.inWord && isJoiner(r) {
		c.inWord, c.joiner = false, r
		return
	}
	c.brk()
}

func isJoiner(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u02bc', '-', '\u2010', '\u2011', '.', ',':
		return true
	}
	return false
}

// joins reports whether joiner j between the word runes a and b keeps them in
// one word: apostrophes and hyphens always, '.' and ',' only between digits.
func joins(j, a, b rune) bool {
	if j == '.' || j == ',' {
		return unicode.IsDigit(a) && unicode.IsDigit(b)
	}
	return true
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}
