package importer

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
)

// The novel fixture is one Markdown source (testdata/novel.md) converted to
// DOCX by pandoc 2.17 and to ODT by LibreOffice 7.4 (from the DOCX); each
// import must give the same structure.
func TestNovelFixtures(t *testing.T) {
	wantTitles := []string{"Chapter One: The Storm", "Chapter Two: The Visitor", "Chapter Three: The Light"}
	wantWords := []int{41, 32, 14}
	wantTypes := [][]string{
		{"p", "p", "scene_break", "p"},
		{"p", "blockquote", "p", "scene_break", "p"},
		{"p", "scene_break", "p"},
	}
	for _, tc := range []struct {
		file   string
		format Format
	}{
		{"novel.md", Markdown},
		{"novel.docx", DOCX},
		{"novel.odt", ODT},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b := readFixture(t, tc.file)
			if f, err := Detect(b[:min(len(b), SniffLen)], tc.file); err != nil || f != tc.format {
				t.Fatalf("Detect = %q, %v; want %q", f, err, tc.format)
			}
			m := mustParse(t, b, tc.format, Options{Name: tc.file})
			if m.Title != "The Lighthouse Keeper" || m.ContentType != Novel {
				t.Errorf("title, type = %q, %q; want %q, novel", m.Title, m.ContentType, "The Lighthouse Keeper")
			}
			if got := titles(m); !slices.Equal(got, wantTitles) {
				t.Fatalf("chapters = %q, want %q", got, wantTitles)
			}
			if got := words(m); !slices.Equal(got, wantWords) {
				t.Errorf("words = %v, want %v", got, wantWords)
			}
			for i, c := range m.Chapters {
				if got := types(c.Doc); !slices.Equal(got, wantTypes[i]) {
					t.Errorf("chapter %d blocks = %v, want %v", i+1, got, wantTypes[i])
				}
			}
			one, two := m.Chapters[0].Doc, m.Chapters[1].Doc
			if lf, _ := findLeaf(t, one, "not"); !lf.Italic || lf.Bold {
				t.Errorf("\"not\" = %+v, want italic", lf)
			}
			if lf, _ := findLeaf(t, one, "almanac"); !lf.Bold || lf.Italic {
				t.Errorf("\"almanac\" = %+v, want bold", lf)
			}
			if lf, _ := findLeaf(t, two, "three times"); !lf.Bold || !lf.Italic {
				t.Errorf("\"three times\" = %+v, want bold and italic", lf)
			}
			if _, link := findLeaf(t, one, "guide"); link == nil || link.URL != "https://example.org/guide" {
				t.Errorf("\"guide\" link = %+v, want https://example.org/guide", link)
			}
			if got := blockText(one, 3); !strings.Contains(got, "about the rocks and") {
				t.Errorf("javascript: link text = %q, want it kept as text", got)
			}
			for _, b := range one {
				for _, in := range b.Children {
					if in.Link != nil && in.Link.URL != "https://example.org/guide" {
						t.Errorf("unexpected link %q", in.Link.URL)
					}
				}
			}
			if got, want := blockText(one, 1), "Mara climbed the stairs. “Who’s there?” she called. Nobody answered."; got != want {
				t.Errorf("smart quotes: %q, want %q", got, want)
			}
			if got, want := blockText(two, 2), "She opened it.\nRain came in."; got != want {
				t.Errorf("line break: %q, want %q", got, want)
			}
			if len(m.Warnings) != 0 {
				t.Errorf("warnings = %q, want none", m.Warnings)
			}
		})
	}
}

