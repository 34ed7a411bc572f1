package storage

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"

	"github.com/authorworks/authorworks/internal/blob"
	"github.com/authorworks/authorworks/internal/errs"
)

// Image dimensions accepted: every image must fit maxSide and maxPixels (a small
// file can declare a huge canvas, and whoever decodes it later pays); covers
// must also be at least minCoverSide on each side.
const (
	maxSide      = 16384
	maxPixels    = 80_000_000
	minCoverSide = 100
	// imageHeadLen is how far into an image its dimensions must be found.
	imageHeadLen = 1 << 20
	// maxZipEntries caps the central directory of an uploaded archive; a
	// manuscript has a few dozen entries.
	maxZipEntries = 10000
	// xmlHeadLen is how far into an FDX its root element must start.
	xmlHeadLen = 64 << 10
)

// verify checks a stored object against the media type its first bytes suggested,
// reading only what it must (an image's header, a ZIP's central directory, an XML
// document's prologue), and returns the final media type.
func verify(ctx context.Context, store blob.Store, key string, size int64, mt string, purpose Purpose) (string, error) {
	switch mt {
	case MediaJPEG, MediaPNG, MediaGIF, MediaWebP:
		return mt, verifyImage(ctx, store, key, size, mt, purpose)
	case mediaZip, MediaODT:
		return verifyZip(ctx, store, key, size, mt)
	case MediaFDX:
		return mt, verifyFDX(ctx, store, key, size)
	}
	return mt, nil
}

func readHead(ctx context.Context, store blob.Store, key string, size, n int64) (io.ReadCloser, error) {
	rc, _, err := store.Get(ctx, key, &blob.Range{Offset: 0, Length: min(size, n)})
	if err != nil {
		return nil, fmt.Errorf("storage: read back %s: %w", key, err)
	}
	return rc, nil
}

func verifyImage(ctx context.Context, store blob.Store, key string, size int64, mt string, purpose Purpose) error {
	rc, err := readHead(ctx, store, key, size, imageHeadLen)
	if err != nil {
		return err
	}
	defer rc.Close()
	var cfg image.Config
	switch mt {
	case MediaJPEG:
		cfg, err = jpeg.DecodeConfig(rc)
	case MediaPNG:
		cfg, err = png.DecodeConfig(rc)
	case MediaGIF:
		cfg, err = gif.DecodeConfig(rc)
	case MediaWebP:
		cfg, err = webpConfig(rc)
	}
	if err != nil {
		return errs.E(errs.UnsupportedMedia, "the %s is damaged: its header cannot be read", describe(mt))
	}
	w, h := cfg.Width, cfg.Height
	switch {
	case w < 1 || h < 1 || w > maxSide || h > maxSide || int64(w)*int64(h) > maxPixels:
		return errs.E(errs.UnsupportedMedia, "the image is %d×%d pixels; images may be at most %d pixels a side and %d megapixels",
			w, h, maxSide, maxPixels/1_000_000)
	case purpose == PurposeCover && (w < minCoverSide || h < minCoverSide):
		return errs.E(errs.UnsupportedMedia, "the cover is %d×%d pixels; a cover must be at least %d pixels a side", w, h, minCoverSide)
	}
	return nil
}

// webpConfig reads the canvas size from a WebP header: lossy (VP8), lossless
// (VP8L) or extended (VP8X).
func webpConfig(r io.Reader) (image.Config, error) {
	var b [30]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return image.Config{}, err
	}
	if string(b[0:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return image.Config{}, errors.New("not a WebP file")
	}
	var w, h int
	switch string(b[12:16]) {
	case "VP8 ":
		if b[23] != 0x9d || b[24] != 0x01 || b[25] != 0x2a {
			return image.Config{}, errors.New("bad VP8 start code")
		}
		w = int(binary.LittleEndian.Uint16(b[26:]) & 0x3fff)
		h = int(binary.LittleEndian.Uint16(b[28:]) & 0x3fff)
	case "VP8L":
		if b[20] != 0x2f {
			return image.Config{}, errors.New("bad VP8L signature")
		}
		bits := binary.LittleEndian.Uint32(b[21:])
		w = int(bits&0x3fff) + 1
		h = int(bits>>14&0x3fff) + 1
	case "VP8X":
		w = int(uint32(b[24])|uint32(b[25])<<8|uint32(b[26])<<16) + 1
		h = int(uint32(b[27])|uint32(b[28])<<8|uint32(b[29])<<16) + 1
	default:
		return image.Config{}, errors.New("unknown WebP chunk")
	}
	return image.Config{Width: w, Height: h}, nil
}

