package storage

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"testing"
)

func testImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 120, A: 255})
		}
	}
	return img
}

func pngFile(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, testImage(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegFile(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gifFile(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, testImage(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngHeader is a PNG signature and IHDR chunk declaring w×h, with no pixel data:
// what an image bomb looks like to whoever reads only the header.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6                               // 8-bit RGBA
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr))) //nolint:errcheck // a bytes.Buffer
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk)) //nolint:errcheck // a bytes.Buffer
	b.Write(make([]byte, 64))
	return b.Bytes()
}

// webpFile is an extended-format (VP8X) WebP header declaring w×h, padded.
func webpFile(w, h int) []byte {
	b := make([]byte, 30, 200)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], 192)
	copy(b[8:], "WEBPVP8X")
	binary.LittleEndian.PutUint32(b[16:], 10)
	w, h = w-1, h-1
	b[24], b[25], b[26] = byte(w), byte(w>>8), byte(w>>16)
	b[27], b[28], b[29] = byte(h), byte(h>>8), byte(h>>16)
	return append(b, make([]byte, 170)...)
}

type zipEntry struct {
	name, body string
	store      bool // uncompressed, as the mimetype entry must be
}

func zipFile(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		method := zip.Deflate
		if e.store {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func docxFile(t *testing.T) []byte {
	t.Helper()
	return zipFile(t,
		zipEntry{name: "[Content_Types].xml", body: `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		zipEntry{name: "_rels/.rels", body: `<?xml version="1.0"?><Relationships/>`},
		zipEntry{name: "word/document.xml", body: `<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>Chapter One</w:t></w:r></w:p></w:body></w:document>`},
	)
}

func odtFile(t *testing.T) []byte {
	t.Helper()
	return zipFile(t,
		zipEntry{name: "mimetype", body: MediaODT, store: true},
		zipEntry{name: "content.xml", body: `<?xml version="1.0"?><office:document-content/>`},
		zipEntry{name: "META-INF/manifest.xml", body: `<?xml version="1.0"?><manifest:manifest/>`},
	)
}

func epubFile(t *testing.T) []byte {
	t.Helper()
	return zipFile(t,
		zipEntry{name: "mimetype", body: MediaEPUB, store: true},
		zipEntry{name: "META-INF/container.xml", body: `<?xml version="1.0"?><container/>`},
	)
}

const fdxFile = `<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<FinalDraft DocumentType="Script" Template="No" Version="5">
  <Content>
    <Paragraph Type="Scene Heading"><Text>INT. LIGHTHOUSE - NIGHT</Text></Paragraph>
    <Paragraph Type="Action"><Text>The lamp turns.</Text></Paragraph>
  </Content>
</FinalDraft>
`

// exeFile starts like a Windows executable.
func exeFile() []byte {
	b := make([]byte, 2048)
	copy(b, "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")
	copy(b[0x80:], "PE\x00\x00")
	return b
}

func pdfFile() []byte {
	return []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// textReader yields n bytes of UTF-8 prose without holding them.
type textReader struct {
	n   int64
	pos int64
}

const prose = "It was the best of times, it was the worst of times — l’âge de la sagesse.\n"

func (r *textReader) Read(p []byte) (int, error) {
	if r.pos >= r.n {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.pos < r.n {
		c := copy(p[k:min(len(p), k+int(r.n-r.pos))], prose[r.pos%int64(len(prose)):])
		k += c
		r.pos += int64(c)
	}
	return k, nil
}

// text returns about n bytes of the same prose, cut at a repetition's end.
func text(n int) []byte {
	b, _ := io.ReadAll(&textReader{n: proseLen(int64(n))})
	return b
}

// proseLen rounds n down to whole repetitions of prose, so text cut there is
// still valid UTF-8.
func proseLen(n int64) int64 { return n / int64(len(prose)) * int64(len(prose)) }
