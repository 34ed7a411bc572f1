package document

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with the file testdata/name, or writes it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update to accept):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// docJSON is the canonical JSON of d, indented for golden files and diffs.
func docJSON(t testing.TB, d Doc) string {
	t.Helper()
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		t.Fatalf("indent %s: %v", raw, err)
	}
	return buf.String() + "\n"
}

// sameDoc reports whether two documents have the same canonical JSON.
func sameDoc(a, b Doc) bool {
	ja, _ := a.MarshalJSON()
	jb, _ := b.MarshalJSON()
	return bytes.Equal(ja, jb)
}

// docDiff lists, one line each, the blocks where got and want differ.
func docDiff(got, want Doc) string {
	var b strings.Builder
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w []byte
		if i < len(got) {
			g, _ = got[i].MarshalJSON()
		}
		if i < len(want) {
			w, _ = want[i].MarshalJSON()
		}
		if !bytes.Equal(g, w) {
			fmt.Fprintf(&b, "block %d\n  got:  %s\n  want: %s\n", i, g, w)
		}
	}
	return b.String()
}

func mustParse(t testing.TB, raw string) Doc {
	t.Helper()
	d, err := Parse([]byte(raw))
	if err != nil {
		t.Fatalf("Parse(%s): %v", raw, err)
	}
	return d
}

// p builds a paragraph of inlines.
func p(children ...Inline) Block { return Block{Type: Paragraph, Children: children} }

func blk(t BlockType, text string) Block { return Block{Type: t, Children: []Inline{Text(text)}} }

// mdCarried restricts a document to what Markdown carries, as Markdown
// documents it: the result is what FromMarkdown(d.Markdown()) must return.
func mdCarried(d Doc) Doc {
	var out Doc
	var lists mdLists
	for _, b := range d.Normalize() {
		if mdInvisible(&b) {
			continue
		}
		switch b.Type {
		case Paragraph:
			nb := Block{Type: Paragraph, Children: mdCarriedInlines(b.Children)}
			if b.ListStyleType == "" {
				lists = nil
				out = append(out, nb)
				continue
			}
			it := lists.place(&b)
			nb.Indent, nb.ListStyleType = it.level, b.ListStyleType
			item := mdList{decimal: b.ListStyleType == ListDecimal, number: it.number, empty: b.empty()}
			if item.decimal {
				nb.ListStart = it.number
			}
			lists = append(lists[:it.level-1], item)
			out = append(out, nb)
		case Heading1, Heading2, Heading3, Blockquote:
			lists = nil
			out = append(out, Block{Type: b.Type, Children: mdCarriedInlines(b.Children)})
		case SceneBreak:
			lists = nil
			out = append(out, Block{Type: SceneBreak})
		case Image:
			lists = nil
			out = append(out, Block{Type: Image, FileID: strings.ToLower(b.FileID), Alt: b.Alt, Caption: b.Caption})
		default:
			lists = nil
			out = append(out, p(Text(b.blockText())))
		}
	}
	return out.Normalize()
}

func mdCarriedInlines(in []Inline) []Inline {
	var out []Inline
	leaves := func(lf Leaf) []Leaf {
		c := Leaf{Text: lf.Text, Bold: lf.Bold, Italic: lf.Italic, Strikethrough: lf.Strikethrough, Code: lf.Code}
		if c.Text == "" {
			return []Leaf{{}} // marks on no text are not written
		}
		if !c.Code || !strings.Contains(c.Text, "\n") {
			return []Leaf{c}
		}
		var ls []Leaf
		for i, part := range strings.Split(c.Text, "\n") {
			if i > 0 {
				nl := c
				nl.Text, nl.Code = "\n", false
				ls = append(ls, nl)
			}
			x := c
			x.Text = part
			ls = append(ls, x)
		}
		return ls
	}
	for _, c := range in {
		if c.Link == nil {
			for _, lf := range leaves(c.Leaf) {
				out = append(out, Inline{Leaf: lf})
			}
			continue
		}
		lk := &Link{URL: c.Link.URL}
		for _, lf := range c.Link.Children {
			lk.Children = append(lk.Children, leaves(lf)...)
		}
		out = append(out, Inline{Link: lk})
	}
	return joinLinks(out)
}

