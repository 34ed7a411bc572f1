package document

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMarkdownGolden converts each testdata/markdown/NAME.md to a document
// (golden NAME.json), writes it back as Markdown (golden NAME.out.md, the
// normalised form), and checks that the normalised form reads back to the
// same document.
func TestMarkdownGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "markdown", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".out.md") {
			continue
		}
		n++
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			d, err := FromMarkdown(string(src))
			if err != nil {
				t.Fatalf("FromMarkdown: %v", err)
			}
			golden(t, filepath.Join("markdown", name+".json"), []byte(docJSON(t, d)))
			out := d.Markdown()
			golden(t, filepath.Join("markdown", name+".out.md"), []byte(out))
			back, err := FromMarkdown(out)
			if err != nil {
				t.Fatalf("FromMarkdown(Markdown()): %v", err)
			}
			if want := mdCarried(d); !sameDoc(back, want) {
				t.Errorf("Markdown round trip differs\nmarkdown:\n%s\ngot:\n%s\nwant:\n%s", out, docJSON(t, back), docJSON(t, want))
			}
			if again := back.Markdown(); again != out {
				t.Errorf("Markdown is not stable:\nfirst:\n%s\nsecond:\n%s", out, again)
			}
		})
	}
	if n == 0 {
		t.Fatal("no golden Markdown files")
	}
}

// TestMarkdownRoundTripRandom checks FromMarkdown(d.Markdown()) against what
// Markdown carries of d, for random prose documents full of syntax characters.
func TestMarkdownRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewSource(20260120))
	for i := 0; i < 300; i++ {
		d := randProseDoc(r)
		if err := d.Validate(); err != nil {
			t.Fatalf("generator made an invalid document: %v\n%s", err, docJSON(t, d))
		}
		md := d.Markdown()
		got, err := FromMarkdown(md)
		if err != nil {
			t.Fatalf("doc %d: FromMarkdown: %v", i, err)
		}
		if want := mdCarried(d); !sameDoc(got, want) {
			t.Fatalf("doc %d: round trip differs\nmarkdown:\n%q\n%s", i, md, docDiff(got, want))
		}
	}
}

