package storage

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/errs"
)

// Purpose says why a file is stored. It decides which media types and sizes are
// accepted, and whether the file counts against the owner's quota.
type Purpose string

// The purposes. Exports are written by the export service through PutGenerated,
// never uploaded.
const (
	PurposeCover      Purpose = "cover"
	PurposeAttachment Purpose = "attachment"
	PurposeImport     Purpose = "import"
	PurposeExport     Purpose = "export"
)

// Purposes lists every purpose, uploadable ones first.
var Purposes = []Purpose{PurposeCover, PurposeAttachment, PurposeImport, PurposeExport}

// uploadable reports whether clients may upload files for p.
func (p Purpose) uploadable() bool {
	return p == PurposeCover || p == PurposeAttachment || p == PurposeImport
}

// counted reports whether files of purpose p count against the storage quota.
// Exports do not: they are derived from the story, can be generated again, and
// are replaced by the export service rather than accumulated by the writer.
func (p Purpose) counted() bool { return p != PurposeExport }

// Media types the service recognises from a file's bytes.
const (
	MediaJPEG     = "image/jpeg"
	MediaPNG      = "image/png"
	MediaWebP     = "image/webp"
	MediaGIF      = "image/gif"
	MediaPDF      = "application/pdf"
	MediaText     = "text/plain"
	MediaMarkdown = "text/markdown"
	MediaFountain = "text/x-fountain"
	MediaDOCX     = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	MediaODT      = "application/vnd.oasis.opendocument.text"
	MediaEPUB     = "application/epub+zip"
	MediaFDX      = "application/x-fdx" // Final Draft's XML screenplay format; no registered type exists
)

// Allowed lists the media types accepted for each uploadable purpose.
var Allowed = map[Purpose][]string{
	PurposeCover:      {MediaJPEG, MediaPNG, MediaWebP},
	PurposeAttachment: {MediaJPEG, MediaPNG, MediaWebP, MediaGIF, MediaPDF, MediaText, MediaMarkdown, MediaFountain},
	PurposeImport:     {MediaDOCX, MediaODT, MediaMarkdown, MediaText, MediaFountain, MediaFDX},
}

// DefaultMaxSize caps one file of each purpose, in bytes.
var DefaultMaxSize = map[Purpose]int64{
	PurposeCover:      10 << 20,
	PurposeAttachment: 25 << 20,
	PurposeImport:     20 << 20,
	PurposeExport:     512 << 20,
}

// DefaultQuotas are the storage allowances per subscription tier, in bytes.
var DefaultQuotas = map[string]int64{
	"free":       100 << 20,
	"basic":      1 << 30,
	"pro":        10 << 30,
	"enterprise": 100 << 30,
}

// Statuses of a file's row.
const (
	statusPending  = "pending"  // the object is being written
	statusReady    = "ready"    // the object is complete; the file is visible
	statusDeleting = "deleting" // the object is being removed; the file is gone for users
)

// File is one stored file.
type File struct {
	ID        string
	OwnerID   string
	StoryID   string // empty when the file belongs to no story
	Name      string // the name shown and offered on download, sanitised
	Size      int64
	MediaType string // detected from the bytes, never taken from the client
	Purpose   Purpose
	Status    string
	SHA256    string // hex
	ETag      string // the HTTP entity tag, quoted
	Key       string // the blob key
	Provider  string // the backend holding the object: local, minio or s3
	CreatedAt time.Time
}

// FileView is what the API shows of a file.
type FileView struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	MediaType string    `json:"media_type"`
	Purpose   Purpose   `json:"purpose"`
	StoryID   *string   `json:"story_id"`
	SHA256    string    `json:"sha256"`
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
}

// View returns what the API shows of f.
func (f *File) View() FileView {
	v := FileView{ID: f.ID, Name: f.Name, Size: f.Size, MediaType: f.MediaType, Purpose: f.Purpose,
		SHA256: f.SHA256, URL: Path(f.ID), CreatedAt: f.CreatedAt}
	if f.StoryID != "" {
		s := f.StoryID
		v.StoryID = &s
	}
	return v
}

// Path is the API path that downloads file id.
func Path(id string) string { return "/api/files/" + id }

// objectKey is where a file's bytes live in the blob store. Grouping by owner lets
// an operator find (and account for) one user's objects with a prefix listing.
func objectKey(ownerID, fileID string) string { return "files/" + ownerID + "/" + fileID }

func parsePurpose(s string) (Purpose, error) {
	p := Purpose(strings.TrimSpace(s))
	if !p.uploadable() {
		return "", errs.Field("purpose", "purpose must be one of cover, attachment, import; got %q", truncate(s, 40))
	}
	return p, nil
}

func allowedFor(p Purpose, mediaType string) bool { return slices.Contains(Allowed[p], mediaType) }

// maxName caps a stored file name, in bytes.
const maxName = 200

// cleanName makes a client's file name safe to store and show: the last path
// element only, valid UTF-8, no control or bidirectional-override characters, no
// leading dots or surrounding spaces, at most maxName bytes with the extension
// kept. An empty result becomes "file".
func cleanName(raw string) string {
	if i := strings.LastIndexAny(raw, `/\`); i >= 0 {
		raw = raw[i+1:]
	}
	raw = strings.ToValidUTF8(raw, "_")
	var b strings.Builder
	for _, r := range raw {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r), r == '\uFEFF':
			continue
		default:
			b.WriteRune(r)
		}
	}
	name := strings.TrimLeft(strings.TrimSpace(b.String()), ".")
	name = strings.TrimSpace(name)
	if len(name) > maxName {
		ext := ""
		if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 16 {
			ext = name[i:]
		}
		name = truncateUTF8(name[:len(name)-len(ext)], maxName-len(ext)) + ext
	}
	if name == "" {
		return "file"
	}
	return name
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return truncateUTF8(s, n) + "…"
}

// mib formats a byte count for messages.
func mib(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
