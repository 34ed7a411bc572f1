package docx

import (
	"bufio"
	"unicode/utf8"
)

// out writes XML to a buffered writer. bufio.Writer keeps the first write
// error and returns it from every later call, so the writers of the parts
// ignore write results and check once, at Flush.
type out struct {
	w *bufio.Writer
}

func (o out) raw(s string) { _, _ = o.w.WriteString(s) }

// text writes s escaped for XML character data or a double-quoted attribute
// value. Characters XML 1.0 cannot hold (control characters other than tab,
// line feed and carriage return, U+FFFE, U+FFFF) are dropped, and bytes that
// are not UTF-8 become U+FFFD, so any string makes a well-formed part. In
// attributes, tab and line feed are written as references so they survive
// attribute-value normalisation.
func (o out) text(s string, attr bool) {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			var esc string
			switch {
			case c == '&':
				esc = "&amp;"
			case c == '<':
				esc = "&lt;"
			case c == '>':
				esc = "&gt;"
			case c == '"' && attr:
				esc = "&quot;"
			case c == '\t' && attr:
				esc = "&#9;"
			case c == '\n' && attr:
				esc = "&#10;"
			case c == '\r':
				esc = "&#13;"
			case c < 0x20 && c != '\t' && c != '\n':
				esc = ""
			default:
				i++
				continue
			}
			o.raw(s[start:i])
			o.raw(esc)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
			o.raw(s[start:i])
			if r == utf8.RuneError {
				o.raw("\uFFFD")
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	o.raw(s[start:])
}

// needsPreserve reports whether w:t text needs xml:space="preserve": leading
// or trailing white space, or runs of spaces, which Word would otherwise
// collapse.
func needsPreserve(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	for i := 1; i < len(s); i++ {
		if s[i] == ' ' && s[i-1] == ' ' {
			return true
		}
	}
	return false
}