// A Word document without heading styles: "Prologue", "CHAPTER ONE",
// "Chapter Two: The Visitor" and "Chapter 3" lines mark chapters; the parts
// are in testdata/chapter-lines.docx.d. The same document converted to ODT
// by LibreOffice must read the same.
func TestChapterLines(t *testing.T) {
	for _, tc := range []struct {
		name   string
		b      []byte
		format Format
	}{
		{"docx", zipDir(t, "chapter-lines.docx.d"), DOCX},
		{"odt", readFixture(t, "chapter-lines.odt"), ODT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mustParse(t, tc.b, tc.format, Options{})
			if m.Title != "Harbour Lights" {
				t.Errorf("title = %q, want Harbour Lights", m.Title)
			}
			want := []string{"Untitled", "Prologue", "CHAPTER ONE", "Chapter Two: The Visitor", "Chapter 3"}
			if got := titles(m); !slices.Equal(got, want) {
				t.Fatalf("chapters = %q, want %q", got, want)
			}
			if got := blockText(m.Chapters[0].Doc, 0); got != "Harbour Lights" || m.Chapters[0].Doc[0].Align != document.AlignCenter {
				t.Errorf("title page = %q (align %q), want centred Harbour Lights", got, m.Chapters[0].Doc[0].Align)
			}
			pro := m.Chapters[1].Doc
			if got := types(pro); !slices.Equal(got, []string{"p", "scene_break", "p"}) {
				t.Errorf("prologue blocks = %v", got)
			}
			if got, want := blockText(pro, 0), "\tThe harbour was quiet, “too quiet,” said the harbourmaster to nobody."; got != want {
				t.Errorf("text = %q, want %q", got, want)
			}
			for _, c := range []struct {
				text                    string
				italic, bold, underline bool
			}{
				{"quiet", true, false, false},
				{"said", false, true, false},
				{"harbourmaster", false, false, true},
				{" to ", false, false, false},
				{"nobody", true, false, false}, // the Emphasis character style
			} {
				lf, _ := findLeaf(t, pro, c.text)
				if lf.Italic != c.italic || lf.Bold != c.bold || lf.Underline != c.underline {
					t.Errorf("%q = %+v, want italic %v bold %v underline %v", c.text, lf, c.italic, c.bold, c.underline)
				}
			}
			lf, link := findLeaf(t, pro, "online")
			if link == nil || link.URL != "https://example.org/tides" || lf.Underline {
				t.Errorf("online = %+v in %+v, want a link to https://example.org/tides without underline", lf, link)
			}
			if got, want := blockText(pro, 2), "The tide tables were online and not here and there.\nA new line."; got != want {
				t.Errorf("links = %q, want %q", got, want)
			}
			links := 0
			for _, in := range pro[2].Children {
				if in.Link != nil {
					links++
				}
			}
			if links != 1 {
				t.Errorf("%d links, want 1 (javascript: and #anchor links keep only their text)", links)
			}
			one := m.Chapters[2].Doc
			if got, want := blockText(one, 0), "She kept the light burning. Chapter 3 was the hardest to write."; got != want {
				t.Errorf("tracked changes = %q, want %q", got, want)
			}
			if got := types(one); !slices.Equal(got, []string{"p", "scene_break", "p"}) {
				t.Errorf("chapter one blocks = %v", got)
			}
			if got := blockText(one, 2); !strings.HasPrefix(got, "A well\u2011kept secret") {
				t.Errorf("no-break hyphen: %q", got)
			}
			two := m.Chapters[3].Doc
			if got := types(two); !slices.Equal(got, []string{"p", "scene_break", "p"}) {
				t.Errorf("chapter two blocks = %v", got)
			}
			if lf, _ := findLeaf(t, two, "Dear keeper, "); !lf.Italic {
				t.Errorf("paragraph style italic lost: %+v", lf)
			}
			if lf, _ := findLeaf(t, two, "come"); lf.Italic {
				t.Errorf("run turning italic off: %+v", lf)
			}
			if got := types(m.Chapters[4].Doc); !slices.Equal(got, []string{"p"}) {
				t.Errorf("chapter 3 blocks = %v, want the trailing scene break dropped", got)
			}
			if !hasWarning(m, "Untitled") {
				t.Errorf("warnings = %q, want one about the untitled first chapter", m.Warnings)
			}
			if !hasWarning(m, "Tracked changes") {
				t.Errorf("warnings = %q, want one about tracked changes", m.Warnings)
			}
			if tc.format == DOCX && !hasWarning(m, "Images") {
				t.Errorf("warnings = %q, want one about images", m.Warnings)
			}
		})
	}
}

