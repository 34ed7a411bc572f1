package docx

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/authorworks/authorworks/internal/export"
)

// Font is the typeface of the manuscript.
type Font string

// The typefaces Standard Manuscript Format allows.
const (
	TimesNewRoman Font = "Times New Roman"
	CourierNew    Font = "Courier New"
)

// Paper is the page size.
type Paper string

// The page sizes.
const (
	Letter Paper = "letter" // US Letter, 8.5 × 11 in
	A4     Paper = "a4"     // ISO A4, 210 × 297 mm
)

// Options chooses among the variants Standard Manuscript Format allows. The
// zero value is a US Letter manuscript in Times New Roman (Courier New for
// screenplays and plays).
type Options struct {
	// Font is TimesNewRoman or CourierNew; empty means Times New Roman for
	// prose and Courier New for scripts. With Courier New, italics are
	// underlined.
	Font Font
	// Paper is Letter or A4; empty means Letter.
	Paper Paper
	// Keyword is the title keyword of the running header ("Marsh / KEYWORD /
	// 2"); empty means one chosen from the title. It is upper-cased.
	Keyword string
}

// Twips (1/1440 in) of the layout.
const (
	inch        = 1440
	halfInch    = 720
	singleLine  = 240 // w:line for single spacing
	doubleLine  = 480 // w:line for double spacing
	lineTwips12 = 276 // height of a single-spaced 12 pt line in Times New Roman and its metric clones
)

// layout is the page geometry and typography of one document.
type layout struct {
	script, play     bool
	font             string
	underlineItalics bool
	pageW, pageH     int
	marginLeft       int
	marginRight      int
	textWidth        int
	lang             string
}

func newLayout(b *export.Book, opts Options) (layout, error) {
	l := layout{script: b.Script(), play: b.ContentType == "play"}
	switch opts.Font {
	case "":
		l.font = string(TimesNewRoman)
		if l.script {
			l.font = string(CourierNew)
		}
	case TimesNewRoman, CourierNew:
		l.font = string(opts.Font)
	default:
		return l, fmt.Errorf("docx: unknown font %q: use %q or %q", opts.Font, TimesNewRoman, CourierNew)
	}
	l.underlineItalics = l.font == string(CourierNew)
	switch opts.Paper {
	case "", Letter:
		l.pageW, l.pageH = 12240, 15840
	case A4:
		l.pageW, l.pageH = 11906, 16838
	default:
		return l, fmt.Errorf("docx: unknown paper %q: use %q or %q", opts.Paper, Letter, A4)
	}
	l.marginLeft, l.marginRight = inch, inch
	if l.script {
		l.marginLeft = inch + halfInch
	}
	l.textWidth = l.pageW - l.marginLeft - l.marginRight
	l.lang = language(b.Language)
	return l, nil
}

// language returns a BCP 47 tag fit for w:lang, or "" when tag is not one.
func language(tag string) string {
	if tag == "" || len(tag) > 35 {
		return ""
	}
	for _, r := range tag {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' {
			return ""
		}
	}
	return tag
}

// epoch is the zip time of a book without a modification time: the earliest
// time a zip entry can record.
var epoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// part is one zip entry of the package and the function that writes it.
type part struct {
	name  string
	write func(o out)
}

// bufSize is the write buffer of each zip entry.
const bufSize = 64 << 10

// Write writes b to w as a .docx manuscript. The output depends only on b and
// opts: the same book gives the same bytes.
func Write(w io.Writer, b *export.Book, opts Options) error {
	if b == nil {
		return errors.New("docx: no book")
	}
	l, err := newLayout(b, opts)
	if err != nil {
		return err
	}
	kw := strings.ToUpper(strings.TrimSpace(opts.Keyword))
	if kw == "" {
		kw = keyword(b.Title)
	}
	mod := b.Modified.UTC()
	if mod.Before(epoch) {
		mod = epoch
	}

	var links []string
	parts := []part{
		{"[Content_Types].xml", func(o out) { writeContentTypes(o, l) }},
		{"_rels/.rels", writePackageRels},
		{"docProps/core.xml", func(o out) { writeCore(o, b, mod) }},
		{"docProps/app.xml", func(o out) { writeApp(o, b) }},
		{"word/document.xml", func(o out) { links = writeDocument(o, b, l) }},
		// After document.xml, which collects the hyperlinks.
		{"word/_rels/document.xml.rels", func(o out) { writeDocumentRels(o, l, links) }},
		{"word/styles.xml", func(o out) { writeStyles(o, l) }},
		{"word/settings.xml", writeSettings},
		{"word/header1.xml", func(o out) { writeHeader(o, b, l, kw) }},
		{"word/header2.xml", writeEmptyHeader},
	}
	if l.script {
		parts = append(parts, part{"word/footer1.xml", func(o out) { writeContactFooter(o, b) }})
	}

	z := zip.NewWriter(w)
	bw := bufio.NewWriterSize(nil, bufSize)
	for _, p := range parts {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return fmt.Errorf("docx: write %s: %w", p.name, err)
		}
		bw.Reset(fw)
		p.write(out{bw})
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("docx: write %s: %w", p.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("docx: finish zip: %w", err)
	}
	return nil
}
