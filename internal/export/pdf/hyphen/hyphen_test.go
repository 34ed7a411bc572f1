package hyphen

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEnglish(t *testing.T) {
	h := English()
	tests := []struct{ word, want string }{
		// Liang's patterns alone give hy-phen-ation; the TUGboat exception
		// log, like Merriam-Webster, adds hy-phen-a-tion.
		{"hyphenation", "hy-phen-a-tion"},
		{"Hyphenation", "Hy-phen-a-tion"},
		{"computer", "com-puter"},
		{"algorithm", "al-go-rithm"},
		{"concatenation", "con-cate-na-tion"},
		{"typesetting", "type-set-ting"},
		{"remembered", "re-mem-bered"},
		{"everything", "ev-ery-thing"},
		{"manuscript", "man-u-script"},
		{"beautiful", "beau-ti-ful"},
		{"information", "in-for-ma-tion"},
		{"supercalifragilisticexpialidocious", "su-per-cal-ifrag-ilis-tic-ex-pi-ali-do-cious"},
		// Knuth's own exceptions in hyphen.tex.
		{"table", "ta-ble"},
		{"associate", "as-so-ciate"},
		{"project", "project"},
		{"present", "present"},
		// From the TUGboat exception log.
		{"academy", "acad-emy"}, // acad-e-my, less the break RightMin 3 forbids
		// Too short, or not only letters: never broken.
		{"the", "the"},
		{"tide", "tide"},
		{"don't", "don't"},
		{"forty-one", "forty-one"},
		{"", ""},
		// Letters outside a–z match no pattern but keep their place.
		{"Élise", "Élise"},
		{"résumés", "ré-sumés"},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got := strings.Join(h.Hyphenate(tt.word), "-"); got != tt.want {
				t.Errorf("Hyphenate(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

func TestPatternsOnly(t *testing.T) {
	h, err := New(patternsUS)
	if err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]string{
		"hyphenation": "hy-phen-ation", // Liang's thesis example
		"academy":     "academy",       // the exception log adds acad-e-my
		"table":       "ta-ble",        // hyphen.tex's own \hyphenation list
	} {
		if got := strings.Join(h.Hyphenate(word), "-"); got != want {
			t.Errorf("Hyphenate(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestLimits(t *testing.T) {
	h := English()
	h.LeftMin, h.RightMin = 3, 3
	if got := strings.Join(h.Hyphenate("hyphenation"), "-"); got != "hyphen-a-tion" {
		t.Errorf("with LeftMin 3: got %q, want %q", got, "hyphen-a-tion")
	}
	h.LeftMin, h.RightMin = 2, 5
	if got := strings.Join(h.Hyphenate("typesetting"), "-"); got != "type-setting" {
		t.Errorf("with RightMin 5: got %q, want %q", got, "type-setting")
	}
}

func TestPointsAreByteOffsets(t *testing.T) {
	h := English()
	w := "ÉLÉPHANTINE" // multi-byte letters before the points
	for _, p := range h.Points(w) {
		if p <= 0 || p >= len(w) || !utf8.RuneStart(w[p]) {
			t.Fatalf("Points(%q) = %v: %d is not a rune boundary inside the word", w, h.Points(w), p)
		}
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	for name, src := range map[string]string{
		"character":  `\patterns{ a1b! }`,
		"unclosed":   `\patterns{ a1b`,
		"stray text": `hello`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := New(src); err == nil {
				t.Errorf("New(%q) succeeded, want an error", src)
			}
		})
	}
}

func TestPatternCount(t *testing.T) {
	h := English()
	ends := 0
	for _, n := range h.trie {
		if n.values != nil {
			ends++
		}
	}
	if ends != 4447 {
		t.Errorf("loaded %d patterns, want hyphen.tex's 4447", ends)
	}
	if len(h.exceptions) < 1400 {
		t.Errorf("loaded %d exceptions, want hyphen.tex's 14 and the TUGboat log's", len(h.exceptions))
	}
}

func BenchmarkPoints(b *testing.B) {
	h := English()
	words := strings.Fields("the harbour causeway remembered hyphenation glistening extraordinary patiently")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		h.Points(words[i%len(words)])
	}
}