// verifyZip tells a DOCX or an ODT from any other ZIP archive by the names in its
// central directory, which it reads with ranged reads and never decompresses.
func verifyZip(ctx context.Context, store blob.Store, key string, size int64, mt string) (string, error) {
	refuse := func(why string) (string, error) {
		return "", errs.E(errs.UnsupportedMedia, "the ZIP archive is not a DOCX or ODT document (%s)", why)
	}
	names, err := zipNames(ctx, store, key, size)
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			return refuse(e.Message)
		}
		return "", err
	}
	switch {
	case mt == MediaODT && names["content.xml"]:
		return MediaODT, nil
	case mt == mediaZip && names["[Content_Types].xml"] && names["word/document.xml"]:
		return MediaDOCX, nil
	case mt == MediaODT:
		return refuse("no content.xml")
	}
	return refuse("no word/document.xml")
}

// zipNames returns the entry names of a ZIP archive. Only plain ZIP is read:
// ZIP64, which no manuscript of a few MiB needs, is refused.
func zipNames(ctx context.Context, store blob.Store, key string, size int64) (map[string]bool, error) {
	bad := func(format string, args ...any) error { return errs.E(errs.Invalid, format, args...) }
	const eocdLen = 22
	tailLen := min(size, eocdLen+0xffff)
	rc, _, err := store.Get(ctx, key, &blob.Range{Offset: size - tailLen, Length: tailLen})
	if err != nil {
		return nil, fmt.Errorf("storage: read back %s: %w", key, err)
	}
	tail, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return nil, fmt.Errorf("storage: read back %s: %w", key, err)
	}
	i := len(tail) - eocdLen
	for ; i >= 0; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) == 0x06054b50 &&
			int(binary.LittleEndian.Uint16(tail[i+20:])) == len(tail)-i-eocdLen {
			break
		}
	}
	if i < 0 {
		return nil, bad("no end of central directory")
	}
	entries := int64(binary.LittleEndian.Uint16(tail[i+10:]))
	dirSize := int64(binary.LittleEndian.Uint32(tail[i+12:]))
	dirOff := int64(binary.LittleEndian.Uint32(tail[i+16:]))
	switch {
	case entries == 0xffff || dirSize == 0xffffffff || dirOff == 0xffffffff:
		return nil, bad("ZIP64 archives are not accepted")
	case entries > maxZipEntries:
		return nil, bad("%d entries; at most %d are accepted", entries, maxZipEntries)
	case entries == 0 || dirSize == 0 || dirOff+dirSize > size-tailLen+int64(i):
		return nil, bad("damaged central directory")
	}
	rc, _, err = store.Get(ctx, key, &blob.Range{Offset: dirOff, Length: dirSize})
	if err != nil {
		return nil, fmt.Errorf("storage: read back %s: %w", key, err)
	}
	defer rc.Close()
	br := bufio.NewReader(rc)
	names := map[string]bool{}
	var hdr [46]byte
	for range entries {
		if _, err := io.ReadFull(br, hdr[:]); err != nil || binary.LittleEndian.Uint32(hdr[:]) != 0x02014b50 {
			return nil, bad("damaged central directory")
		}
		nameLen := int(binary.LittleEndian.Uint16(hdr[28:]))
		skip := int64(binary.LittleEndian.Uint16(hdr[30:])) + int64(binary.LittleEndian.Uint16(hdr[32:]))
		name := make([]byte, nameLen)
		if _, err := io.ReadFull(br, name); err != nil {
			return nil, bad("damaged central directory")
		}
		if _, err := br.Discard(int(skip)); err != nil {
			return nil, bad("damaged central directory")
		}
		names[string(name)] = true
	}
	return names, nil
}

// verifyFDX checks that the document's root element is <FinalDraft>, and that it
// declares no DTD: a real FDX never does, and refusing one keeps entity-expansion
// attacks away from whoever parses the file later.
func verifyFDX(ctx context.Context, store blob.Store, key string, size int64) error {
	rc, err := readHead(ctx, store, key, size, xmlHeadLen)
	if err != nil {
		return err
	}
	defer rc.Close()
	refuse := func(why string) error {
		return errs.E(errs.UnsupportedMedia, "the file is not a Final Draft (FDX) document: %s", why)
	}
	dec := xml.NewDecoder(rc)
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if l := strings.ToLower(label); l == "utf-8" || l == "us-ascii" || l == "ascii" {
			return r, nil
		}
		return nil, fmt.Errorf("encoding %q", label)
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return refuse("it is not well-formed UTF-8 XML")
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
				return refuse("it declares a DOCTYPE")
			}
		case xml.StartElement:
			if t.Name.Local != "FinalDraft" {
				return refuse("its root element is <" + t.Name.Local + ">")
			}
			return nil
		}
	}
}
