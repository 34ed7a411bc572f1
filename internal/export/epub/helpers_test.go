package epub

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/export/xhtml/xhtmltest"
)

// novelWithCover is the Novel fixture with a generated PNG cover.
func novelWithCover(tb testing.TB) *export.Book {
	b := exporttest.Novel()
	b.Cover = xhtmltest.CoverImage(tb, 600, 900, "image/png")
	return b
}

// write runs Write and fails the test on error.
func write(tb testing.TB, b *export.Book) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, b); err != nil {
		tb.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// unzip returns the entries of an EPUB in order, and their contents by name.
func unzip(tb testing.TB, data []byte) ([]*zip.File, map[string][]byte) {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatalf("read zip: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatalf("open %s: %v", f.Name, err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatalf("read %s: %v", f.Name, err)
		}
		files[f.Name] = body
	}
	return zr.File, files
}