func hasWarning(m *Manuscript, s string) bool {
	for _, w := range m.Warnings {
		if strings.Contains(w, s) {
			return true
		}
	}
	return false
}

func TestFDX(t *testing.T) {
	b := readFixture(t, "lighthouse.fdx")
	if f, err := Detect(b, "lighthouse.fdx"); err != nil || f != FDX {
		t.Fatalf("Detect = %q, %v", f, err)
	}
	m := mustParse(t, b, FDX, Options{})
	if m.Title != "THE LIGHTHOUSE" || m.ContentType != Screenplay {
		t.Errorf("title, type = %q, %q", m.Title, m.ContentType)
	}
	if got, want := titles(m), []string{"ACT ONE", "ACT TWO"}; !slices.Equal(got, want) {
		t.Fatalf("chapters = %q, want %q", got, want)
	}
	one, two := m.Chapters[0].Doc, m.Chapters[1].Doc
	if got, want := types(one), []string{"transition", "scene_heading", "action", "character", "parenthetical", "dialogue", "transition"}; !slices.Equal(got, want) {
		t.Errorf("act one = %v, want %v", got, want)
	}
	if one[1].SceneNumber != "1" || blockText(one, 1) != "INT. LIGHTHOUSE - NIGHT" {
		t.Errorf("scene heading = %+v", one[1])
	}
	if lf, _ := findLeaf(t, one, "hammers"); !lf.Italic {
		t.Errorf("hammers = %+v, want italic", lf)
	}
	if lf, _ := findLeaf(t, one, "wind"); !lf.Bold || !lf.Underline {
		t.Errorf("wind = %+v, want bold and underline", lf)
	}
	if got, want := types(two), []string{"scene_heading", "action", "character", "dialogue", "character", "dialogue", "shot", "action"}; !slices.Equal(got, want) {
		t.Errorf("act two = %v, want %v", got, want)
	}
	if two[0].SceneNumber != "2A" || two[2].Dual || !two[4].Dual || blockText(two, 4) != "WREN" {
		t.Errorf("dual dialogue: %+v / %+v", two[2], two[4])
	}
	if got := blockText(two, 5); got != "Who are YOU?" {
		t.Errorf("AllCaps = %q", got)
	}
	if !hasWarning(m, `"Outline 1"`) {
		t.Errorf("warnings = %q, want one about Outline 1", m.Warnings)
	}
}

func TestFountain(t *testing.T) {
	b := readFixture(t, "lighthouse.fountain")
	if f, err := Detect(b, "lighthouse.fountain"); err != nil || f != Fountain {
		t.Fatalf("Detect = %q, %v", f, err)
	}
	m := mustParse(t, b, Fountain, Options{})
	if m.Title != "The Lighthouse" || m.ContentType != Screenplay {
		t.Errorf("title, type = %q, %q", m.Title, m.ContentType)
	}
	if got, want := titles(m), []string{"Act One", "Act Two"}; !slices.Equal(got, want) {
		t.Fatalf("chapters = %q, want %q", got, want)
	}
	one := m.Chapters[0].Doc
	if got := blockText(one, 0); got != "FADE IN:" {
		t.Errorf("act one opens with %q, want FADE IN: (what precedes the first act joins it)", got)
	}
	if lf, _ := findLeaf(t, one, "hammers"); !lf.Italic {
		t.Errorf("hammers = %+v", lf)
	}
	if lf, _ := findLeaf(t, one, "isn't"); !lf.Underline {
		t.Errorf("isn't = %+v", lf)
	}
	two := m.Chapters[1].Doc
	if got, want := types(two), []string{"scene_heading", "action", "character", "dialogue", "character", "dialogue", "centered"}; !slices.Equal(got, want) {
		t.Errorf("act two = %v, want %v", got, want)
	}
	if !two[4].Dual {
		t.Errorf("WREN ^ not dual: %+v", two[4])
	}

	t.Run("split scenes", func(t *testing.T) {
		m := mustParse(t, b, Fountain, Options{SplitScenes: true})
		if got, want := titles(m), []string{"INT. LIGHTHOUSE - NIGHT", "EXT. CLIFF - DAWN"}; !slices.Equal(got, want) {
			t.Fatalf("chapters = %q, want %q", got, want)
		}
		if got := types(m.Chapters[0].Doc)[:3]; !slices.Equal(got, []string{"action", "section", "scene_heading"}) {
			t.Errorf("scene one opens with %v", got)
		}
	})
	t.Run("no sections", func(t *testing.T) {
		src := "INT. HOUSE - DAY\n\nA room.\n"
		m := mustParse(t, []byte(src), Fountain, Options{Name: "house.fountain"})
		if got := titles(m); !slices.Equal(got, []string{"Screenplay"}) || m.Title != "house" {
			t.Errorf("chapters = %q, title %q", got, m.Title)
		}
	})
}

