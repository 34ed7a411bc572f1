package importer

import (
	"bytes"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/errs"
)

// SniffLen is how many leading bytes of a file Detect and Parse look at to
// tell formats apart; give Detect at least this many when the file has them.
const SniffLen = 4096

const uploadAdvice = "Upload a manuscript as Word (.docx), OpenDocument (.odt), Markdown (.md), plain text (.txt), Fountain (.fountain) or Final Draft (.fdx)."

// Detect decides the format of an upload from its first bytes (SniffLen of
// them, or the whole file when shorter) and its file name. The bytes win
// over the name: a PNG named novel.docx is refused. Text files are told
// apart by their extension (.fountain, .md, .txt …) and, when it says
// nothing, by their content. The error is an *errs.Error of kind
// UnsupportedMedia whose message names the file and what it really is.
func Detect(head []byte, name string) (Format, error) {
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))
	quoted := "“" + path.Base(strings.ReplaceAll(name, `\`, "/")) + "”"
	if name == "" {
		quoted = "This file"
	}
	refuse := func(what, advice string) (Format, error) {
		return "", errs.E(errs.UnsupportedMedia, "%s is %s, which can't be imported. %s", quoted, what, advice)
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		switch {
		case bytes.Contains(head, []byte("mimetypeapplication/vnd.oasis.opendocument.text")):
			return ODT, nil
		case bytes.Contains(head, []byte("mimetypeapplication/epub+zip")):
			return refuse("an EPUB e-book", uploadAdvice)
		case bytes.Contains(head, []byte("mimetypeapplication/vnd.oasis.opendocument.")):
			return refuse("an OpenDocument file that is not a text document", uploadAdvice)
		case bytes.Contains(head, []byte("xl/")):
			return refuse("an Excel spreadsheet", uploadAdvice)
		case bytes.Contains(head, []byte("ppt/")):
			return refuse("a PowerPoint presentation", uploadAdvice)
		case isExt(ext, ".docx", ".docm", ".dotx", ".dotm"), bytes.Contains(head, []byte("word/")):
			return DOCX, nil
		case isExt(ext, ".odt", ".ott"):
			return ODT, nil
		case bytes.Contains(head, []byte("[Content_Types].xml")):
			return DOCX, nil
		}
		return refuse("a zip archive", uploadAdvice)
	}
	if what, advice := binaryKind(head); what != "" {
		return refuse(what, advice)
	}
	text := sniffText(head)
	trimmed := strings.ToLower(strings.TrimSpace(text))
	switch {
	case strings.Contains(text, "<FinalDraft"):
		return FDX, nil
	case isExt(ext, ".fdx"):
		return refuse("not a Final Draft script (it has no <FinalDraft> element)", "Export it again from Final Draft, or upload it as Fountain.")
	case isExt(ext, ".docx", ".docm", ".dotx", ".dotm", ".odt", ".ott", ".doc", ".rtf", ".pdf", ".epub", ".pages"):
		return refuse("not a "+strings.TrimPrefix(ext, ".")+" file (it holds plain text)", "Rename it to end in .txt, or "+lowerFirst(uploadAdvice))
	case isExt(ext, ".fountain", ".spmd"):
		return Fountain, nil
	case isExt(ext, ".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext"):
		return Markdown, nil
	case strings.HasPrefix(trimmed, "<!doctype html") || strings.HasPrefix(trimmed, "<html"):
		return refuse("a web page (HTML)", "Open it in your word processor and save it as .docx, or "+lowerFirst(uploadAdvice))
	case strings.HasPrefix(trimmed, "<?xml") || isExt(ext, ".xml", ".fodt"):
		return refuse("an XML file that is not a Final Draft script", uploadAdvice)
	case fountainLike(text):
		return Fountain, nil
	case markdownLike(text):
		return Markdown, nil
	}
	return PlainText, nil
}

func isExt(ext string, exts ...string) bool {
	for _, e := range exts {
		if ext == e {
			return true
		}
	}
	return false
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// signatures are the leading bytes of binary formats writers upload by
// mistake, with what to say about them.
var signatures = []struct {
	magic, what, advice string
}{
	{"\x89PNG\r\n\x1a\n", "a PNG image", uploadAdvice},
	{"\xff\xd8\xff", "a JPEG image", uploadAdvice},
	{"GIF87a", "a GIF image", uploadAdvice},
	{"GIF89a", "a GIF image", uploadAdvice},
	{"%PDF-", "a PDF", "PDFs don't keep paragraphs and styles reliably: export your manuscript from your word processor as .docx and upload that."},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (such as a Word 97–2003 .doc)", "Open it in Word or LibreOffice, save it as .docx, and upload that."},
	{"{\\rtf", "a Rich Text (.rtf) file", "Open it in your word processor, save it as .docx, and upload that."},
	{"\x1f\x8b", "a gzip archive", uploadAdvice},
	{"Rar!\x1a\x07", "a RAR archive", uploadAdvice},
	{"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", uploadAdvice},
	{"MZ", "a Windows program", uploadAdvice},
	{"\x7fELF", "a program", uploadAdvice},
	{"PK\x05\x06", "an empty zip archive", uploadAdvice},
}

// binaryKind names a binary file from its first bytes, with advice; it
// returns "" for what may be text (UTF-8, or UTF-16 with a byte-order mark)
// and for zip archives.
func binaryKind(head []byte) (what, advice string) {
	for _, s := range signatures {
		if bytes.HasPrefix(head, []byte(s.magic)) {
			return s.what, s.advice
		}
	}
	if len(head) >= 12 && string(head[4:8]) == "ftyp" {
		return "a video or photo", uploadAdvice
	}
	if len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP" {
		return "a WebP image", uploadAdvice
	}
	if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) || bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return "", ""
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "a binary file, not text or a document", uploadAdvice
	}
	return "", ""
}

// notA is the error for a file that should be a container of the given kind
// but is not a zip archive.
func notA(kind string, head []byte) error {
	if what, advice := binaryKind(head); what != "" {
		return errs.E(errs.UnsupportedMedia, "This file is %s, not a %s. %s", what, kind, advice)
	}
	return errs.E(errs.UnsupportedMedia, "This file is not a %s (it is not a zip archive, which every %s is). %s", kind, kind, uploadAdvice)
}

// notXML is the error for a file that should be XML but is binary or a zip.
func notXML(kind string, head []byte) error {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return errs.E(errs.UnsupportedMedia, "This file is a zip archive, not a %s. %s", kind, uploadAdvice)
	}
	if what, advice := binaryKind(head); what != "" {
		return errs.E(errs.UnsupportedMedia, "This file is %s, not a %s. %s", what, kind, advice)
	}
	return nil
}

// sniffText returns head as text for sniffing: UTF-16 decoded, a cut
// character at the end dropped.
func sniffText(head []byte) string {
	if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		if b, err := fromUTF16(head[:len(head)&^1]); err == nil {
			return string(b)
		}
	}
	for i := 0; i < utf8.UTFMax && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	return strings.TrimPrefix(string(head), "\ufeff")
}

var (
	fountainHeading = regexp.MustCompile(`(?m)^(INT|EXT|EST|INT\./EXT|INT/EXT|I/E)[. ]`)
	markdownHeading = regexp.MustCompile(`(?m)^#{1,6} \S`)
)

// fountainLike reports whether text reads like a Fountain screenplay: it
// has a scene heading (a title page alone could open any text).
func fountainLike(text string) bool { return fountainHeading.MatchString(text) }

// markdownLike reports whether text reads like Markdown: YAML front matter
// or ATX headings.
func markdownLike(text string) bool {
	return strings.HasPrefix(text, "---\n") && strings.Contains(text, "\ntitle:") || markdownHeading.MatchString(text)
}
