package docx

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/authorworks/authorworks/internal/export"
)

// Word-count rounding thresholds (see the package comment).
const (
	novellaWords = 17_500
	novelWords   = 40_000
)

// approxWords rounds a word count for the "about N words" line.
func approxWords(n int) int {
	step := 100
	switch {
	case n >= novelWords:
		step = 1000
	case n >= novellaWords:
		step = 500
	}
	r := (n + step/2) / step * step
	if r == 0 {
		return n
	}
	return r
}

// groupThousands formats n with comma thousands separators: 1,500.
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// wordCountLine is the title page's "about N words", or "" when the book has
// no words.
func wordCountLine(b *export.Book) string {
	n := b.WordCount
	if n == 0 {
		for _, c := range b.Chapters {
			n += c.Doc.WordCount()
		}
	}
	if n <= 0 {
		return ""
	}
	r := approxWords(n)
	if r == 1 {
		return "about 1 word"
	}
	return "about " + groupThousands(r) + " words"
}

// stopWords are the words a header keyword never consists of when the title
// has other words.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "and": true, "or": true, "nor": true, "but": true,
	"in": true, "on": true, "at": true, "to": true, "for": true, "from": true, "by": true, "with": true,
	"into": true, "onto": true, "as": true, "is": true, "my": true, "our": true, "your": true,
	"his": true, "her": true, "its": true, "their": true,
}

// maxPairKeyword is the longest two-word keyword kept whole; longer titles
// give their longest word.
const maxPairKeyword = 16

// keyword picks the header keyword of a title, upper-cased: its significant
// words (articles, prepositions and conjunctions left out) when there are at
// most two and they are short, otherwise its longest significant word. "The
// Salt Road" gives "SALT ROAD", "The Kitchen at Low Water" gives "KITCHEN".
func keyword(title string) string {
	words := strings.FieldsFunc(title, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' && r != '-'
	})
	var sig []string
	for _, w := range words {
		w = strings.Trim(w, "'’-")
		if w != "" && !stopWords[strings.ToLower(w)] {
			sig = append(sig, w)
		}
	}
	if len(sig) == 0 {
		for _, w := range words {
			if w = strings.Trim(w, "'’-"); w != "" {
				sig = append(sig, w)
			}
		}
	}
	if len(sig) == 0 {
		return "UNTITLED"
	}
	if joined := strings.Join(sig, " "); len(sig) <= 2 && len([]rune(joined)) <= maxPairKeyword {
		return strings.ToUpper(joined)
	}
	longest := sig[0]
	for _, w := range sig[1:] {
		if len([]rune(w)) > len([]rune(longest)) {
			longest = w
		}
	}
	return strings.ToUpper(longest)
}

// surname is the surname for the running header: Book.Surname, else the last
// word of the byline.
func surname(b *export.Book) string {
	if s := strings.TrimSpace(b.Surname); s != "" {
		return s
	}
	f := strings.Fields(b.Author)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// headerPrefix is the running header before the page number: "Marsh / SALT ROAD / ".
func headerPrefix(b *export.Book, kw string) string {
	if kw == "" {
		kw = keyword(b.Title)
	}
	if s := surname(b); s != "" {
		return s + " / " + kw + " / "
	}
	return kw + " / "
}

// standaloneWords are first words of chapter titles that already say what the
// chapter is, so no "Chapter N" line goes above them.
var standaloneWords = map[string]bool{
	"chapter": true, "prologue": true, "epilogue": true, "interlude": true,
	"afterword": true, "foreword": true, "preface": true, "introduction": true,
}

// chapterLines returns the lines of a chapter heading: "Chapter N" and the
// chapter's title, or the title alone when it already names the chapter
// ("Prologue", "Chapter One: Fog").
func chapterLines(c export.Chapter, index int) []string {
	n := c.Number
	if n <= 0 {
		n = index + 1
	}
	label := "Chapter " + strconv.Itoa(n)
	title := strings.TrimSpace(c.Title)
	if title == "" || strings.EqualFold(title, label) {
		return []string{label}
	}
	first := strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) })
	if len(first) > 0 && standaloneWords[strings.ToLower(first[0])] && strings.HasPrefix(strings.ToLower(title), strings.ToLower(first[0])) {
		return []string{title}
	}
	return []string{label, title}
}

// scriptChapterLine is the heading of an act or sequence of a script.
func scriptChapterLine(c export.Chapter, index int) string {
	if t := strings.TrimSpace(c.Title); t != "" {
		return t
	}
	n := c.Number
	if n <= 0 {
		n = index + 1
	}
	return "Act " + strconv.Itoa(n)
}