func TestMarkdownStructure(t *testing.T) {
	for _, tc := range []struct {
		name, src  string
		title      string
		chapters   []string
		firstTypes []string
		warning    string
	}{
		{
			name:     "book title heading",
			src:      "# My Book\n\n## One\n\nText one.\n\n## Two\n\nText two.\n",
			title:    "My Book",
			chapters: []string{"One", "Two"},
		},
		{
			name:       "parts",
			src:        "# Part One\n\n## Chapter 1\n\nText.\n\n## Chapter 2\n\nText.\n\n# Part Two: The Sea\n\n## Chapter 3\n\nText.\n",
			title:      "book",
			chapters:   []string{"Chapter 1", "Chapter 2", "Chapter 3"},
			firstTypes: []string{"h1", "p"},
		},
		{
			name:       "subheadings stay",
			src:        "# One\n\nText.\n\n## A scene\n\nMore.\n\n#### Deep\n\nDeeper.\n\n# Two\n\nText.\n",
			title:      "book",
			chapters:   []string{"One", "Two"},
			firstTypes: []string{"p", "h2", "p", "h3", "p"},
		},
		{
			name:     "chapter lines",
			src:      "Prologue\n\nIt began.\n\nChapter 1\n\nIt went on.\n\nCHAPTER TWENTY-ONE: The End\n\nIt ended.\n",
			title:    "book",
			chapters: []string{"Prologue", "Chapter 1", "CHAPTER TWENTY-ONE: The End"},
		},
		{
			name:     "no headings",
			src:      "Just a story.\n\nWith two paragraphs.\n",
			title:    "book",
			chapters: []string{"Chapter 1"},
			warning:  "No chapter headings",
		},
		{
			name:     "preamble",
			src:      "An epigraph.\n\n# One\n\nText.\n",
			title:    "book",
			chapters: []string{"Untitled", "One"},
			warning:  "Untitled",
		},
		{
			name:       "hash line as scene break",
			src:        "# One\n\nBefore.\n\n#\n\nAfter.\n",
			title:      "book",
			chapters:   []string{"One"},
			firstTypes: []string{"p", "scene_break", "p"},
		},
		{
			name:     "pandoc title block",
			src:      "% The Title\n% Author\n\n# One\n\nText.\n",
			title:    "The Title",
			chapters: []string{"One"},
		},
		{
			name:     "heading inside code fence",
			src:      "# One\n\n```\n# not a heading\n```\n\n# Two\n\nText.\n",
			title:    "book",
			chapters: []string{"One", "Two"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mustParse(t, []byte(tc.src), Markdown, Options{Name: "book.md"})
			if m.Title != tc.title {
				t.Errorf("title = %q, want %q", m.Title, tc.title)
			}
			if got := titles(m); !slices.Equal(got, tc.chapters) {
				t.Fatalf("chapters = %q, want %q", got, tc.chapters)
			}
			if tc.firstTypes != nil {
				if got := types(m.Chapters[0].Doc); !slices.Equal(got, tc.firstTypes) {
					t.Errorf("first chapter blocks = %v, want %v", got, tc.firstTypes)
				}
			}
			if tc.warning != "" && !hasWarning(m, tc.warning) {
				t.Errorf("warnings = %q, want one about %q", m.Warnings, tc.warning)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	src := "\ufeffTHE QUIET SEA\r\n\r\nCHAPTER ONE\r\nIt was a dark\r\nand stormy night.\r\n\r\n* * *\r\n\r\nMorning.\r\n\r\nChapter Two: Dawn\r\n\r\nThe sun rose.\r\n"
	b := []byte(src)
	if f, err := Detect(b, "sea.txt"); err != nil || f != PlainText {
		t.Fatalf("Detect = %q, %v", f, err)
	}
	m := mustParse(t, b, PlainText, Options{Name: "The Quiet Sea.txt"})
	if got, want := titles(m), []string{"Untitled", "CHAPTER ONE", "Chapter Two: Dawn"}; !slices.Equal(got, want) {
		t.Fatalf("chapters = %q, want %q", got, want)
	}
	if m.Title != "The Quiet Sea" {
		t.Errorf("title = %q", m.Title)
	}
	one := m.Chapters[1].Doc
	if got := types(one); !slices.Equal(got, []string{"p", "scene_break", "p"}) {
		t.Errorf("blocks = %v", got)
	}
	if got := blockText(one, 0); got != "It was a dark and stormy night." {
		t.Errorf("wrapped lines = %q", got)
	}

	t.Run("one paragraph a line", func(t *testing.T) {
		m := mustParse(t, []byte("Chapter 1\nFirst.\nSecond.\nChapter 2\nThird.\n"), PlainText, Options{})
		if got := words(m); !slices.Equal(got, []int{2, 1}) || len(m.Chapters[0].Doc) != 2 {
			t.Errorf("words = %v, blocks %v", got, types(m.Chapters[0].Doc))
		}
	})
	t.Run("utf-16", func(t *testing.T) {
		u := []byte{0xff, 0xfe}
		for _, r := range "Chapter 1\n\nCafé.\n" {
			u = append(u, byte(r), byte(r>>8))
		}
		m := mustParse(t, u, PlainText, Options{})
		if got := blockText(m.Chapters[0].Doc, 0); got != "Café." {
			t.Errorf("text = %q", got)
		}
	})
}

func TestLongChapterIsSplit(t *testing.T) {
	var b strings.Builder
	b.WriteString("# The Only Chapter\n\n")
	n := document.MaxBlocks + 500
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Paragraph %d.\n\n", i)
	}
	m := mustParse(t, []byte(b.String()), Markdown, Options{})
	if got, want := titles(m), []string{"The Only Chapter (part 1)", "The Only Chapter (part 2)"}; !slices.Equal(got, want) {
		t.Fatalf("chapters = %q, want %q", got, want)
	}
	if got := len(m.Chapters[0].Doc) + len(m.Chapters[1].Doc); got != n {
		t.Errorf("%d blocks in all, want %d", got, n)
	}
	if !hasWarning(m, "split into 2 parts") {
		t.Errorf("warnings = %q", m.Warnings)
	}
}

func TestLimits(t *testing.T) {
	three := readFixture(t, "novel.md")
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"chapters", Options{MaxChapters: 2}, "more than 2 chapters"},
		{"characters", Options{MaxChars: 100}, "100 characters"},
		{"characters after markup", Options{MaxChars: 600}, "more than 600 characters"},
		{"paragraphs", Options{MaxParagraphs: 5}, "more than 5 paragraphs"},
		{"file size", Options{MaxFileBytes: 100}, "at most 100 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refused(t, func() error { _, err := parse(t, three, Markdown, tc.o); return err }, errs.TooLarge, tc.want)
		})
	}
	t.Run("paragraph too long", func(t *testing.T) {
		long := strings.Repeat("word ", document.MaxBlockChars/5+10)
		refused(t, func() error { _, err := parse(t, []byte(long), PlainText, Options{}); return err }, errs.Invalid, "a paragraph can hold at most 100,000")
	})
	t.Run("empty", func(t *testing.T) {
		refused(t, func() error { _, err := parse(t, []byte("\n\n  \n"), PlainText, Options{}); return err }, errs.Invalid, "no text")
	})
}

