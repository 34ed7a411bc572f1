package storage

import (
	"bytes"
	"encoding/binary"
	"mime"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/errs"
)

// sniffLen is how much of a file detect looks at, as http.DetectContentType does.
const sniffLen = 512

// Provisional media types: what the first bytes say before the whole file has been
// checked (see verify.go). A ZIP archive may turn out to be a DOCX; neither is
// ever stored as such.
const (
	mediaZip = "application/zip"
	mediaXML = "text/xml"
)

// detect names the media type of a file from its first bytes (head, at most
// sniffLen of them) and, only to choose among kinds of UTF-8 text, its name. The
// client's Content-Type is never consulted.
func detect(head []byte, name string) (string, error) {
	ct := http.DetectContentType(head)
	base, params, _ := mime.ParseMediaType(ct)
	switch base {
	case MediaJPEG, MediaPNG, MediaGIF, MediaWebP, MediaPDF:
		return base, nil
	case mediaZip:
		if mt := zipMimetype(head); mt != "" {
			return mt, nil
		}
		return mediaZip, nil
	case mediaXML:
		if isFDXHead(head) {
			return MediaFDX, nil
		}
		return mediaXML, nil
	case "text/plain", "text/html":
		if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" {
			return "", errs.E(errs.UnsupportedMedia, "text files must be UTF-8 (this one is %s)", cs)
		}
		if isFDXHead(head) {
			return MediaFDX, nil
		}
		switch ext := strings.ToLower(path.Ext(name)); ext {
		case ".md", ".markdown", ".mdown", ".mkd":
			// Markdown may begin with HTML, which DetectContentType calls text/html;
			// it is served as text/markdown, as an attachment, so that is harmless.
			return MediaMarkdown, nil
		case ".fountain", ".spmd":
			if base == "text/plain" {
				return MediaFountain, nil
			}
		default:
			if base == "text/plain" {
				return MediaText, nil
			}
		}
		return base, nil
	}
	return base, nil
}

// describe names a media type for error messages.
func describe(mt string) string {
	switch mt {
	case MediaJPEG:
		return "JPEG image"
	case MediaPNG:
		return "PNG image"
	case MediaWebP:
		return "WebP image"
	case MediaGIF:
		return "GIF image"
	case MediaPDF:
		return "PDF"
	case MediaText:
		return "plain text"
	case MediaMarkdown:
		return "Markdown"
	case MediaFountain:
		return "Fountain"
	case MediaDOCX:
		return "DOCX"
	case MediaODT:
		return "ODT"
	case MediaEPUB:
		return "EPUB"
	case MediaFDX:
		return "Final Draft (FDX)"
	case mediaZip:
		return "ZIP archive"
	case mediaXML:
		return "XML other than Final Draft"
	case "text/html":
		return "HTML"
	case "application/octet-stream":
		return "unrecognised binary data"
	}
	return mt
}

func describeAll(mts []string) string {
	names := make([]string, len(mts))
	for i, mt := range mts {
		names[i] = describe(mt)
	}
	return strings.Join(names, ", ")
}

// zipMimetype returns the media type an OpenDocument or EPUB archive declares in
// its first entry, "mimetype", stored uncompressed as both formats require; ""
// when head does not start that way.
func zipMimetype(head []byte) string {
	const local = 30 // the fixed part of a ZIP local file header
	if len(head) < local || binary.LittleEndian.Uint32(head) != 0x04034b50 {
		return ""
	}
	method := binary.LittleEndian.Uint16(head[8:])
	size := int(binary.LittleEndian.Uint32(head[18:]))
	nameLen := int(binary.LittleEndian.Uint16(head[26:]))
	extraLen := int(binary.LittleEndian.Uint16(head[28:]))
	start := local + nameLen + extraLen
	if method != 0 || nameLen != len("mimetype") || len(head) < local+nameLen || string(head[local:local+nameLen]) != "mimetype" {
		return ""
	}
	for _, mt := range []string{MediaODT, MediaEPUB} {
		// A writer that streams may leave the size to a data descriptor (0 here);
		// the stored bytes follow the header either way.
		if (size == len(mt) || size == 0) && bytes.HasPrefix(head[min(start, len(head)):], []byte(mt)) {
			return mt
		}
	}
	return ""
}

// isFDXHead reports whether head starts like a Final Draft document: optional BOM,
// XML declaration, comments and whitespace, then the <FinalDraft root element.
func isFDXHead(head []byte) bool {
	s := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	for {
		s = bytes.TrimLeft(s, " \t\r\n")
		switch {
		case bytes.HasPrefix(s, []byte("<?")):
			i := bytes.Index(s, []byte("?>"))
			if i < 0 {
				return false
			}
			s = s[i+2:]
		case bytes.HasPrefix(s, []byte("<!--")):
			i := bytes.Index(s, []byte("-->"))
			if i < 0 {
				return false
			}
			s = s[i+3:]
		default:
			rest, ok := bytes.CutPrefix(s, []byte("<FinalDraft"))
			return ok && len(rest) > 0 && (rest[0] == ' ' || rest[0] == '>' || rest[0] == '\t' || rest[0] == '\r' || rest[0] == '\n')
		}
	}
}

// isText reports whether mt is one of the UTF-8 text types, whose whole content
// is checked while it streams in.
func isText(mt string) bool {
	return mt == MediaText || mt == MediaMarkdown || mt == MediaFountain
}

// errNotUTF8 is why a text upload is refused after its first bytes looked fine.
var errNotUTF8 = errs.E(errs.UnsupportedMedia, "the file is not UTF-8 text throughout (invalid UTF-8 or NUL bytes past its start)")

// utf8Check validates a stream as UTF-8 text without NUL bytes, across Write
// boundaries.
type utf8Check struct {
	carry [utf8.UTFMax]byte
	n     int
}

func (u *utf8Check) Write(p []byte) error {
	// First finish a character split across the previous boundary.
	for u.n > 0 && len(p) > 0 {
		u.carry[u.n] = p[0]
		u.n++
		p = p[1:]
		if utf8.FullRune(u.carry[:u.n]) {
			if r, size := utf8.DecodeRune(u.carry[:u.n]); r == utf8.RuneError && size == 1 || size != u.n {
				return errNotUTF8
			}
			u.n = 0
		}
	}
	if u.n > 0 {
		return nil // p ended inside that character
	}
	// Then hold back an incomplete character at the end.
	tail := 0
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				tail = len(p) - i
			}
			break
		}
	}
	body := p[:len(p)-tail]
	if !utf8.Valid(body) || bytes.IndexByte(body, 0) >= 0 {
		return errNotUTF8
	}
	u.n = copy(u.carry[:], p[len(body):])
	return nil
}

// Close reports an error if the stream ended inside a character.
func (u *utf8Check) Close() error {
	if u.n > 0 {
		return errNotUTF8
	}
	return nil
}
