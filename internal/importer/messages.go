package importer

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxTitleChars is the longest story or chapter title the content service
// accepts.
const maxTitleChars = 300

// byteSize writes n bytes for people, in the binary units file managers
// show ("812 bytes", "3.4 MB", "50 MB").
func byteSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KB"
	case n < 1<<30:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MB"
	}
	return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<30))) + " GB"
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }

// count writes n with thousands separators: 2,000.
func count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + count(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// cleanTitle makes s a title: control characters dropped, runs of white
// space (line breaks included) made one space, trimmed, and cut to
// maxTitleChars characters at a word boundary when it is longer.
func cleanTitle(s string) string {
	s = strings.Join(strings.FieldsFunc(cleanText(s), unicode.IsSpace), " ")
	if utf8.RuneCountInString(s) <= maxTitleChars {
		return s
	}
	n := 0
	for i := range s {
		if n == maxTitleChars-1 {
			s = s[:i]
			break
		}
		n++
	}
	if sp := strings.LastIndexByte(s, ' '); sp > maxTitleChars/2 {
		s = s[:sp]
	}
	return strings.TrimSpace(s) + "…"
}

// cleanText drops what a document may not hold: invalid UTF-8 becomes
// U+FFFD, and control characters other than line feed and tab are removed
// (a carriage return is removed too; the readers turn line endings into "\n"
// first).
func cleanText(s string) string {
	ok := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) && r != '\n' && r != '\t' {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s)
}
