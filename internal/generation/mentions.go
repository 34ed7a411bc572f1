package generation

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// matcher finds the entities of a story bible named in a text: by name or alias,
// whole words only, whatever the case, and in the plural or possessive ("the
// Wardens", "Mara's").
type matcher struct {
	terms []matchTerm
	ids   []string // entity ids in the order they were added
	// byWord indexes the terms by their first word; odd lists those that do not
	// start with a letter or digit and are searched for the slow way.
	byWord map[string][]int
	odd    []int
}

type matchTerm struct {
	text string // lower case
	id   int    // index in ids
}

func newMatcher() *matcher { return &matcher{byWord: map[string][]int{}} }

// add registers the names under which entity id may be mentioned. Names shorter
// than two letters would match everywhere and are ignored.
func (m *matcher) add(id string, names ...string) {
	idx := -1
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if utf8.RuneCountInString(n) < 2 {
			continue
		}
		if idx < 0 {
			idx = len(m.ids)
			m.ids = append(m.ids, id)
		}
		t := len(m.terms)
		m.terms = append(m.terms, matchTerm{text: n, id: idx})
		if w := firstWord(n); w != "" {
			m.byWord[w] = append(m.byWord[w], t)
		} else {
			m.odd = append(m.odd, t)
		}
	}
}

// find returns the ids of the entities text mentions, each once, in the order
// they were added.
func (m *matcher) find(text string) []string {
	if text == "" || len(m.terms) == 0 {
		return nil
	}
	lower := strings.ToLower(text)
	found := make([]bool, len(m.ids))
	check := func(start int, terms []int) {
		for _, t := range terms {
			term := m.terms[t]
			if !found[term.id] && strings.HasPrefix(lower[start:], term.text) && boundaryAfter(lower, start+len(term.text)) {
				found[term.id] = true
			}
		}
	}
	// Every word of the text may start a name: look its terms up by the word,
	// and by the word without a plural ending for one-word names.
	for i := 0; i < len(lower); {
		r, size := utf8.DecodeRuneInString(lower[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		for i < len(lower) {
			r, size = utf8.DecodeRuneInString(lower[i:])
			if !isWordRune(r) {
				break
			}
			i += size
		}
		w := lower[start:i]
		check(start, m.byWord[w])
		for _, suffix := range []string{"es", "s"} {
			if stem, ok := strings.CutSuffix(w, suffix); ok && stem != "" {
				check(start, m.byWord[stem])
			}
		}
	}
	for _, t := range m.odd {
		if term := m.terms[t]; !found[term.id] && containsWord(lower, term.text) {
			found[term.id] = true
		}
	}
	var out []string
	for i, ok := range found {
		if ok {
			out = append(out, m.ids[i])
		}
	}
	return out
}

// firstWord returns the letters and digits s starts with.
func firstWord(s string) string {
	for i, r := range s {
		if !isWordRune(r) {
			return s[:i]
		}
	}
	return s
}

// containsWord reports whether word occurs in s with a word boundary before it
// and, after it, a boundary or a plural or possessive ending.
func containsWord(s, word string) bool {
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], word)
		if i < 0 {
			return false
		}
		start := from + i
		end := start + len(word)
		if boundaryBefore(s, start) && boundaryAfter(s, end) {
			return true
		}
		from = start + 1
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !isWordRune(r)
}

func boundaryAfter(s string, i int) bool {
	rest := s[i:]
	for _, suffix := range []string{"es", "s", "'s", "’s", "'", "’"} {
		if strings.HasPrefix(rest, suffix) {
			if atBoundary(rest[len(suffix):]) {
				return true
			}
		}
	}
	return atBoundary(rest)
}

func atBoundary(rest string) bool {
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return !isWordRune(r)
}
