package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/authorworks/authorworks/internal/errs"
)

// fuzzOpts keeps each fuzz run small enough to be fast.
var fuzzOpts = Options{Name: "fuzz", MaxChars: 200_000, MaxParagraphs: 20_000, MaxChapters: 500}

// checkResult fails unless Parse either refused with a client-safe
// *errs.Error (never Internal) or returned a manuscript whose chapters are
// valid documents.
func checkResult(t *testing.T, m *Manuscript, err error) {
	t.Helper()
	if err != nil {
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind == errs.Internal || e.Message == "" {
			t.Fatalf("error %v (%T) is not a client-safe *errs.Error", err, err)
		}
		return
	}
	if len(m.Chapters) == 0 || m.Words() == 0 {
		t.Fatalf("manuscript without chapters or words: %+v", m)
	}
	if m.ContentType != Novel && m.ContentType != Screenplay {
		t.Fatalf("content type %q", m.ContentType)
	}
	for i, c := range m.Chapters {
		if err := c.Doc.Validate(); err != nil {
			t.Fatalf("chapter %d: %v", i+1, err)
		}
		if c.Words != c.Doc.WordCount() {
			t.Fatalf("chapter %d: Words %d != %d", i+1, c.Words, c.Doc.WordCount())
		}
		if c.Title == "" {
			t.Fatalf("chapter %d has no title", i+1)
		}
	}
	p := m.Preview()
	if len(p.Chapters) != len(m.Chapters) {
		t.Fatalf("preview has %d chapters, manuscript %d", len(p.Chapters), len(m.Chapters))
	}
}

// zipPart returns the bytes of one part of a zip archive.
func zipPart(t testing.TB, archive []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzParseDOCX fuzzes the main part of a Word document, packed with the
// relationships and styles of the hand-made fixture.
func FuzzParseDOCX(f *testing.F) {
	parts := map[string][]byte{}
	hand := zipDir(f, "chapter-lines.docx.d")
	for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml"} {
		parts[n] = zipPart(f, hand, n)
	}
	f.Add(zipPart(f, hand, "word/document.xml"))
	f.Add(zipPart(f, readFixture(f, "novel.docx"), "word/document.xml"))
	f.Add([]byte(wordBody(`<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>One</w:t></w:r></w:p><w:p><w:hyperlink r:id="rId5"><w:r><w:rPr><w:b/><w:vertAlign w:val="superscript"/></w:rPr><w:t>x</w:t></w:r></w:hyperlink></w:p>`)))
	f.Add([]byte(wordBody(`<w:p><w:r><w:pict><v:rect xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" o:hr="t"/></w:pict></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`)))
	f.Fuzz(func(t *testing.T, documentXML []byte) {
		p := map[string][]byte{"word/document.xml": documentXML}
		for n, b := range parts {
			p[n] = b
		}
		b := zipWith(t, p, zip.Store)
		m, err := parse(t, b, DOCX, fuzzOpts)
		checkResult(t, m, err)
	})
}

// FuzzParseDOCXArchive fuzzes whole Word files: the zip layer.
func FuzzParseDOCXArchive(f *testing.F) {
	docx := readFixture(f, "novel.docx")
	f.Add(docx)
	f.Add(zipDir(f, "chapter-lines.docx.d"))
	f.Add(docx[:len(docx)/2])
	f.Add(minimalDOCX(f, wordBody(`<w:p><w:r><w:t>Hi.</w:t></w:r></w:p>`)))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parse(t, b, DOCX, fuzzOpts)
		checkResult(t, m, err)
		if _, err := Detect(b[:min(len(b), SniffLen)], "fuzz.docx"); err != nil && !errs.Is(err, errs.UnsupportedMedia) {
			t.Fatalf("Detect: %v", err)
		}
	})
}

// FuzzParseODT fuzzes the content part of an OpenDocument text.
func FuzzParseODT(f *testing.F) {
	odt := readFixture(f, "novel.odt")
	styles := zipPart(f, odt, "styles.xml")
	f.Add(zipPart(f, odt, "content.xml"))
	f.Add(zipPart(f, readFixture(f, "chapter-lines.odt"), "content.xml"))
	f.Fuzz(func(t *testing.T, content []byte) {
		b := zipWith(t, map[string][]byte{
			"mimetype":    []byte("application/vnd.oasis.opendocument.text"),
			"styles.xml":  styles,
			"content.xml": content,
		}, zip.Store)
		m, err := parse(t, b, ODT, fuzzOpts)
		checkResult(t, m, err)
	})
}

// FuzzParseFDX fuzzes Final Draft files.
func FuzzParseFDX(f *testing.F) {
	f.Add(readFixture(f, "lighthouse.fdx"))
	f.Add([]byte(xmlHead + `<FinalDraft><Content><Paragraph Type="New Act"><Text>ACT</Text></Paragraph><Paragraph Type="Scene Heading" Number="1"><Text>INT. X</Text></Paragraph></Content></FinalDraft>`))
	f.Add([]byte(`<FinalDraft><Content><Paragraph><DualDialogue><Paragraph Type="Character"><Text Style="Bold+AllCaps">a</Text></Paragraph><Paragraph Type="Character"><Text>b</Text></Paragraph></DualDialogue></Paragraph></Content><TitlePage><Content><Paragraph><Text>T</Text></Paragraph></Content></TitlePage></FinalDraft>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parse(t, b, FDX, fuzzOpts)
		checkResult(t, m, err)
	})
}

// FuzzParseText fuzzes the text formats: Markdown, plain text and Fountain.
func FuzzParseText(f *testing.F) {
	f.Add(readFixture(f, "novel.md"), uint8(0))
	f.Add([]byte("THE SEA\n\nChapter 1\nIt was.\n\n* * *\n\nChapter Two: X\n\nDone."), uint8(1))
	f.Add(readFixture(f, "lighthouse.fountain"), uint8(2))
	f.Add([]byte("# Part One\n\n## One\n\nx\n\n# Part Two\n\n## Two\n\ny"), uint8(0))
	f.Fuzz(func(t *testing.T, b []byte, which uint8) {
		format := []Format{Markdown, PlainText, Fountain}[which%3]
		for _, split := range []bool{false, true} {
			o := fuzzOpts
			o.SplitScenes = split
			m, err := parse(t, b, format, o)
			checkResult(t, m, err)
		}
		if _, err := Detect(b[:min(len(b), SniffLen)], "fuzz.txt"); err != nil && !errs.Is(err, errs.UnsupportedMedia) {
			t.Fatalf("Detect: %v", err)
		}
	})
}
