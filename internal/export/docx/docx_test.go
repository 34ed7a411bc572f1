package docx

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
)

var update = flag.Bool("update-docx", false, "rewrite the DOCX golden files in testdata/")

// dump is the readable form of a .docx for golden files: each part's name,
// method and time, then its XML.
func dump(tb testing.TB, data []byte) string {
	tb.Helper()
	var s strings.Builder
	for _, p := range unzip(tb, data) {
		fmt.Fprintf(&s, "=== %s (method %d, %s)\n%s", p.name, p.file.Method, p.file.Modified.UTC().Format(time.RFC3339), p.data)
		if !strings.HasSuffix(p.data, "\n") {
			s.WriteString("\n")
		}
	}
	return s.String()
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		book *export.Book
	}{
		{"novel", exporttest.Novel()},
		{"screenplay", exporttest.Screenplay()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := dump(t, render(t, tc.book, Options{}))
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update-docx to create it)", err)
			}
			if got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := 0; i < len(gl) || i < len(wl); i++ {
					var g, w string
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if g != w {
						t.Fatalf("%s differs at line %d (run go test -update-docx if the change is intended)\ngot:  %s\nwant: %s", path, i+1, g, w)
					}
				}
			}
		})
	}
}

func TestPackage(t *testing.T) {
	b := exporttest.Novel()
	data := render(t, b, Options{})
	parts := unzip(t, data)
	var names []string
	for _, p := range parts {
		names = append(names, p.name)
		if !p.file.Modified.Equal(b.Modified) {
			t.Errorf("%s: modified %v, want %v", p.name, p.file.Modified, b.Modified)
		}
		if strings.HasSuffix(p.name, ".xml") || strings.HasSuffix(p.name, ".rels") {
			wellFormed(t, p.name, p.data)
		}
	}
	want := []string{"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
		"word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml",
		"word/header1.xml", "word/header2.xml"}
	if !slices.Equal(names, want) {
		t.Errorf("parts = %v, want %v", names, want)
	}
	if again := render(t, b, Options{}); !bytes.Equal(data, again) {
		t.Error("two writes of the same book differ")
	}

	types := partData(t, parts, "[Content_Types].xml")
	for _, name := range want[2:] {
		if strings.HasSuffix(name, ".rels") {
			continue
		}
		if !strings.Contains(types, `PartName="/`+name+`"`) {
			t.Errorf("[Content_Types].xml has no override for %s", name)
		}
	}
	core := partData(t, parts, "docProps/core.xml")
	for _, s := range []string{"<dc:title>The Salt Road</dc:title>", "<dc:creator>Ada Marsh</dc:creator>",
		`<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-28T12:00:00Z</dcterms:modified>`, "<dc:language>en</dc:language>"} {
		if !strings.Contains(core, s) {
			t.Errorf("core.xml lacks %s:\n%s", s, core)
		}
	}
	if app := partData(t, parts, "docProps/app.xml"); !strings.Contains(app, fmt.Sprintf("<Words>%d</Words>", b.WordCount)) {
		t.Errorf("app.xml lacks the word count:\n%s", app)
	}
}

func TestZeroModifiedIsStable(t *testing.T) {
	b := exporttest.Novel()
	b.Modified = time.Time{}
	data := render(t, b, Options{})
	for _, p := range unzip(t, data) {
		if !p.file.Modified.Equal(epoch) {
			t.Errorf("%s: modified %v, want %v", p.name, p.file.Modified, epoch)
		}
	}
	if !bytes.Equal(data, render(t, b, Options{})) {
		t.Error("two writes differ")
	}
}

