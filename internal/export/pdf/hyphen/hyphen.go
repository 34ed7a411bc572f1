// Package hyphen finds where words may be hyphenated, with Frank Liang's
// algorithm (the one TeX uses) and TeX's US English patterns.
//
// The patterns are Knuth's hyphen.tex (4,447 patterns and 14 exceptions), as
// Debian's groff-base ships it in /usr/share/groff/1.22.4/tmac/hyphen.us,
// unmodified ("Unlimited copying and redistribution of this file are
// permitted as long as this file is not modified"), and the TUGboat
// hyphenation exception log from the same package's hyphenex.us ("You may
// freely use, modify and/or distribute this file"). Debian's hyphen-en-us
// (hyph_en_US.dic) holds the same patterns but is licensed GPL-2+, LGPL-2.1+
// or MPL-1.1+, which a permissive codebase should not vendor.
package hyphen

import (
	_ "embed" // the pattern files below
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	//go:embed hyphen.us
	patternsUS string
	//go:embed hyphenex.us
	exceptionsUS string
)

// Hyphenator finds hyphenation points with one language's patterns. It is
// immutable after construction and safe for concurrent use.
type Hyphenator struct {
	// LeftMin and RightMin are the fewest letters left before and after a
	// hyphen (TeX's \lefthyphenmin and \righthyphenmin).
	LeftMin, RightMin int

	trie       []node
	exceptions map[string][]int // lower-case word → letter positions
}

// node is a trie node over the pattern alphabet: '.', 'a'–'z'.
type node struct {
	next   [alphabet]int32 // child index, 0 for none (the root is never a child)
	values []uint8         // the pattern's inter-letter values, when a pattern ends here
}

const alphabet = 27

func slot(c byte) int {
	switch {
	case c == '.':
		return 0
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 1
	}
	return -1
}

// English returns a hyphenator for US English with TeX's limits (at least two
// letters before a hyphen and three after). It parses the embedded patterns,
// which takes about a millisecond; keep the result for a whole document.
func English() *Hyphenator {
	h, err := New(patternsUS, exceptionsUS)
	if err != nil {
		// The embedded files are fixed at build time and a test parses them.
		panic(fmt.Sprintf("hyphen: embedded US English patterns: %v", err))
	}
	return h
}

// New builds a hyphenator from TeX pattern files: every \patterns{…} and
// \hyphenation{…} group in the sources is read, and % comments are ignored.
func New(sources ...string) (*Hyphenator, error) {
	h := &Hyphenator{LeftMin: 2, RightMin: 3, trie: make([]node, 1, 12000), exceptions: map[string][]int{}}
	for _, src := range sources {
		if err := h.parse(src); err != nil {
			return nil, err
		}
	}
	return h, nil
}

func (h *Hyphenator) parse(src string) error {
	var group string // "patterns", "hyphenation" or "" outside a group
	for ln, line := range strings.Split(src, "\n") {
		if i := strings.IndexByte(line, '%'); i >= 0 {
			line = line[:i]
		}
		for _, tok := range strings.Fields(line) {
			switch {
			case group == "" && (tok == `\patterns{` || tok == `\hyphenation{`):
				group = tok[1 : len(tok)-1]
			case group != "" && tok == "}":
				group = ""
			case group == "patterns":
				if err := h.addPattern(tok); err != nil {
					return fmt.Errorf("line %d: %w", ln+1, err)
				}
			case group == "hyphenation":
				h.addException(tok)
			default:
				return fmt.Errorf("line %d: unexpected %q outside a group", ln+1, tok)
			}
		}
	}
	if group != "" {
		return fmt.Errorf("unclosed \\%s group", group)
	}
	return nil
}

// addPattern adds a pattern such as ".ach4" or "4z1z2": letters with the
// value of each gap between them (a missing digit is 0).
func (h *Hyphenator) addPattern(p string) error {
	values := make([]uint8, 1, len(p)+1)
	cur := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c >= '0' && c <= '9' {
			values[len(values)-1] = c - '0'
			continue
		}
		s := slot(c)
		if s < 0 {
			return fmt.Errorf("pattern %q: character %q is not a–z or '.'", p, c)
		}
		nxt := h.trie[cur].next[s]
		if nxt == 0 {
			h.trie = append(h.trie, node{})
			nxt = int32(len(h.trie) - 1)
			h.trie[cur].next[s] = nxt
		}
		cur = int(nxt)
		values = append(values, 0)
	}
	h.trie[cur].values = values
	return nil
}

// addException records a word hyphenated by hand, such as "ta-ble".
func (h *Hyphenator) addException(w string) {
	var b strings.Builder
	var points []int
	n := 0
	for _, r := range w {
		if r == '-' {
			points = append(points, n)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
		n++
	}
	h.exceptions[b.String()] = points
}

// Points returns the byte offsets in word before which a hyphen may be
// inserted, in increasing order. The word must be letters only (any case);
// for anything else, or a word too short to break, Points returns nil.
func (h *Hyphenator) Points(word string) []int {
	n := utf8.RuneCountInString(word)
	if n < h.LeftMin+h.RightMin {
		return nil
	}
	// The word in lower case between the boundary dots, as pattern slots; a
	// letter outside a–z matches no pattern (slot -1).
	lower := make([]byte, 0, n)
	offsets := make([]int, 0, n) // byte offset of each letter in word
	for i, r := range word {
		if !unicode.IsLetter(r) {
			return nil
		}
		r = unicode.ToLower(r)
		if r >= utf8.RuneSelf {
			r = 0
		}
		lower = append(lower, byte(r))
		offsets = append(offsets, i)
	}
	if pts, ok := h.exceptions[string(lower)]; ok {
		var out []int
		for _, p := range pts {
			if p >= h.LeftMin && p <= n-h.RightMin {
				out = append(out, offsets[p])
			}
		}
		return out
	}

	// values[i] is the highest value of the gap before letter i of ".word.",
	// which is letter i-1 of the word.
	padded := make([]byte, 0, n+2)
	padded = append(padded, '.')
	padded = append(padded, lower...)
	padded = append(padded, '.')
	values := make([]uint8, len(padded)+1)
	for start := range padded {
		cur := 0
		for i := start; i < len(padded); i++ {
			s := slot(padded[i])
			if s < 0 {
				break
			}
			nxt := h.trie[cur].next[s]
			if nxt == 0 {
				break
			}
			cur = int(nxt)
			for k, v := range h.trie[cur].values {
				if v > values[start+k] {
					values[start+k] = v
				}
			}
		}
	}
	var out []int
	// An odd value in the gap before padded letter i+1 (word letter i) allows
	// a hyphen before word letter i.
	for i := h.LeftMin; i <= n-h.RightMin; i++ {
		if values[i+1]%2 == 1 {
			out = append(out, offsets[i])
		}
	}
	return out
}

// Hyphenate splits word at its hyphenation points: "hyphenation" gives
// ["hy", "phen", "ation"]. A word without points comes back whole.
func (h *Hyphenator) Hyphenate(word string) []string {
	pts := h.Points(word)
	parts := make([]string, 0, len(pts)+1)
	last := 0
	for _, p := range pts {
		parts = append(parts, word[last:p])
		last = p
	}
	return append(parts, word[last:])
}
