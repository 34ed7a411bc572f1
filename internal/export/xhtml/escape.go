package xhtml

import (
	"unicode/utf8"
)

// AppendEscaped appends s to dst escaped for XML and HTML text and for
// double-quoted attribute values: '&', '<', '>' and '"' become references.
// Characters neither XML 1.0 nor HTML allow (control characters other than tab
// and line feed, noncharacters, invalid UTF-8) become U+FFFD, and carriage
// returns are dropped, so book metadata that the document model never
// validated cannot make a file ill-formed.
func AppendEscaped(dst []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var repl string
		size := 1
		switch {
		case c == '&':
			repl = "&amp;"
		case c == '<':
			repl = "&lt;"
		case c == '>':
			repl = "&gt;"
		case c == '"':
			repl = "&quot;"
		case c == '\r':
			repl = ""
		case c == '\t' || c == '\n':
			i++
			continue
		case c < 0x20 || c == 0x7f:
			repl = "\uFFFD"
		case c < utf8.RuneSelf:
			i++
			continue
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			if !badRune(r, size) {
				i += size
				continue
			}
			repl = "\uFFFD"
		}
		dst = append(dst, s[last:i]...)
		dst = append(dst, repl...)
		i += size
		last = i
	}
	return append(dst, s[last:]...)
}

// Escape returns s escaped as AppendEscaped does.
func Escape(s string) string { return string(AppendEscaped(nil, s)) }

// badRune reports whether a decoded non-ASCII rune may not appear in output:
// invalid UTF-8, a C1 control character or a noncharacter.
func badRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0xfdd0 && r <= 0xfdef:
		return true
	}
	return r&0xfffe == 0xfffe
}
