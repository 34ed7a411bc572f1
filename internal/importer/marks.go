package importer

import (
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/document"
)

// mark is a set of the character formats imports keep.
type mark uint8

const (
	mBold mark = 1 << iota
	mItalic
	mUnderline
	mStrike
	mSuper
	mSub
)

// markSet is what a style or a run's properties do to the marks: turn some
// on and some off; the rest are inherited.
type markSet struct{ on, off mark }

func (m mark) with(s markSet) mark { return (m | s.on) &^ s.off }

// set records that mark k is turned on or off.
func (s *markSet) set(k mark, on bool) {
	if on {
		s.on, s.off = s.on|k, s.off&^k
	} else {
		s.on, s.off = s.on&^k, s.off|k
	}
}

// then applies t after s: t's settings win.
func (s markSet) then(t markSet) markSet {
	return markSet{on: (s.on &^ t.off) | t.on, off: (s.off &^ t.on) | t.off}
}

// leaf builds a text leaf with marks m.
func leaf(text string, m mark) document.Leaf {
	return document.Leaf{
		Text:          text,
		Bold:          m&mBold != 0,
		Italic:        m&mItalic != 0,
		Underline:     m&mUnderline != 0,
		Strikethrough: m&mStrike != 0,
		Superscript:   m&mSuper != 0,
		Subscript:     m&mSub != 0,
	}
}

// inlines accumulates the inline content of a paragraph: text leaves, and
// links whose children are leaves. It counts the text against the job's
// limit as it grows.
type inlines struct {
	j    *job
	out  []document.Inline
	link *document.Link // the open link, nil outside one
}

// add appends text with marks m, to the open link if there is one.
func (in *inlines) add(text string, m mark) error {
	if text == "" {
		return nil
	}
	text = cleanText(text)
	if err := in.j.addText(utf8.RuneCountInString(text)); err != nil {
		return err
	}
	if in.link != nil {
		in.link.Children = append(in.link.Children, leaf(text, m))
		return nil
	}
	in.out = append(in.out, document.Inline{Leaf: leaf(text, m)})
	return nil
}

// openLink starts a link to url (already vetted with linkURL); text added
// until closeLink is its text.
func (in *inlines) openLink(url string) {
	in.closeLink()
	in.link = &document.Link{URL: url}
}

// closeLink ends the open link, dropping it when it has no text.
func (in *inlines) closeLink() {
	if in.link != nil && len(in.link.Children) > 0 {
		in.out = append(in.out, document.Inline{Link: in.link})
	}
	in.link = nil
}

// take returns the inlines and resets in for the next paragraph.
func (in *inlines) take() []document.Inline {
	in.closeLink()
	out := in.out
	in.out = nil
	return out
}

// linkURL returns u when it is an http or https URL a document accepts as a
// link, and "" otherwise (the link then keeps only its text).
func linkURL(u string) string {
	if !equalFoldPrefix(u, "http://") && !equalFoldPrefix(u, "https://") {
		return ""
	}
	d := document.Doc{{Type: document.Paragraph, Children: []document.Inline{{Link: &document.Link{URL: u, Children: []document.Leaf{{Text: "x"}}}}}}}
	if d.Validate() != nil {
		return ""
	}
	return u
}

func equalFoldPrefix(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}
