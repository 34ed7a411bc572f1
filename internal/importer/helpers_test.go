package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
)

// readFixture returns the bytes of a file under testdata.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// zipDir zips the files under testdata/dir into an archive, deflated, with
// [Content_Types].xml first as Word writes it.
func zipDir(t testing.TB, dir string) []byte {
	t.Helper()
	root := filepath.Join("testdata", dir)
	parts := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		parts[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return zipParts(t, parts)
}

// zipParts builds a zip archive of the given parts (deflated), with
// [Content_Types].xml first when present and the rest in name order.
func zipParts(t testing.TB, parts map[string][]byte) []byte {
	t.Helper()
	return zipWith(t, parts, zip.Deflate)
}

// zipWith is zipParts with the given compression method.
func zipWith(t testing.TB, parts map[string][]byte, method uint16) []byte {
	t.Helper()
	var names []string
	for n := range parts {
		names = append(names, n)
	}
	sortNames(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(parts[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sortNames(names []string) {
	const first = "[Content_Types].xml"
	slices.SortFunc(names, func(a, b string) int {
		switch {
		case a == first:
			return -1
		case b == first:
			return 1
		}
		return strings.Compare(a, b)
	})
}

// minimalDOCX returns a Word document whose main part is body.
func minimalDOCX(t testing.TB, documentXML string) []byte {
	t.Helper()
	return zipParts(t, map[string][]byte{
		"[Content_Types].xml": []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`),
		"word/document.xml":   []byte(documentXML),
	})
}

// wordBody wraps paragraphs' XML in a Word document part.
func wordBody(paras string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>` + paras + `</w:body></w:document>`
}

// parse runs Parse over b.
func parse(t testing.TB, b []byte, f Format, o Options) (*Manuscript, error) {
	t.Helper()
	return Parse(bytes.NewReader(b), int64(len(b)), f, o)
}

// mustParse runs Parse over b and fails on an error; it checks that every
// chapter's document is valid and its word count right.
func mustParse(t testing.TB, b []byte, f Format, o Options) *Manuscript {
	t.Helper()
	m, err := parse(t, b, f, o)
	if err != nil {
		t.Fatalf("Parse(%s): %v", f, err)
	}
	for i, c := range m.Chapters {
		if err := c.Doc.Validate(); err != nil {
			t.Fatalf("chapter %d (%q): invalid document: %v", i+1, c.Title, err)
		}
		if c.Words != c.Doc.WordCount() {
			t.Errorf("chapter %d (%q): Words = %d, want %d", i+1, c.Title, c.Words, c.Doc.WordCount())
		}
	}
	return m
}

func titles(m *Manuscript) []string {
	var s []string
	for _, c := range m.Chapters {
		s = append(s, c.Title)
	}
	return s
}

func words(m *Manuscript) []int {
	var s []int
	for _, c := range m.Chapters {
		s = append(s, c.Words)
	}
	return s
}

// types lists the block types of d.
func types(d document.Doc) []string {
	var s []string
	for _, b := range d {
		s = append(s, string(b.Type))
	}
	return s
}

// findLeaf returns the leaf of d whose text is text (in a link or not) and
// whether it sits in a link, failing when there is none.
func findLeaf(t testing.TB, d document.Doc, text string) (document.Leaf, *document.Link) {
	t.Helper()
	for _, b := range d {
		for _, in := range b.Children {
			if in.Link == nil {
				if in.Leaf.Text == text {
					return in.Leaf, nil
				}
				continue
			}
			for _, lf := range in.Link.Children {
				if lf.Text == text {
					return lf, in.Link
				}
			}
		}
	}
	t.Fatalf("no leaf %q in\n%s", text, d.PlainText())
	return document.Leaf{}, nil
}

// blockText returns the text of block i of d.
func blockText(d document.Doc, i int) string {
	if i >= len(d) {
		return ""
	}
	return inlineText(d[i].Children)
}

// Budgets every refusal must keep: hostile files cost nothing.
const (
	// refuseHang only catches a parser that runs away (a bomb being inflated);
	// it is not a speed target: on a loaded machine a cheap refusal has taken 8 s.
	// How cheap a refusal is, is held by refuseAlloc, which does not depend on load.
	refuseHang  = time.Minute
	refuseAlloc = 32 << 20
)

// refused runs fn, which must fail with an *errs.Error of kind want whose
// message contains each of msgs, allocating at most refuseAlloc bytes in all.
func refused(t *testing.T, fn func() error, want errs.Kind, msgs ...string) {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	err := fn()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want an *errs.Error of kind %d", err, err, want)
	}
	if e.Kind != want {
		t.Errorf("kind = %d, want %d; message %q", e.Kind, want, e.Message)
	}
	for _, m := range msgs {
		if !strings.Contains(e.Message, m) {
			t.Errorf("message %q does not contain %q", e.Message, m)
		}
	}
	if elapsed > refuseHang {
		t.Errorf("refusal took %v: the parser ran away", elapsed)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > refuseAlloc {
		t.Errorf("refusal allocated %d bytes, want <= %d", alloc, refuseAlloc)
	}
	t.Logf("refused in %v, %d KiB allocated: %s", elapsed.Round(time.Millisecond), (after.TotalAlloc-before.TotalAlloc)>>10, e.Message)
}
