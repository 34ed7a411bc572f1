package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isSceneBreak reports whether a paragraph's text is a scene-break marker:
// "#", "*", "***", "* * *", "~", "⁂", a line of dashes and the like.
func isSceneBreak(text string) bool {
	t := strings.TrimSpace(text)
	if t == "" || utf8.RuneCountInString(t) > 12 {
		return false
	}
	for _, r := range t {
		switch r {
		case '*', '#', '~', '⁂', '•', '·', '-', '–', '—', '=', '_', '§', '❧', '◊', '+', ' ', '\t', '\u00a0':
		default:
			return false
		}
	}
	return true
}

// Words that open a chapter label followed by a number ("Chapter 12"), that
// are a chapter label on their own ("Prologue"), and that open a part label
// ("Part Two").
var (
	chapterWords    = map[string]bool{"chapter": true}
	standaloneWords = map[string]bool{
		"prologue": true, "epilogue": true, "interlude": true, "afterword": true,
		"foreword": true, "preface": true, "introduction": true, "coda": true,
	}
	partWords = map[string]bool{"part": true, "book": true, "volume": true}
)

// chapterLabel reports whether a paragraph reads like a chapter heading:
// "Chapter 1", "CHAPTER ONE", "Chapter XII: The Storm", "Prologue",
// "Epilogue — Ten Years Later". Anything after the label must follow a
// separator (":", ".", "-", "–", "—"), so "Chapter 3 was the hardest." is
// not one.
func chapterLabel(text string) bool {
	return label(text, chapterWords, true) || label(text, standaloneWords, false)
}

// partLabel reports whether a heading names a part: "Part One", "BOOK II:
// The Sea", "Volume 3".
func partLabel(text string) bool { return label(text, partWords, true) }

// maxLabelChars is the longest paragraph read as a label.
const maxLabelChars = 100

func label(text string, words map[string]bool, numbered bool) bool {
	t := strings.TrimSpace(text)
	if t == "" || strings.ContainsRune(t, '\n') || utf8.RuneCountInString(t) > maxLabelChars {
		return false
	}
	w, rest := leadingWord(strings.ToLower(t))
	if !words[w] {
		return false
	}
	if numbered {
		var ok bool
		if rest, ok = number(strings.TrimLeft(rest, " \t\u00a0")); !ok {
			return false
		}
	}
	rest = strings.TrimLeft(rest, " \t\u00a0")
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return strings.ContainsRune(":.-–—", r)
}

// leadingWord splits s into its leading run of letters and the rest.
func leadingWord(s string) (word, rest string) {
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

var roman = regexp.MustCompile(`^m{0,4}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$`)

var numberWords = map[string]bool{
	"one": true, "two": true, "three": true, "four": true, "five": true, "six": true,
	"seven": true, "eight": true, "nine": true, "ten": true, "eleven": true, "twelve": true,
	"thirteen": true, "fourteen": true, "fifteen": true, "sixteen": true, "seventeen": true,
	"eighteen": true, "nineteen": true, "twenty": true, "thirty": true, "forty": true,
	"fifty": true, "sixty": true, "seventy": true, "eighty": true, "ninety": true,
	"hundred": true, "thousand": true,
}

// number consumes a number at the start of s (lower case): 1 to 4 digits, a
// Roman numeral, or number words ("twenty-one", "one hundred and two"). It
// returns the rest of s.
func number(s string) (rest string, ok bool) {
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i < 0 {
		i = len(s)
	}
	if i > 0 {
		return s[i:], i <= 4
	}
	w, after := leadingWord(s)
	if w == "" {
		return s, false
	}
	if roman.MatchString(w) {
		return after, true
	}
	if !numberWords[w] {
		return s, false
	}
	rest = after
	for {
		// A further number word after a space or hyphen ("twenty-one",
		// "one hundred and two") belongs to the number.
		sep := strings.TrimLeft(rest, " -")
		if sep == rest {
			return rest, true
		}
		w, after := leadingWord(sep)
		if w == "and" {
			w2, after2 := leadingWord(strings.TrimLeft(after, " "))
			if !numberWords[w2] {
				return rest, true
			}
			w, after = w2, after2
		}
		if !numberWords[w] {
			return rest, true
		}
		rest = after
	}
}
