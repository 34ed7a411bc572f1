package script

import (
	"slices"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		width int
		want  []string
	}{
		{"fits", "Rain hammers the glass.", 30, []string{"Rain hammers the glass."}},
		{"between words", "Rain hammers the glass.", 12, []string{"Rain hammers", "the glass."}},
		{"a space at the width", "abc def", 3, []string{"abc", "def"}},
		{"line breaks and blank lines", "One.\n\nTwo.", 10, []string{"One.", "", "Two."}},
		{"indentation kept", "    Indented line", 40, []string{"    Indented line"}},
		{"a long word is cut", "Supercalifragilistic", 8, []string{"Supercal", "ifragili", "stic"}},
		{"trailing spaces dropped", "end   \nnext", 10, []string{"end", "next"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, l := range wrap(plain(tc.in, 0), tc.width) {
				got = append(got, l.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
			}
		})
	}
}

func TestSentenceBreaks(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string // the sentences
	}{
		{"One. Two? Three! Four…", []string{"One.", "Two?", "Three!", "Four…"}},
		{"Ask Mr. Quell. Or Dr. Marsh.", []string{"Ask Mr. Quell.", "Or Dr. Marsh."}},
		{"J. R. Marsh wrote it. I know.", []string{"J. R. Marsh wrote it.", "I know."}},
		{"It was I. Then you.", []string{"It was I.", "Then you."}},
		{`"Stop." She went.`, []string{`"Stop."`, "She went."}},
		{"(Beat.) Go on.", []string{"(Beat.)", "Go on."}},
		{"First line\nsecond line", []string{"First line", "second line"}},
		{"No break...here", []string{"No break...here"}},
		{"3.50 each. Fine.", []string{"3.50 each.", "Fine."}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			in := plain(tc.in, 0)
			var got []string
			start := 0
			for _, at := range append(sentenceBreaks(in), len(in)) {
				got = append(got, strings.TrimSpace(in[start:at].String()))
				start = at
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("sentences of %q = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
