package importer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/errs"
)

const (
	xmlHead   = `<?xml version="1.0" encoding="UTF-8"?>`
	bombStart = xmlHead + `<w:document xmlns:w="` + nsW + `"><w:body><w:p><w:r><w:t>`
	bombEnd   = `</w:t></w:r></w:p></w:body></w:document>`
)

// bombDOCX returns a DOCX-shaped zip whose word/document.xml is one
// paragraph holding size bytes of '0' (size a multiple of 1 MiB). It never
// holds those bytes: deflate output flushed at a byte boundary can be
// concatenated, so the compressed form of 1 MiB of '0' is repeated. The
// headers state the true uncompressed size, or declared when it is not 0.
func bombDOCX(t testing.TB, size, declared int64) []byte {
	t.Helper()
	flushed := func(b []byte) []byte {
		var buf bytes.Buffer
		fw, err := flate.NewWriter(&buf, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := fw.Flush(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	crc := crc32.NewIEEE()
	var comp bytes.Buffer
	comp.Write(flushed([]byte(bombStart)))
	crc.Write([]byte(bombStart))
	chunk := bytes.Repeat([]byte("0"), 1<<20)
	packed := flushed(chunk)
	for i := int64(0); i < size>>20; i++ {
		comp.Write(packed)
		crc.Write(chunk)
	}
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write([]byte(bombEnd)); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	crc.Write([]byte(bombEnd))
	total := int64(len(bombStart)) + size + int64(len(bombEnd))
	if declared == 0 {
		declared = total
	}
	return rawZip(t, "word/document.xml", comp.Bytes(), crc.Sum32(), uint64(declared))
}

// rawZip returns a zip holding [Content_Types].xml and one part given as
// deflated bytes with the CRC and the uncompressed size to declare.
func rawZip(t testing.TB, name string, deflated []byte, crc uint32, declared uint64) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.Create("[Content_Types].xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(xmlHead + `<Types/>`)); err != nil {
		t.Fatal(err)
	}
	w, err = zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(deflated)), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(deflated); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// deflate compresses b.
func deflate(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// manyEntries returns a zip of n empty stored entries plus a Word main part.
func manyEntries(t testing.TB, n int) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(wordBody(`<w:p><w:r><w:t>Hi.</w:t></w:r></w:p>`))); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("x/%d", i), Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// failingReader fails the test when read: refusing by size must not read.
type failingReader struct{ t *testing.T }

func (f failingReader) ReadAt([]byte, int64) (int, error) {
	f.t.Error("the file was read")
	return 0, fmt.Errorf("read")
}

const billionLaughs = xmlHead + `<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>`

func TestHostileFiles(t *testing.T) {
	docx := readFixture(t, "novel.docx")
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 2000)...)
	for _, tc := range []struct {
		name   string
		build  func(t *testing.T) []byte
		format Format
		opts   Options
		kind   errs.Kind
		msgs   []string
	}{
		{
			name:   "zip bomb: 1 GB of zeros, sizes declared",
			build:  func(t *testing.T) []byte { return bombDOCX(t, 1<<30, 0) },
			format: DOCX, kind: errs.TooLarge, msgs: []string{"zip bomb", "word/document.xml"},
		},
		{
			name:   "zip bomb: 1 GB of zeros, headers lie",
			build:  func(t *testing.T) []byte { return bombDOCX(t, 1<<30, 10_000) },
			format: DOCX, kind: errs.TooLarge, msgs: []string{"zip bomb", "times its packed size"},
		},
		{
			name: "part larger than the limit, headers lie",
			build: func(t *testing.T) []byte {
				r := rand.New(rand.NewPCG(1, 2))
				var b strings.Builder
				b.WriteString(bombStart)
				for b.Len() < 3<<20 {
					fmt.Fprintf(&b, "%x ", r.Uint64())
				}
				b.WriteString(bombEnd)
				return rawZip(t, "word/document.xml", deflate(t, []byte(b.String())), 0, 1000)
			},
			format: DOCX, opts: Options{MaxPartBytes: 1 << 20}, kind: errs.TooLarge, msgs: []string{"unpacks to", "zip bomb"},
		},
		{
			name: "markup without text",
			build: func(t *testing.T) []byte {
				r := rand.New(rand.NewPCG(3, 4))
				var b strings.Builder
				for range 40_000 {
					fmt.Fprintf(&b, `<w:p w:rsidR="%08X"><w:r w:rsidRPr="%08X"><w:rPr><w:sz w:val="%d"/></w:rPr></w:r></w:p>`, r.Uint32(), r.Uint32(), r.IntN(99))
				}
				return minimalDOCX(t, wordBody(b.String()))
			},
			format: DOCX, opts: Options{MaxElements: 100_000}, kind: errs.TooLarge, msgs: []string{"more than 100,000 XML elements"},
		},
		{
			name: "styles part over its limit",
			build: func(t *testing.T) []byte {
				return zipParts(t, map[string][]byte{
					"word/document.xml": []byte(wordBody(`<w:p><w:r><w:t>Hi.</w:t></w:r></w:p>`)),
					"word/styles.xml":   bytes.Repeat([]byte("<!-- padding -->"), 600_000),
				})
			},
			format: DOCX, kind: errs.TooLarge, msgs: []string{"word/styles.xml", "9.2 MB or more", "8 MB"},
		},
		{
			name: "billion laughs in word/document.xml",
			build: func(t *testing.T) []byte {
				return minimalDOCX(t, billionLaughs+wordBody("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>")[len(xmlHead):])
			},
			format: DOCX, kind: errs.Invalid, msgs: []string{"DOCTYPE", "refused for safety"},
		},
		{
			name: "external entity",
			build: func(t *testing.T) []byte {
				return minimalDOCX(t, xmlHead+`<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`+wordBody("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>")[len(xmlHead):])
			},
			format: DOCX, kind: errs.Invalid, msgs: []string{"DOCTYPE"},
		},
		{
			name:   "undeclared entity",
			build:  func(t *testing.T) []byte { return minimalDOCX(t, wordBody("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>")) },
			format: DOCX, kind: errs.Invalid, msgs: []string{"damaged", "not well-formed"},
		},
		{
			name:   "10,000 entries",
			build:  func(t *testing.T) []byte { return manyEntries(t, 10_000) },
			format: DOCX, kind: errs.TooLarge, msgs: []string{"more than 1,000 parts"},
		},
		{
			name: "10,000 entries, directory end claims 2",
			build: func(t *testing.T) []byte {
				b := manyEntries(t, 10_000)
				end := bytes.LastIndex(b, []byte("PK\x05\x06"))
				binary.LittleEndian.PutUint16(b[end+8:], 2)
				binary.LittleEndian.PutUint16(b[end+10:], 2)
				return b
			},
			format: DOCX, kind: errs.TooLarge, msgs: []string{"more than 1,000 parts"},
		},
		{
			name:   "truncated zip",
			build:  func(t *testing.T) []byte { return docx[:len(docx)/2] },
			format: DOCX, kind: errs.Invalid, msgs: []string{"damaged", "not a complete zip archive"},
		},
		{
			name: "corrupt compressed data",
			build: func(t *testing.T) []byte {
				b := bytes.Clone(docx)
				zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range zr.File {
					if f.Name == "word/document.xml" {
						off, err := f.DataOffset()
						if err != nil {
							t.Fatal(err)
						}
						for i := int64(100); i < 400; i++ {
							b[off+i] ^= 0x5a
						}
					}
				}
				return b
			},
			format: DOCX, kind: errs.Invalid, msgs: []string{"damaged"},
		},
		{
			name:   "PNG named .docx",
			build:  func(t *testing.T) []byte { return png },
			format: DOCX, kind: errs.UnsupportedMedia, msgs: []string{"PNG image", "not a Word document"},
		},
		{
			name:   "PNG as plain text",
			build:  func(t *testing.T) []byte { return png },
			format: PlainText, kind: errs.UnsupportedMedia, msgs: []string{"PNG image"},
		},
		{
			name: "zip without word/document.xml",
			build: func(t *testing.T) []byte {
				return zipParts(t, map[string][]byte{"photos/a.txt": []byte("hello")})
			},
			format: DOCX, kind: errs.UnsupportedMedia, msgs: []string{"not a Word document", "word/document.xml"},
		},
		{
			name: "spreadsheet named .docx",
			build: func(t *testing.T) []byte {
				return zipParts(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "xl/workbook.xml": []byte("<workbook/>")})
			},
			format: DOCX, kind: errs.UnsupportedMedia, msgs: []string{"Excel spreadsheet"},
		},
		{
			name: "Word file as ODT",
			build: func(t *testing.T) []byte {
				return docx
			},
			format: ODT, kind: errs.UnsupportedMedia, msgs: []string{"Word document, not an OpenDocument file"},
		},
		{
			name:   "invalid UTF-8 in a Word document",
			build:  func(t *testing.T) []byte { return minimalDOCX(t, wordBody("<w:p><w:r><w:t>caf\xe9</w:t></w:r></w:p>")) },
			format: DOCX, kind: errs.Invalid, msgs: []string{"not valid UTF-8"},
		},
		{
			name:   "invalid UTF-8 in plain text",
			build:  func(t *testing.T) []byte { return []byte("Chapter 1\n\nCaf\xe9 au lait.\n") },
			format: PlainText, kind: errs.Invalid, msgs: []string{"not UTF-8 text", "line 3", "Windows-1252"},
		},
		{
			name:   "invalid UTF-8 in Markdown",
			build:  func(t *testing.T) []byte { return []byte("# One\n\n\x80\x81\n") },
			format: Markdown, kind: errs.Invalid, msgs: []string{"not UTF-8 text"},
		},
		{
			name: "invalid UTF-8 in FDX",
			build: func(t *testing.T) []byte {
				return []byte(xmlHead + "<FinalDraft><Content><Paragraph Type=\"Action\"><Text>\xff</Text></Paragraph></Content></FinalDraft>")
			},
			format: FDX, kind: errs.Invalid, msgs: []string{"not valid UTF-8"},
		},
		{
			name: "nesting 100,000 deep",
			build: func(t *testing.T) []byte {
				return minimalDOCX(t, wordBody("<w:p>"+strings.Repeat("<w:ins>", 100_000)+strings.Repeat("</w:ins>", 100_000)+"</w:p>"))
			},
			format: DOCX, kind: errs.Invalid, msgs: []string{"256 levels deep"},
		},
		{
			name:   "file over the size limit",
			format: DOCX, kind: errs.TooLarge, msgs: []string{"This file is 57.2 MB", "at most 50 MB"},
		},
		{
			name: "billion laughs in FDX",
			build: func(t *testing.T) []byte {
				return []byte(billionLaughs + `<FinalDraft><Content><Paragraph><Text>&lol9;</Text></Paragraph></Content></FinalDraft>`)
			},
			format: FDX, kind: errs.Invalid, msgs: []string{"DOCTYPE"},
		},
		{
			name:   "FDX in another encoding",
			build:  func(t *testing.T) []byte { return []byte(`<?xml version="1.0" encoding="windows-1252"?><FinalDraft/>`) },
			format: FDX, kind: errs.Invalid, msgs: []string{`"windows-1252"`, "only UTF-8"},
		},
		{
			name:   "XML that is not FDX",
			build:  func(t *testing.T) []byte { return []byte(xmlHead + `<html><body>x</body></html>`) },
			format: FDX, kind: errs.UnsupportedMedia, msgs: []string{"not a Final Draft script"},
		},
		{
			name:   "Word file as FDX",
			build:  func(t *testing.T) []byte { return docx },
			format: FDX, kind: errs.UnsupportedMedia, msgs: []string{"zip archive"},
		},
		{
			name: "DOCTYPE in ODT",
			build: func(t *testing.T) []byte {
				return zipParts(t, map[string][]byte{
					"mimetype":    []byte("application/vnd.oasis.opendocument.text"),
					"content.xml": []byte(billionLaughs + `<office:document-content xmlns:office="` + nsOffice + `"/>`),
				})
			},
			format: ODT, kind: errs.Invalid, msgs: []string{"DOCTYPE"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.build == nil {
				refused(t, func() error { _, err := Parse(failingReader{t}, 60_000_000, tc.format, tc.opts); return err }, tc.kind, tc.msgs...)
				return
			}
			b := tc.build(t)
			refused(t, func() error { _, err := parse(t, b, tc.format, tc.opts); return err }, tc.kind, tc.msgs...)
		})
	}
}

// The bomb is refused however it is named, and Detect does not read past the
// head it is given.
func TestBombDetect(t *testing.T) {
	b := bombDOCX(t, 64<<20, 0)
	f, err := Detect(b[:SniffLen], "bomb.docx")
	if err != nil || f != DOCX {
		t.Fatalf("Detect = %q, %v", f, err)
	}
}
