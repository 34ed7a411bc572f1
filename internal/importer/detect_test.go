package importer

import (
	"errors"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/errs"
)

func TestDetect(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	docx := readFixture(t, "novel.docx")
	odt := readFixture(t, "novel.odt")
	for _, tc := range []struct {
		name string
		head []byte
		file string
		want Format
		err  string // part of the UnsupportedMedia message, when refused
	}{
		{"docx", docx, "novel.docx", DOCX, ""},
		{"docx renamed", docx, "novel.bin", DOCX, ""},
		{"odt", odt, "novel.odt", ODT, ""},
		{"odt named docx", odt, "novel.docx", ODT, ""},
		{"markdown", []byte("# One\n\nText."), "a.md", Markdown, ""},
		{"markdown sniffed", []byte("Intro.\n\n# One\n\nText."), "notes", Markdown, ""},
		{"fountain", []byte("Title: X\n\nINT. HOUSE - DAY\n\nA room."), "x.fountain", Fountain, ""},
		{"fountain as txt", []byte("Title: X\n\nINT. HOUSE - DAY\n\nA room."), "x.txt", Fountain, ""},
		{"text", []byte("Chapter 1\n\nIt was a dark night."), "story.txt", PlainText, ""},
		{"text with title key", []byte("Title: A Novel\nAuthor: Me\n\nChapter 1"), "story.txt", PlainText, ""},
		{"fdx", []byte(`<?xml version="1.0"?><FinalDraft DocumentType="Script">`), "s.fdx", FDX, ""},
		{"fdx unnamed", []byte(`<?xml version="1.0"?>` + "\n" + `<FinalDraft>`), "", FDX, ""},
		{"png named docx", png, "cover.docx", "", "“cover.docx” is a PNG image"},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "me.jpg", "", "JPEG image"},
		{"pdf", []byte("%PDF-1.7\n"), "book.pdf", "", "export your manuscript"},
		{"old doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), "book.doc", "", "save it as .docx"},
		{"rtf", []byte(`{\rtf1\ansi`), "book.rtf", "", "Rich Text"},
		{"epub", []byte("PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00mimetypeapplication/epub+zip"), "book.epub", "", "EPUB"},
		{"xlsx", []byte("PK\x03\x04....[Content_Types].xml....xl/workbook.xml"), "data.xlsx", "", "Excel"},
		{"zip", []byte("PK\x03\x04....photos/1.jpg"), "photos.zip", "", "a zip archive"},
		{"text named docx", []byte("Chapter 1\n\nText."), "novel.docx", "", "holds plain text"},
		{"html", []byte("<!DOCTYPE html><html><body>x"), "page.html", "", "web page"},
		{"other xml", []byte(`<?xml version="1.0"?><book/>`), "book.xml", "", "XML file"},
		{"xml named fdx", []byte(`<?xml version="1.0"?><book/>`), "s.fdx", "", "not a Final Draft script"},
		{"binary", []byte("\x00\x01\x02garbage"), "x.txt", "", "binary file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head := tc.head[:min(len(tc.head), SniffLen)]
			got, err := Detect(head, tc.file)
			if tc.err == "" {
				if err != nil || got != tc.want {
					t.Fatalf("Detect = %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.UnsupportedMedia || !strings.Contains(e.Message, tc.err) {
				t.Fatalf("Detect = %q, %v; want UnsupportedMedia containing %q", got, err, tc.err)
			}
		})
	}
}