func TestPreview(t *testing.T) {
	m := mustParse(t, readFixture(t, "novel.docx"), DOCX, Options{})
	p := m.Preview()
	if p.Title != "The Lighthouse Keeper" || p.ContentType != Novel || p.Words != 87 || len(p.Chapters) != 3 {
		t.Fatalf("preview = %+v", p)
	}
	c := p.Chapters[0]
	want := "It was not the first storm, said the almanac, but it was the worst. Mara climbed the stairs. “Who’s there?” she called. Nobody answered. Morning came grey and slow. The…"
	if c.Number != 1 || c.Title != "Chapter One: The Storm" || c.Words != 41 || c.Opening != want {
		t.Errorf("chapter 1 = %+v\nwant opening %q", c, want)
	}
	if p.Chapters[2].Opening != "The lamp must never go dark, she wrote in the log. It did not." {
		t.Errorf("chapter 3 opening = %q", p.Chapters[2].Opening)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"title":`, `"content_type":"novel"`, `"chapters":[{"chapter_number":1,`, `"word_count":87`, `"warnings":[]`, `"opening":`} {
		if !strings.Contains(string(raw), key) {
			t.Errorf("preview JSON lacks %s:\n%s", key, raw)
		}
	}
}

func TestLabels(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Chapter 1", true},
		{"CHAPTER ONE", true},
		{"Chapter Twenty-One", true},
		{"Chapter one hundred and two", true},
		{"Chapter XII: The Storm", true},
		{"chapter 12 — Night", true},
		{"Prologue", true},
		{"EPILOGUE: Ten Years Later", true},
		{"Chapter", false},
		{"Chapter 3 was the hardest.", false},
		{"Chapter One The Storm", false},
		{"Prologues are dull", false},
		{"Chapter 12345", false},
		{"Chapter 1\nand more", false},
		{"", false},
	} {
		if got := chapterLabel(tc.text); got != tc.want {
			t.Errorf("chapterLabel(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"#", true}, {"* * *", true}, {"***", true}, {" ~ ", true}, {"⁂", true}, {"-----", true},
		{"", false}, {"#1", false}, {"* a *", false}, {strings.Repeat("*", 20), false},
	} {
		if got := isSceneBreak(tc.text); got != tc.want {
			t.Errorf("isSceneBreak(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestDOCXStyles(t *testing.T) {
	heading := func(style, text string) string {
		return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	p := func(text string) string { return `<w:p><w:r><w:t>` + text + `</w:t></w:r></w:p>` }
	for _, tc := range []struct {
		name, body string
		chapters   []string
		title      string
		warning    string
	}{
		{
			name:     "heading 2 only",
			body:     heading("Heading2", "One") + p("Text.") + heading("Heading2", "Two") + p("Text."),
			chapters: []string{"One", "Two"},
		},
		{
			name:     "table of contents left out",
			body:     heading("TOC1", "One\t3") + heading("TOC1", "Two\t9") + heading("Heading1", "One") + p("Text.") + heading("Heading1", "Two") + p("Text."),
			chapters: []string{"One", "Two"},
			warning:  "table of contents",
		},
		{
			name:     "title style",
			body:     heading("Title", "The Book") + heading("Subtitle", "A Novel") + heading("Heading1", "One") + p("Text."),
			chapters: []string{"One"},
			title:    "The Book",
		},
		{
			name:     "outline level without a style",
			body:     `<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>One</w:t></w:r></w:p>` + p("Text."),
			chapters: []string{"One"},
		},
		{
			name:     "empty headings ignored",
			body:     heading("Heading1", "") + heading("Heading1", "One") + p("Text."),
			chapters: []string{"One"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mustParse(t, minimalDOCX(t, wordBody(tc.body)), DOCX, Options{Name: "x.docx"})
			if got := titles(m); !slices.Equal(got, tc.chapters) {
				t.Fatalf("chapters = %q, want %q", got, tc.chapters)
			}
			if tc.title != "" && m.Title != tc.title {
				t.Errorf("title = %q, want %q", m.Title, tc.title)
			}
			if tc.warning != "" && !hasWarning(m, tc.warning) {
				t.Errorf("warnings = %q", m.Warnings)
			}
		})
	}
}