func TestMarkdownExamples(t *testing.T) {
	id := "0B7C9D3E-6F1A-4C2B-9E8D-1A2B3C4D5E6F"
	tests := []struct {
		name string
		md   string
		want Doc
	}{
		{"empty", "", Doc{}},
		{"paragraph with soft and hard breaks", "one\ntwo\\\nthree  \nfour", Doc{p(Text("one two\nthree\nfour"))}},
		{"headings", "# A\n\n## B\n\n#### D", Doc{blk(Heading1, "A"), blk(Heading2, "B"), blk(Heading3, "D")}},
		{"setext heading", "Title\n=====", Doc{blk(Heading1, "Title")}},
		{"quote with two paragraphs", "> a\n>\n> b", Doc{blk(Blockquote, "a"), blk(Blockquote, "b")}},
		{"thematic break", "a\n\n---\n\nb", Doc{p(Text("a")), {Type: SceneBreak, Children: []Inline{{}}}, p(Text("b"))}},
		{"unsafe link becomes text", "[click](javascript:alert(1)) [rel](/x) [ok](https://x.org)", Doc{p(
			Text("click rel "), Inline{Link: &Link{URL: "https://x.org", Children: []Leaf{{Text: "ok"}}}},
		)}},
		{"autolinks", "<https://x.org> <a@b.org>", Doc{p(
			Inline{Link: &Link{URL: "https://x.org", Children: []Leaf{{Text: "https://x.org"}}}},
			Text(" "),
			Inline{Link: &Link{URL: "mailto:a@b.org", Children: []Leaf{{Text: "a@b.org"}}}},
		)}},
		{"stored image", "![A cat](authorworks-file:" + id + " \"Fig. 1\")", Doc{{Type: Image, FileID: strings.ToLower(id), Alt: "A cat", Caption: "Fig. 1", Children: []Inline{{}}}}},
		{"image splits paragraph", "before ![x](authorworks-file:" + id + ") after", Doc{
			p(Text("before ")), {Type: Image, FileID: strings.ToLower(id), Alt: "x", Children: []Inline{{}}}, p(Text(" after")),
		}},
		{"other image becomes alt text", "see ![a *cat*](https://x.org/cat.png)", Doc{p(Text("see a cat"))}},
		{"raw html is text", "<script>alert(1)</script>\n\nhi <b>there</b>", Doc{
			p(Text("<script>alert(1)</script>")), p(Text("hi <b>there</b>")),
		}},
		{"nested lists", "- a\n  - b\n    1. c\n- d", Doc{
			{Type: Paragraph, Indent: 1, ListStyleType: ListDisc, Children: []Inline{Text("a")}},
			{Type: Paragraph, Indent: 2, ListStyleType: ListDisc, Children: []Inline{Text("b")}},
			{Type: Paragraph, Indent: 3, ListStyleType: ListDecimal, ListStart: 1, Children: []Inline{Text("c")}},
			{Type: Paragraph, Indent: 1, ListStyleType: ListDisc, Children: []Inline{Text("d")}},
		}},
		{"ordered list start", "3. a\n4. b", Doc{
			{Type: Paragraph, Indent: 1, ListStyleType: ListDecimal, ListStart: 3, Children: []Inline{Text("a")}},
			{Type: Paragraph, Indent: 1, ListStyleType: ListDecimal, ListStart: 4, Children: []Inline{Text("b")}},
		}},
		{"marks", "**b** *i* _i_ ~~s~~ `c` ***bi***", Doc{p(
			Inline{Leaf: Leaf{Text: "b", Bold: true}}, Text(" "),
			Inline{Leaf: Leaf{Text: "i", Italic: true}}, Text(" "),
			Inline{Leaf: Leaf{Text: "i", Italic: true}}, Text(" "),
			Inline{Leaf: Leaf{Text: "s", Strikethrough: true}}, Text(" "),
			Inline{Leaf: Leaf{Text: "c", Code: true}}, Text(" "),
			Inline{Leaf: Leaf{Text: "bi", Bold: true, Italic: true}},
		)}},
		{"code block", "```go\nx := 1\n\ny := 2\n```", Doc{p(Inline{Leaf: Leaf{Text: "x := 1\n\ny := 2", Code: true}})}},
		{"control characters dropped", "a\x00b\x1bc\r\nd", Doc{p(Text("abc d"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromMarkdown(tt.md)
			if err != nil {
				t.Fatalf("FromMarkdown: %v", err)
			}
			if !sameDoc(got, tt.want.Normalize()) {
				t.Errorf("FromMarkdown(%q)\ngot:\n%s\nwant:\n%s", tt.md, docJSON(t, got), docJSON(t, tt.want.Normalize()))
			}
		})
	}
}

func TestMarkdownDropsWhatItCannotCarry(t *testing.T) {
	d := Doc{
		{Type: Paragraph, ID: "x1", Align: AlignCenter, Children: []Inline{
			{Leaf: Leaf{Text: "u", Underline: true, Highlight: true, Superscript: true, AI: testUUID}},
		}},
		{Type: Paragraph, Indent: 2, Children: []Inline{Text("indented")}},
		blk(Character, "BOB"),
		{Type: PageBreak, Children: []Inline{{}}},
	}
	if got, want := d.Markdown(), "u\n\nindented\n\nBOB\n"; got != want {
		t.Errorf("Markdown() = %q, want %q", got, want)
	}
}

// TestFromMarkdownRefusesSlowInput checks the guards against input goldmark
// parses in quadratic time (a 100 KB line of "[a](" takes it seconds).
func TestFromMarkdownRefusesSlowInput(t *testing.T) {
	tests := []struct {
		name, src, fragment string
	}{
		{"deep nesting", strings.Repeat("- ", MaxMarkdownNesting+1) + "x", "nests 101 block quotes and list items"},
		{"deep quotes", "ok\n\n" + strings.Repeat(">", 5000) + " x", "line 3 of the Markdown nests 5000"},
		{"many links on a line", strings.Repeat("[a](", MaxMarkdownLinksPerLine+1), "holds 1001 links"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromMarkdown(tt.src)
			wantInvalid(t, err, "content", tt.fragment)
		})
	}
	if _, err := FromMarkdown(strings.Repeat("- ", MaxMarkdownNesting) + "x"); err != nil {
		t.Errorf("nesting at the limit: %v", err)
	}
}