// TestManuscript checks the Shunn layout of the novel fixture as a reader of
// document.xml sees it.
func TestManuscript(t *testing.T) {
	b := exporttest.Novel()
	parts := unzip(t, render(t, b, Options{}))
	ps := paragraphs(t, partData(t, parts, "word/document.xml"))

	// Page 1: contact block, word count at the right tab, title, byline.
	wantWords := fmt.Sprintf("about %d words", approxWords(b.WordCount))
	if ps[0].style != "Contact" || ps[0].text != "Ada Marsh\t"+wantWords {
		t.Errorf("first paragraph = %+v, want the name and %q", ps[0], wantWords)
	}
	var contact []string
	for _, p := range ps[1:] {
		if p.style != "Contact" {
			break
		}
		contact = append(contact, p.text)
	}
	if want := []string{"12 Harbour Row", "Port Aster PA1 2BC", "+44 20 7946 0000", "ada@example.com"}; !slices.Equal(contact, want) {
		t.Errorf("contact block = %q, want %q", contact, want)
	}
	title := ps[1+len(contact)]
	if title.style != "Title" || title.text != "The Salt Road" {
		t.Errorf("title paragraph = %+v", title)
	}
	if by := ps[2+len(contact)]; by.style != "Byline" || by.text != "by Ada Marsh" {
		t.Errorf("byline = %+v", by)
	}

	// Chapters: Heading 1 with "Chapter N" and the title on the next line.
	var headings []string
	count := map[string]int{}
	var em, bold []string
	for _, p := range ps {
		count[p.style]++
		em = append(em, p.em...)
		bold = append(bold, p.bold...)
		if p.style == "Heading1" {
			headings = append(headings, p.text)
		}
	}
	if want := []string{"Chapter 1\nThe Salt Road", "Chapter 2\nCafé Élise", "Chapter 3\nLow Water"}; !slices.Equal(headings, want) {
		t.Errorf("chapter headings = %q, want %q", headings, want)
	}
	if count["SceneBreak"] != 2 || count["Quote"] != 1 || count["End"] != 1 {
		t.Errorf("styles used: %v; want 2 scene breaks, 1 quote, 1 END", count)
	}
	if last := ps[len(ps)-1]; last.style != "End" || last.text != "END" {
		t.Errorf("last paragraph = %+v, want END", last)
	}
	for _, p := range ps {
		if p.style == "SceneBreak" && p.text != "#" {
			t.Errorf("scene break reads %q, want #", p.text)
		}
	}
	if !slices.Equal(em, []string{"something older"}) || !slices.Equal(bold, []string{"island"}) {
		t.Errorf("italic runs %q, bold runs %q", em, bold)
	}

	doc := partData(t, parts, "word/document.xml")
	for _, s := range []string{`<w:pgSz w:w="12240" w:h="15840"/>`, `w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"`,
		"<w:titlePg/>", `<w:headerReference w:type="default" r:id="rId3"/>`, `<w:headerReference w:type="first" r:id="rId4"/>`} {
		if !strings.Contains(doc, s) {
			t.Errorf("document.xml lacks %s", s)
		}
	}
	header := partData(t, parts, "word/header1.xml")
	if !strings.Contains(header, `>Marsh / SALT ROAD / </w:t>`) || !strings.Contains(header, "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>") {
		t.Errorf("header1.xml is not \"Marsh / SALT ROAD / PAGE\":\n%s", header)
	}
	if first := partData(t, parts, "word/header2.xml"); strings.Contains(first, "<w:t>") {
		t.Errorf("the title page's header is not empty:\n%s", first)
	}

	st := partData(t, parts, "word/styles.xml")
	for _, re := range []string{
		`w:rFonts w:ascii="Times New Roman"`, `<w:sz w:val="24"/>`,
		`w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="0" w:line="480" w:lineRule="auto"/><w:ind w:firstLine="720"/>`,
		`w:styleId="Heading1"><w:name w:val="heading 1"/>.*<w:pageBreakBefore/><w:spacing w:before="3840"`,
		`w:styleId="Heading1".*<w:outlineLvl w:val="0"/>`,
		`w:styleId="Quote".*<w:ind w:left="720" w:right="720" w:firstLine="0"/>`,
	} {
		if !regexp.MustCompile(re).MatchString(st) {
			t.Errorf("styles.xml does not match %s", re)
		}
	}
}

func TestOptions(t *testing.T) {
	b := exporttest.Novel()
	t.Run("courier underlines italics", func(t *testing.T) {
		parts := unzip(t, render(t, b, Options{Font: CourierNew}))
		doc := partData(t, parts, "word/document.xml")
		if strings.Contains(doc, "<w:i/>") || !strings.Contains(doc, `<w:u w:val="single"/></w:rPr><w:t>something older</w:t>`) {
			t.Error("Courier manuscript does not underline its italics")
		}
		if !strings.Contains(partData(t, parts, "word/styles.xml"), `w:ascii="Courier New"`) {
			t.Error("styles.xml does not set Courier New")
		}
	})
	t.Run("a4", func(t *testing.T) {
		parts := unzip(t, render(t, b, Options{Paper: A4}))
		doc := partData(t, parts, "word/document.xml")
		if !strings.Contains(doc, `<w:pgSz w:w="11906" w:h="16838"/>`) || !strings.Contains(doc, `<w:tab w:val="right" w:pos="9026"/>`) {
			t.Error("A4 page size or word-count tab missing")
		}
	})
	t.Run("keyword", func(t *testing.T) {
		parts := unzip(t, render(t, b, Options{Keyword: "salt"}))
		if h := partData(t, parts, "word/header1.xml"); !strings.Contains(h, "Marsh / SALT / ") {
			t.Errorf("header ignores the keyword:\n%s", h)
		}
	})
	for _, bad := range []Options{{Font: "Comic Sans"}, {Paper: "legal"}} {
		if err := Write(&bytes.Buffer{}, b, bad); err == nil {
			t.Errorf("Write(%+v) succeeded, want an error", bad)
		}
	}
	if err := Write(&bytes.Buffer{}, nil, Options{}); err == nil {
		t.Error("Write(nil book) succeeded")
	}
}

