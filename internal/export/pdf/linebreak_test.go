package pdf

import (
	"math"
	"strings"
	"testing"
	"unicode"

	"github.com/go-pdf/fpdf"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/export/pdf/hyphen"
)

// newTestSetter returns a setter measuring with the embedded fonts.
func newTestSetter(t testing.TB, hyphenate bool) *setter {
	t.Helper()
	tf, err := newTypeface(fpdf.New("P", "pt", "A4", ""))
	if err != nil {
		t.Fatal(err)
	}
	var hy *hyphen.Hyphenator
	if hyphenate {
		hy = hyphen.English()
	}
	return newSetter(tf, hy)
}

// paragraphs returns every paragraph of the fixtures' chapters as segments.
func paragraphs(t testing.TB) [][]segment {
	t.Helper()
	var out [][]segment
	for _, b := range []*export.Book{exporttest.Synthetic(6000, 2), exporttest.Novel()} {
		for _, ch := range b.Chapters {
			for _, blk := range ch.Doc {
				if segs := segments(blk); !isBlank(segs) {
					out = append(out, segs)
				}
			}
		}
	}
	return out
}

// lettersOf returns the letters and digits of s, the text a reader sees
// whatever the spacing and hyphens.
func lettersOf(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

func TestJustifiedLinesFillTheMeasure(t *testing.T) {
	s := newTestSetter(t, true)
	paras := paragraphs(t)
	for _, measure := range []float64{200, 288, 351} {
		hyphenated, lines := 0, 0
		for _, segs := range paras {
			ls := s.paragraph(segs, paraStyle{size: 11, indent: 11, hyphenate: true}, measure)
			for i, ln := range ls {
				lines++
				if ln.hyphenated {
					hyphenated++
				}
				if ln.width > measure+0.01 {
					t.Errorf("measure %g: overfull line %.2f pt: %q", measure, ln.width, ln.text())
				}
				if i < len(ls)-1 && math.Abs(ln.width-measure) > 0.01 {
					t.Errorf("measure %g: justified line is %.2f pt, want the measure: %q", measure, ln.width, ln.text())
				}
				if ln.ratio < -1 {
					t.Errorf("measure %g: spaces shrunk past their limit (ratio %.2f): %q", measure, ln.ratio, ln.text())
				}
			}
			// Nothing is lost or reordered: the lines read as the paragraph.
			var got strings.Builder
			for _, ln := range ls {
				got.WriteString(ln.text())
			}
			if g, w := lettersOf(got.String()), lettersOf(plain(segs)); g != w {
				t.Fatalf("measure %g: lines read %q, want %q", measure, g, w)
			}
		}
		t.Logf("measure %g pt: %d lines, %d hyphenated", measure, lines, hyphenated)
		if hyphenated == 0 {
			t.Errorf("measure %g: no line was hyphenated", measure)
		}
	}
}

func TestLongWordNeverOverfull(t *testing.T) {
	s := newTestSetter(t, true)
	url := "https://example.com/" + strings.Repeat("abcdefghij", 12)
	segs := []segment{{text: "See " + url + " for the whole map, said the captain."}}
	for _, al := range []align{alignJustify, alignLeft} {
		ls := s.paragraph(segs, paraStyle{size: 11, align: al, hyphenate: true}, 150)
		if len(ls) < 5 {
			t.Errorf("align %d: %d lines, want the URL broken over several", al, len(ls))
		}
		for _, ln := range ls {
			if ln.width > 150.01 {
				t.Errorf("align %d: overfull line %.2f pt: %q", al, ln.width, ln.text())
			}
		}
	}
}

func TestRaggedRightKeepsNaturalSpaces(t *testing.T) {
	s := newTestSetter(t, true)
	segs := paragraphs(t)[0]
	ls := s.paragraph(segs, paraStyle{size: 11, align: alignLeft, hyphenate: true}, 288)
	space := s.tf.width(span{size: 11}, " ")
	short := 0
	for _, ln := range ls {
		if ln.width > 288.01 {
			t.Errorf("overfull ragged line %.2f pt: %q", ln.width, ln.text())
		}
		if ln.width < 288-space {
			short++
		}
		for j := 1; j < len(ln.pieces); j++ {
			gap := ln.pieces[j].x - (ln.pieces[j-1].x + ln.pieces[j-1].w)
			if gap > 0.01 && math.Abs(gap-space) > 0.01 {
				t.Errorf("ragged space is %.3f pt, want the natural %.3f: %q", gap, space, ln.text())
			}
		}
	}
	if short < len(ls)/2 {
		t.Errorf("%d of %d ragged lines are short of the measure; want most", short, len(ls))
	}
}

func TestCentredAndRightAligned(t *testing.T) {
	s := newTestSetter(t, false)
	segs := []segment{{text: "The Salt Road"}}
	c := s.paragraph(segs, paraStyle{size: 11, align: alignCenter}, 300)
	r := s.paragraph(segs, paraStyle{size: 11, align: alignRight}, 300)
	if len(c) != 1 || len(r) != 1 {
		t.Fatalf("got %d and %d lines, want 1", len(c), len(r))
	}
	if got := c[0].x*2 + c[0].width; math.Abs(got-300) > 0.01 {
		t.Errorf("centred line: x %.2f width %.2f is not centred in 300", c[0].x, c[0].width)
	}
	if got := r[0].x + r[0].width; math.Abs(got-300) > 0.01 {
		t.Errorf("right-aligned line ends at %.2f, want 300", got)
	}
}

func TestMixedFontsInALine(t *testing.T) {
	s := newTestSetter(t, false)
	segs := []segment{
		{text: "It was "}, {text: "not", look: look{italic: true}},
		{text: " the "}, {text: "first", look: look{bold: true}},
		{text: " storm at the "}, {text: "Café", look: look{bold: true}},
		{text: " or the "}, {text: "last", look: look{bold: true, italic: true}}, {text: "."},
	}
	ls := s.paragraph(segs, paraStyle{size: 11}, 400)
	if len(ls) != 1 {
		t.Fatalf("got %d lines, want 1", len(ls))
	}
	want := []struct {
		text string
		face face
		faux bool
	}{
		{"It", regular, false}, {"was", regular, false}, {"not", italic, false}, {"the", regular, false},
		{"first", bold, false}, {"storm", regular, false}, {"at", regular, false}, {"the", regular, false},
		// EB Garamond's bold has no é: it comes from the regular, stroked.
		{"Caf", bold, false}, {"é", regular, true}, {"or", regular, false}, {"the", regular, false},
		// No bold italic: the italic, stroked.
		{"last", italic, true}, {".", regular, false},
	}
	got := ls[0].pieces
	if len(got) != len(want) {
		t.Fatalf("pieces %q, want %d", ls[0].text(), len(want))
	}
	for i, w := range want {
		if got[i].text != w.text || got[i].sp.face != w.face || got[i].sp.faux != w.faux {
			t.Errorf("piece %d = %q face %d faux %t, want %q face %d faux %t", i, got[i].text, got[i].sp.face, got[i].sp.faux, w.text, w.face, w.faux)
		}
		if i > 0 && got[i].x < got[i-1].x+got[i-1].w-0.001 {
			t.Errorf("piece %q at %.2f overlaps the one before", got[i].text, got[i].x)
		}
	}
}

func TestHyphenatedLinesEndWithAHyphen(t *testing.T) {
	s := newTestSetter(t, true)
	segs := []segment{{text: strings.Repeat("Remembered concatenation typesetting hyphenation information beautiful. ", 6)}}
	ls := s.paragraph(segs, paraStyle{size: 11, hyphenate: true}, 160)
	n := 0
	for _, ln := range ls {
		if ln.hyphenated {
			n++
			if !strings.HasSuffix(ln.text(), "-") {
				t.Errorf("hyphenated line does not end with a hyphen: %q", ln.text())
			}
		}
	}
	if n == 0 {
		t.Error("no line was hyphenated in a narrow measure of long words")
	}
	s = newTestSetter(t, false)
	for _, ln := range s.paragraph(segs, paraStyle{size: 11}, 160) {
		if ln.hyphenated {
			t.Errorf("hyphenated without a hyphenator: %q", ln.text())
		}
	}
}

func TestBreakPoints(t *testing.T) {
	s := newTestSetter(t, true)
	tests := []struct {
		word string
		shy  []int
		want string
	}{
		{"harbour’s", nil, "har-bour’s"},
		{"“Remembered,”", nil, "“re-mem-bered,”"},
		{"forty-one", nil, "forty-|one"},
		{"well—almost", nil, "well—|almost"},
		{"NATO", nil, "nato"},
		{"causeway", []int{5}, "cause-way"},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			pts := s.breakPoints(tt.word, tt.shy, true)
			var b strings.Builder
			last := 0
			for _, p := range pts {
				b.WriteString(tt.word[last:p.at])
				if p.kind == hyphenPoint {
					b.WriteString("-")
				} else {
					b.WriteString("|")
				}
				last = p.at
			}
			b.WriteString(tt.word[last:])
			if got := strings.ToLower(b.String()); got != strings.ToLower(tt.want) {
				t.Errorf("breakPoints(%q) gives %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

func TestForcedLineBreakAndIndent(t *testing.T) {
	s := newTestSetter(t, true)
	ls := s.paragraph([]segment{{text: "Roses are red, \nviolets are blue.\n\n"}}, paraStyle{size: 11, indent: 11}, 300)
	if len(ls) != 2 || ls[0].text() != "Roses are red," || ls[1].text() != "violets are blue." {
		t.Fatalf("lines %q, want the two lines of the verse", []string{ls[0].text(), ls[len(ls)-1].text()})
	}
	if ls[0].pieces[0].x != 11 || ls[1].pieces[0].x != 0 {
		t.Errorf("first piece x = %.2f and %.2f, want the indent on the first line only", ls[0].pieces[0].x, ls[1].pieces[0].x)
	}
}

func TestTypographic(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"Eleven," she said.`, "“Eleven,” she said."},
		{`It's the '90s -- 'or so' --- he said.`, "It’s the ’90s – ‘or so’ — he said."},
		{`("quoted")`, "(“quoted”)"},
	}
	for _, tt := range tests {
		if got := typographic([]segment{{text: tt.in}})[0].text; got != tt.want {
			t.Errorf("typographic(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Quotes decide open or close across segments.
	got := typographic([]segment{{text: `She said "`}, {text: "no", look: look{italic: true}}, {text: `".`}})
	if got[0].text != "She said “" || got[2].text != "”." {
		t.Errorf("across segments: %q %q, want an opening then a closing quote", got[0].text, got[2].text)
	}
}

func TestUnknownCharactersAreReplacedNotDropped(t *testing.T) {
	s := newTestSetter(t, false)
	ls := s.paragraph([]segment{{text: "A lamp 🪔 lit, ⅏ and 🪔."}}, paraStyle{size: 11}, 300)
	if got := ls[0].text(); got != "A lamp ? lit, ? and ?." {
		t.Errorf("got %q, want what the fonts lack replaced by ?", got)
	}
}
