package document

import "testing"

func TestPlainText(t *testing.T) {
	link := Inline{Link: &Link{URL: "https://x.org", Children: []Leaf{{Text: "the "}, {Text: "almanac", Italic: true}}}}
	tests := []struct {
		name string
		doc  Doc
		want string
	}{
		{"empty", Doc{}, ""},
		{"paragraphs and marks", Doc{
			p(Text("It was "), Inline{Leaf: Leaf{Text: "not", Italic: true}}, Text(" the first storm.")),
			p(Text("Said "), link, Text(".")),
		}, "It was not the first storm.\n\nSaid the almanac."},
		{"line breaks stay", Doc{p(Text("one\ntwo"))}, "one\ntwo"},
		{"scene break, image, page break, empty paragraph", Doc{
			p(Text("Before.")),
			{Type: SceneBreak, Children: []Inline{{}}},
			{Type: Image, FileID: testUUID, Alt: "A gull", Children: []Inline{{}}},
			{Type: Image, FileID: testUUID, Children: []Inline{{}}},
			{Type: PageBreak, Children: []Inline{{}}},
			p(Text("")),
			p(Text("After.")),
		}, "Before.\n\n* * *\n\nA gull\n\nAfter."},
		{"screenplay", Doc{
			{Type: SceneHeading, SceneNumber: "1", Children: []Inline{Text("INT. LIGHTHOUSE - NIGHT")}},
			blk(Action, "Rain."),
			blk(Character, "MARA"),
			blk(Parenthetical, "(quietly)"),
			blk(Dialogue, "Hello?"),
			blk(Transition, "CUT TO:"),
		}, "INT. LIGHTHOUSE - NIGHT\n\nRain.\n\nMARA\n\n(quietly)\n\nHello?\n\nCUT TO:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.doc.PlainText(); got != tt.want {
				t.Errorf("PlainText() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWordCount(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int
	}{
		{"empty", "", 0},
		{"simple", "The lamp must never go dark.", 6},
		{"contractions", "Don't, won't, can't — she'd rather not. It’s Tobias’s ledger.", 9},
		{"hyphens", "A well-known, twenty-one-year-old keeper.", 4},
		{"dashes split", "stop—go – wait - now", 4},
		{"numbers", "In 1911 she paid $3.50 for 1,000 pages; 42!", 9},
		{"sentence end is not a decimal", "end.Start", 2},
		{"punctuation only", "... — !? * * * ---", 0},
		{"emoji and symbols", "🌊 ⚓ & % #", 0},
		{"CJK", "灯台守の日記", 6},
		{"CJK mixed with Latin", "Mara は灯台 keeper", 5},
		{"Korean by spaces", "등대 지기", 2},
		{"accents and combining marks", "café naïve cafe\u0301", 3},
		{"leading and trailing apostrophes", "'tis the keepers' lamp", 4},
		{"tabs and newlines", "one\ttwo\nthree", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Doc{p(Text(tt.text))}
			if got := d.WordCount(); got != tt.want {
				t.Errorf("WordCount(%q) = %d, want %d", tt.text, got, tt.want)
			}
		})
	}
}

func TestWordCountDocuments(t *testing.T) {
	tests := []struct {
		name string
		doc  Doc
		want int
	}{
		{"word split across leaves counts once", Doc{p(Text("ligh"), Inline{Leaf: Leaf{Text: "thouse", Bold: true}}, Text(" keeper"))}, 2},
		{"blocks separate words", Doc{p(Text("end")), p(Text("start"))}, 2},
		{"scene break counts nothing", Doc{p(Text("one")), {Type: SceneBreak, Children: []Inline{{}}}, p(Text("two"))}, 2},
		{"image alt counts", Doc{{Type: Image, FileID: testUUID, Alt: "a grey door", Children: []Inline{{}}}}, 3},
		{"link text counts", Doc{p(Text("see "), Inline{Link: &Link{URL: "https://x.org", Children: []Leaf{{Text: "the guide"}}}})}, 3},
		{"screenplay", Doc{
			blk(SceneHeading, "INT. LIGHTHOUSE - NIGHT"),
			blk(Character, "MARA (V.O.)"),
			blk(Parenthetical, "(beat)"),
			blk(Dialogue, "Who's there?"),
		}, 9}, // INT LIGHTHOUSE NIGHT / MARA V O / beat / Who's there
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.doc.WordCount(); got != tt.want {
				t.Errorf("WordCount() = %d, want %d", got, tt.want)
			}
			// WordCount counts the words of PlainText.
			if got := (Doc{p(Text(tt.doc.PlainText()))}).WordCount(); got != tt.want {
				t.Errorf("words of PlainText() = %d, want %d", got, tt.want)
			}
		})
	}
}