func TestScript(t *testing.T) {
	for _, tc := range []struct {
		book   *export.Book
		end    string
		styles []string
	}{
		{exporttest.Screenplay(), "THE END", []string{"SceneHeading", "Action", "Character", "Parenthetical", "Dialogue", "Transition"}},
		{exporttest.Play(), "END OF PLAY", []string{"SceneHeading", "StageDirection", "Character", "Parenthetical", "Dialogue"}},
	} {
		t.Run(tc.book.ContentType, func(t *testing.T) {
			parts := unzip(t, render(t, tc.book, Options{}))
			ps := paragraphs(t, partData(t, parts, "word/document.xml"))
			used := map[string]bool{}
			for _, p := range ps {
				used[p.style] = true
			}
			for _, s := range tc.styles {
				if !used[s] {
					t.Errorf("no paragraph in style %s", s)
				}
			}
			if last := ps[len(ps)-1]; last.text != tc.end {
				t.Errorf("last paragraph %q, want %q", last.text, tc.end)
			}
			doc := partData(t, parts, "word/document.xml")
			if !strings.Contains(doc, `w:left="2160"`) || !strings.Contains(doc, `<w:footerReference w:type="first" r:id="rId5"/>`) {
				t.Error("script margins or title-page footer missing")
			}
			if f := partData(t, parts, "word/footer1.xml"); !strings.Contains(f, "ada@example.com") {
				t.Errorf("title page footer lacks the contact block:\n%s", f)
			}
			if h := partData(t, parts, "word/header1.xml"); !strings.Contains(h, "<w:t>.</w:t>") {
				t.Errorf("script header is not \"n.\":\n%s", h)
			}
			if !strings.Contains(partData(t, parts, "word/styles.xml"), `w:ascii="Courier New"`) {
				t.Error("script is not in Courier New")
			}
		})
	}
}