// Pools of awkward text for the generators.
var (
	mdTricky = []string{
		"*", "**", "_", "__", "~", "~~", "`", "``", "\\", "[", "]", "![", "<", ">", "&",
		"&amp;", "&#42;", "&copy", "#", "# ", "1. ", "2) ", "- ", "+ ", "=", "===", "---",
		"* * *", " ", "  ", "\t", "\n", "\n\n", "a", "word", "don't", "x_y_z", "2*3*4",
		"(", ")", "!", "é", "日本語", "👍", "\u00a0", ".", ",", "'", "\"", "|", ":",
		"https://example.com", "<b>hi</b>", "    code", "> quote", "\\*", "a\\", "[x](y)",
		"10.", "-1", "a  b", " lead", "trail ", "Ünïcödé", "«»", "—", "@", "%", "^", "{", "}",
	}
	ftTricky = []string{
		"*", "**", "_", "\\", "[[", "]]", "[", "]", "/*", "*/", "(", ")", "(beat)", "!", "@",
		".", "..", "~", "=", "===", "#", "#1#", ">", "<", ">x<", "^", " ", "  ", "\t", "\n",
		"\n\n", "a", "word", "don't", "INT. HOUSE - DAY", "EXT. ", "CUT TO:", "BOB", "Title: x",
		"HELLO", "(V.O.)", "é", "日本語", "👍", ":", "'", "\"", "- ", "1. ", "well-known", "  x",
		"x  ", "Note: ", "FADE OUT.", "I/E ", "\\*",
	}
	safeURLs = []string{
		"https://example.com", "http://example.com/a_b*c", "https://en.wikipedia.org/wiki/Fish_(food)",
		"mailto:editor@example.com", "https://example.com/?a=1&amp;b=2", "https://例え.jp/パス",
		"https://example.com/a(b", "https://example.com/#frag~x",
	}
)

func pick(r *rand.Rand, pool []string) string { return pool[r.Intn(len(pool))] }

func randText(r *rand.Rand, pool []string) string {
	var b strings.Builder
	for n := 1 + r.Intn(4); n > 0; n-- {
		b.WriteString(pick(r, pool))
	}
	return b.String()
}

const testUUID = "0b7c9d3e-6f1a-4c2b-9e8d-1a2b3c4d5e6f"

func randLeaf(r *rand.Rand, pool []string) Leaf {
	lf := Leaf{Text: randText(r, pool)}
	a, b := marks(r.Intn(256)), marks(r.Intn(256))
	lf.setMarks(a & b) // each mark set a quarter of the time
	if r.Intn(6) == 0 {
		lf.AI = testUUID
	}
	return lf
}

func randInlines(r *rand.Rand, pool []string, links bool) []Inline {
	n := 1 + r.Intn(5)
	out := make([]Inline, 0, n)
	for i := 0; i < n; i++ {
		if links && r.Intn(5) == 0 {
			lk := &Link{URL: pick(r, safeURLs)}
			if r.Intn(3) == 0 {
				lk.ID = "lnk1"
			}
			for k := 1 + r.Intn(3); k > 0; k-- {
				lk.Children = append(lk.Children, randLeaf(r, pool))
			}
			out = append(out, Inline{Link: lk})
			continue
		}
		out = append(out, Inline{Leaf: randLeaf(r, pool)})
	}
	return out
}

// randProseDoc generates a valid document of prose blocks.
func randProseDoc(r *rand.Rand) Doc {
	var d Doc
	for n := r.Intn(12); n >= 0; n-- {
		b := Block{Children: randInlines(r, mdTricky, true)}
		if r.Intn(4) == 0 {
			b.ID = fmt.Sprintf("b%d", n)
		}
		switch k := r.Intn(20); {
		case k < 8:
			b.Type = Paragraph
			if r.Intn(3) == 0 {
				b.Align = []Align{AlignLeft, AlignCenter, AlignRight, AlignJustify}[r.Intn(4)]
			}
			if r.Intn(2) == 0 {
				b.Indent = 1 + r.Intn(6)
				if r.Intn(4) != 0 {
					b.ListStyleType = []ListStyle{ListDisc, ListDecimal}[r.Intn(2)]
					if r.Intn(3) == 0 {
						b.ListStart = 1 + r.Intn(12)
					}
				}
			}
			if r.Intn(8) == 0 {
				b.Children = []Inline{Text("")}
			}
		case k < 11:
			b.Type = []BlockType{Heading1, Heading2, Heading3}[r.Intn(3)]
			if r.Intn(8) == 0 {
				b.Children = []Inline{Text("")}
			}
		case k < 14:
			b.Type = Blockquote
			if r.Intn(8) == 0 {
				b.Children = []Inline{Text("")}
			}
		case k < 16:
			b = Block{Type: SceneBreak, Children: []Inline{{}}}
		case k < 18:
			b = Block{Type: Image, FileID: testUUID, Children: []Inline{{}}}
			if r.Intn(2) == 0 {
				b.Alt = strings.ReplaceAll(randText(r, mdTricky), "\t", " ")
			}
			if r.Intn(2) == 0 {
				b.Caption = randText(r, mdTricky)
			}
		default:
			b.Type = []BlockType{Action, Dialogue, Character, PageBreak}[r.Intn(4)]
			if b.Type == PageBreak {
				b.Children = []Inline{{}}
			}
		}
		d = append(d, b)
	}
	return d
}
