// Package epub writes a Book as an EPUB 3.2 publication that EPUBCheck 4.2.6
// accepts without errors or warnings: a cover, a title page, a table of
// contents (navigation document and, for older readers, an NCX), one XHTML file
// per chapter, a stylesheet, and the package metadata and accessibility
// metadata (EPUB Accessibility 1.1, WCAG 2.1 AA) that stores and the European
// Accessibility Act ask for.
//
// Output is deterministic: the same Book gives the same bytes, with every zip
// entry dated Book.Modified, so exports can be compared and cached.
package epub

import (
	"archive/zip"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"time"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/xhtml"
)

// MediaType is the media type of an EPUB file.
const MediaType = "application/epub+zip"

// dir is the folder of the publication's files inside the container.
const dir = "EPUB/"

// Write writes b to w as an EPUB 3 file. b must have an ID that is a UUID (the
// publication's identifier is urn:uuid:ID), a modification time, at least one
// chapter, a well-formed BCP 47 language tag or none ("und" is declared), and
// a JPEG, PNG or GIF cover if any. An empty title is written as "Untitled",
// an empty chapter title as "Chapter N".
//
// Images inside chapters refer to stored files by id and the Book carries no
// bytes for them, so they are written as their alt text and caption (see
// xhtml.AppendDoc); only the cover is embedded.
func Write(w io.Writer, b *export.Book) error {
	p, err := newPlan(b)
	if err != nil {
		return fmt.Errorf("epub: %w", err)
	}
	zw := zip.NewWriter(w)
	if err := writeMimetype(zw, p.zipTime); err != nil {
		return fmt.Errorf("epub: write mimetype: %w", err)
	}
	var buf []byte
	file := func(name string, data []byte) error {
		method := zip.Deflate
		if p.cover != nil && name == dir+p.cover.name {
			method = zip.Store // JPEG, PNG and GIF are compressed already
		}
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: p.zipTime})
		if err == nil {
			_, err = f.Write(data)
		}
		if err != nil {
			return fmt.Errorf("epub: write %s: %w", name, err)
		}
		return nil
	}
	if err := file("META-INF/container.xml", []byte(containerXML)); err != nil {
		return err
	}
	parts := []part{
		{"package.opf", p.packageDoc},
		{navFile, p.navDoc},
		{"toc.ncx", p.ncx},
		{cssFile, stylesheet},
	}
	if p.cover != nil {
		parts = append(parts, part{coverPage, p.coverDoc})
	}
	parts = append(parts, part{titlePage, p.titleDoc})
	for _, pt := range parts {
		buf = pt.render(buf[:0])
		if err := file(dir+pt.name, buf); err != nil {
			return err
		}
	}
	if p.cover != nil {
		if err := file(dir+p.cover.name, b.Cover.Data); err != nil {
			return err
		}
	}
	for i := range p.chapters {
		buf = p.chapterDoc(buf[:0], i)
		if err := file(dir+p.chapters[i].file, buf); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("epub: finish zip: %w", err)
	}
	return nil
}

// writeMimetype writes the first entry: "application/epub+zip", stored, with
// no extra field and no data descriptor, as OCF requires.
func writeMimetype(zw *zip.Writer, t time.Time) error {
	fh := &zip.FileHeader{
		Name:               "mimetype",
		Method:             zip.Store,
		CRC32:              crc32.ChecksumIEEE([]byte(MediaType)),
		CompressedSize64:   uint64(len(MediaType)),
		UncompressedSize64: uint64(len(MediaType)),
	}
	// CreateRaw writes only the MS-DOS date fields; Modified would add an
	// extended-timestamp extra field, which OCF forbids on this entry.
	fh.ModifiedDate, fh.ModifiedTime = msDosTime(t) //nolint:staticcheck // SA1019: the only way to date an entry without an extra field
	f, err := zw.CreateRaw(fh)
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, MediaType)
	return err
}

// msDosTime encodes t (already clamped to 1980–2107) as MS-DOS date and time.
func msDosTime(t time.Time) (date, clock uint16) {
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	clock = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, clock
}

const containerXML = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="` + dir + `package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
`

// File names inside dir.
const (
	navFile   = "nav.xhtml"
	cssFile   = "book.css"
	coverPage = "cover.xhtml"
	titlePage = "title.xhtml"
)

// part is a generated file of the publication and the function that renders it.
type part struct {
	name   string
	render func(dst []byte) []byte
}

// plan is a validated Book with the names of the files it becomes.
type plan struct {
	b        *export.Book
	id       string // urn:uuid:…
	lang     string
	title    string
	modified string    // dcterms:modified
	zipTime  time.Time // the date of every zip entry
	cover    *coverFile
	chapters []chapterFile
}

type coverFile struct {
	name, mediaType string
}

type chapterFile struct {
	file, id, anchor, title string
}

func newPlan(b *export.Book) (*plan, error) {
	if b == nil {
		return nil, errors.New("no book")
	}
	if !isUUID(b.ID) {
		return nil, fmt.Errorf("book id %q is not a UUID", b.ID)
	}
	if b.Modified.IsZero() {
		return nil, errors.New("book has no modification time")
	}
	if len(b.Chapters) == 0 {
		return nil, errors.New("book has no chapters")
	}
	lang, err := xhtml.Language(b.Language)
	if err != nil {
		return nil, err
	}
	mod := b.Modified.UTC().Truncate(time.Second)
	p := &plan{
		b:        b,
		id:       "urn:uuid:" + strings.ToLower(b.ID),
		lang:     lang,
		title:    xhtml.BookTitle(b),
		modified: mod.Format("2006-01-02T15:04:05Z"),
		zipTime:  clampZipTime(mod),
	}
	if c := b.Cover; c != nil {
		ext, ok := map[string]string{"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif"}[c.MediaType]
		switch {
		case !ok:
			return nil, fmt.Errorf("cover media type %q is not image/jpeg, image/png or image/gif", c.MediaType)
		case len(c.Data) == 0:
			return nil, errors.New("cover image has no data")
		}
		p.cover = &coverFile{name: "cover." + ext, mediaType: c.MediaType}
	}
	for i, c := range b.Chapters {
		n := fmt.Sprintf("%03d", i+1)
		p.chapters = append(p.chapters, chapterFile{
			file: "chapter-" + n + ".xhtml", id: "chapter-" + n,
			anchor: fmt.Sprintf("chapter-%d", i+1), title: xhtml.ChapterTitle(c, i),
		})
	}
	return p, nil
}

// clampZipTime keeps t within the years MS-DOS dates can hold.
func clampZipTime(t time.Time) time.Time {
	lo := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	hi := time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
	switch {
	case t.Before(lo):
		return lo
	case t.After(hi):
		return hi
	}
	return t
}

// isUUID reports whether s has the 8-4-4-4-12 hexadecimal form of a UUID.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