// TestHostileText writes every block type, every mark and text XML cannot
// hold, and checks each part stays well-formed and the text survives.
func TestHostileText(t *testing.T) {
	nasty := "a<b>&c\"d'e\x00f\x1bg\ufffeh\xffi]]>j"
	doc := document.Doc{
		{Type: document.Heading1, Children: []document.Inline{document.Text(nasty)}},
		{Type: document.Paragraph, Children: []document.Inline{
			{Leaf: document.Leaf{Text: "  lead and  double  ", Bold: true, Italic: true, Underline: true, Strikethrough: true, Code: true, Superscript: true, Highlight: true}},
			{Leaf: document.Leaf{Text: "sub", Subscript: true}},
			{Link: &document.Link{URL: "https://example.org/?a=1&b=\"2\"", Children: []document.Leaf{{Text: "link"}}}},
			{Link: &document.Link{URL: "https://example.org/?a=1&b=\"2\"", Children: []document.Leaf{{Text: "again"}}}},
			document.Text("line\nbreak\ttab"),
		}},
		{Type: document.Paragraph, Indent: 1, ListStyleType: document.ListDecimal, ListStart: 3, Children: []document.Inline{document.Text("three")}},
		{Type: document.Paragraph, Indent: 1, ListStyleType: document.ListDecimal, Children: []document.Inline{document.Text("four")}},
		{Type: document.Paragraph, Indent: 2, ListStyleType: document.ListDisc, Children: []document.Inline{document.Text("bullet")}},
		{Type: document.Paragraph, Align: document.AlignCenter, Children: []document.Inline{document.Text("centred")}},
		{Type: document.Paragraph, Indent: 2, Children: []document.Inline{document.Text("indented")}},
		{Type: document.Image, FileID: "6f1c2a9e-4b7d-4e0a-9c3f-2d8e5a1b7c40", Alt: "A <grey> door", Caption: "Plate 4", Children: []document.Inline{{}}},
		{Type: document.SceneHeading, SceneNumber: "12A", Children: []document.Inline{document.Text("INT. LIGHTHOUSE - NIGHT")}},
		{Type: document.Section, Depth: 1, Children: []document.Inline{document.Text("not printed")}},
		{Type: document.Note, Children: []document.Inline{document.Text("not printed")}},
		{Type: document.PageBreak, Children: []document.Inline{{}}},
		{Type: document.Centered, Children: []document.Inline{document.Text("THE END")}},
	}
	b := &export.Book{Title: nasty, Author: nasty, Surname: nasty, Language: "en\"x", ContentType: "novel",
		Contact: export.Contact{Address: []string{nasty}}, Chapters: []export.Chapter{{Number: 1, Title: nasty, Doc: doc}}}
	parts := unzip(t, render(t, b, Options{}))
	for _, p := range parts {
		wellFormed(t, p.name, p.data)
		if strings.Contains(p.data, "not printed") {
			t.Errorf("%s prints an outline element", p.name)
		}
	}
	clean := "a<b>&c\"d'efgh\ufffdi]]>j"
	ps := paragraphs(t, partData(t, parts, "word/document.xml"))
	var texts []string
	for _, p := range ps {
		texts = append(texts, p.text)
	}
	all := strings.Join(texts, "|")
	for _, s := range []string{clean, "  lead and  double  sublinkagainline\nbreak\ttab", "3.\tthree", "4.\tfour", "•\tbullet",
		"[Image: A <grey> door]\nPlate 4", "12A  INT. LIGHTHOUSE - NIGHT", "Chapter 1\n" + clean} {
		if !strings.Contains(all, s) {
			t.Errorf("document text lacks %q:\n%q", s, all)
		}
	}
	rels := partData(t, parts, "word/_rels/document.xml.rels")
	if n := strings.Count(rels, "TargetMode=\"External\""); n != 1 || !strings.Contains(rels, `Target="https://example.org/?a=1&amp;b=&quot;2&quot;"`) {
		t.Errorf("want one escaped hyperlink relationship, got %d:\n%s", n, rels)
	}
	if st := partData(t, parts, "word/styles.xml"); strings.Contains(st, "w:lang") {
		t.Error("an invalid language tag reached styles.xml")
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	b := exporttest.Synthetic(5000, 2)
	for _, n := range []int{0, 100, 3000} {
		if err := Write(&failWriter{n: n}, b, Options{}); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("after %d bytes: err = %v, want disk full", n, err)
		}
	}
}

func TestApproxWords(t *testing.T) {
	for _, tc := range []struct{ in, want int }{
		{0, 0}, {1, 1}, {49, 49}, {50, 100}, {212, 200}, {1486, 1500}, {9_949, 9_900}, {17_400, 17_400},
		{17_600, 17_500}, {23_260, 23_500}, {39_740, 39_500}, {40_000, 40_000}, {86_499, 86_000}, {150_012, 150_000},
	} {
		if got := approxWords(tc.in); got != tc.want {
			t.Errorf("approxWords(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 86000: "86,000", 1234567: "1,234,567"} {
		if got := groupThousands(in); got != want {
			t.Errorf("groupThousands(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestKeyword(t *testing.T) {
	for in, want := range map[string]string{
		"The Salt Road":            "SALT ROAD",
		"The Long Tide":            "LONG TIDE",
		"The Kitchen at Low Water": "KITCHEN",
		"Café Élise":               "CAFÉ ÉLISE",
		"A Tale of Two Cities":     "CITIES",
		"Extraordinarily Long Way": "EXTRAORDINARILY",
		"The":                      "THE",
		"It":                       "IT",
		"":                         "UNTITLED",
		"Don't Look Back!":         "DON'T",
	} {
		if got := keyword(in); got != want {
			t.Errorf("keyword(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChapterLines(t *testing.T) {
	for _, tc := range []struct {
		c    export.Chapter
		want []string
	}{
		{export.Chapter{Number: 1, Title: "The Salt Road"}, []string{"Chapter 1", "The Salt Road"}},
		{export.Chapter{Number: 2}, []string{"Chapter 2"}},
		{export.Chapter{Number: 3, Title: "chapter 3"}, []string{"Chapter 3"}},
		{export.Chapter{Number: 4, Title: "Prologue"}, []string{"Prologue"}},
		{export.Chapter{Number: 5, Title: "Chapter Five: Fog"}, []string{"Chapter Five: Fog"}},
		{export.Chapter{Title: "Untold"}, []string{"Chapter 7", "Untold"}},
	} {
		if got := chapterLines(tc.c, 6); !slices.Equal(got, tc.want) {
			t.Errorf("chapterLines(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}
