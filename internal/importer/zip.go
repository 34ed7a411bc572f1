package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"hash"
	"hash/crc32"
	"io"

	"github.com/authorworks/authorworks/internal/errs"
)

// container is a zip container (DOCX, ODT) opened to read a few of its parts.
type container struct {
	j     *job
	kind  string // what the file should be, for messages: "Word document"
	files map[string]*zip.File
}

// openZip opens r as a zip container of the given kind, after checking that
// it is a zip and does not hold too many entries.
func (j *job) openZip(r io.ReaderAt, size int64, kind string) (*container, error) {
	head := make([]byte, min(size, SniffLen))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, &errs.Error{Kind: errs.Internal, Message: "The file could not be read.", Err: err}
	}
	if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return nil, notA(kind, head)
	}
	n, err := countEntries(r, size, j.o.MaxEntries)
	if err != nil {
		return nil, &errs.Error{Kind: errs.Internal, Message: "The file could not be read.", Err: err}
	}
	if n > j.o.MaxEntries {
		return nil, errs.E(errs.TooLarge, "This file packs more than %s parts; a %s holds a few dozen. It was refused as a possible zip bomb.", count(j.o.MaxEntries), kind)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, damaged(kind, "it is not a complete zip archive", err)
	}
	c := &container{j: j, kind: kind, files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		if _, dup := c.files[f.Name]; !dup {
			c.files[f.Name] = f
		}
	}
	return c, nil
}

// centralSig opens each central-directory record of a zip archive.
var centralSig = []byte("PK\x01\x02")

// countEntries counts the central-directory signatures in the file, an upper
// bound on the entries any zip reader lists.
// archive/zip allocates a File for every record it finds (and reads past the
// count the directory end declares), so the count must be bounded before
// zip.NewReader runs.
func countEntries(r io.ReaderAt, size int64, limit int) (int, error) {
	const chunk = 64 << 10
	buf := make([]byte, chunk+len(centralSig)-1)
	n, carry := 0, 0
	for off := int64(0); off < size; {
		k, err := r.ReadAt(buf[carry:carry+int(min(chunk, size-off))], off)
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		if k == 0 {
			break
		}
		off += int64(k)
		b := buf[:carry+k]
		n += bytes.Count(b, centralSig)
		if n > limit {
			return n, nil
		}
		carry = copy(buf, b[max(0, len(b)-(len(centralSig)-1)):])
	}
	return n, nil
}

// has reports whether the container holds a part.
func (c *container) has(name string) bool { return c.files[name] != nil }

// maxAuxPartBytes caps the parts beside the text (relationships, styles,
// metadata), which are kilobytes in real files.
const maxAuxPartBytes = 8 << 20

// open returns a reader of the main text part (word/document.xml,
// content.xml) limited to MaxPartBytes; see openLimited.
func (c *container) open(name string) (io.Reader, error) {
	return c.openLimited(name, c.j.o.MaxPartBytes)
}

// openAux returns a reader of a part beside the text, limited to
// maxAuxPartBytes (or MaxPartBytes when that is smaller).
func (c *container) openAux(name string) (io.Reader, error) {
	return c.openLimited(name, min(c.j.o.MaxPartBytes, maxAuxPartBytes))
}

// openLimited returns a reader of a part's uncompressed bytes that fails
// with a TooLarge error once more than limit bytes come out, or once the
// part unpacks to more than MaxRatio times the compressed bytes read so far
// (after its first MiB). A part that is missing gives a nil reader.
func (c *container) openLimited(name string, limit int64) (io.Reader, error) {
	f := c.files[name]
	if f == nil {
		return nil, nil
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, c.bomb(name, int64(min(f.UncompressedSize64, 1<<62)), limit)
	}
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, damaged(c.kind, "one of its parts is unreadable", err)
	}
	counted := &countingReader{r: raw}
	p := &partReader{c: c, name: name, raw: counted, max: limit, ratio: int64(c.j.o.MaxRatio), crc: crc32.NewIEEE(), want: f.CRC32}
	switch f.Method {
	case zip.Store:
		p.src = counted
	case zip.Deflate:
		p.src = flate.NewReader(bufio.NewReader(counted))
	default:
		return nil, errs.E(errs.UnsupportedMedia, "This %s uses a compression method (%d) that isn't supported. Open it in your word processor and save it again.", c.kind, f.Method)
	}
	return p, nil
}

func (c *container) bomb(name string, n, limit int64) error {
	return errs.E(errs.TooLarge, "This %s's part %s unpacks to %s or more, more than the %s a manuscript can take. It was refused as a possible zip bomb.", c.kind, name, byteSize(n), byteSize(limit))
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	k, err := c.r.Read(b)
	c.n += int64(k)
	return k, err
}

// partReader is the limited, checked reader of one part.
type partReader struct {
	c     *container
	name  string
	src   io.Reader       // uncompressed bytes
	raw   *countingReader // compressed bytes consumed
	n     int64           // uncompressed bytes produced
	max   int64
	ratio int64
	crc   hash.Hash32
	want  uint32
	err   error
}

// ratioFloor is how much of a part is read before its compression ratio is
// checked: small parts may compress well without being bombs.
const ratioFloor = 1 << 20

func (p *partReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	k, err := p.src.Read(b)
	p.n += int64(k)
	switch {
	case p.n > p.max:
		p.err = p.c.bomb(p.name, p.n, p.max)
		return 0, p.err
	case p.n > ratioFloor && p.n > p.ratio*max(p.raw.n, 1):
		p.err = errs.E(errs.TooLarge, "This %s's part %s unpacks to more than %d times its packed size, which no real document does. It was refused as a possible zip bomb.", p.c.kind, p.name, p.ratio)
		return 0, p.err
	}
	p.crc.Write(b[:k])
	switch {
	case errors.Is(err, io.EOF):
		if p.crc.Sum32() != p.want {
			p.err = damaged(p.c.kind, "a checksum does not match", nil)
			return 0, p.err
		}
		p.err = io.EOF
	case err != nil:
		p.err = damaged(p.c.kind, "one of its parts is corrupt", err)
		return 0, p.err
	}
	return k, err
}

// damaged is the error for a container or XML part that cannot be read.
func damaged(kind, why string, err error) error {
	return &errs.Error{Kind: errs.Invalid, Err: err,
		Message: "This " + kind + " is damaged (" + why + "). If it opens in your word processor, save it again under a new name and upload that."}
}
