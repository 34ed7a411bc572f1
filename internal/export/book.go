// Package export turns a story into the files writers send to publishers,
// printers and readers: EPUB, print and reading PDF, Standard Manuscript Format
// DOCX, Fountain, Final Draft FDX, screenplay and stage-play PDF, Markdown, HTML
// and plain text. Each format has its own subpackage with a writer of one Book;
// this package holds the Book they share.
package export

import (
	"time"

	"github.com/authorworks/authorworks/internal/document"
)

// Book is a story ready to be written out: its metadata and its chapters in
// reading order, each chapter's text and its scenes' joined in one document
// (scenes separated by scene breaks).
type Book struct {
	ID       string // stable identifier of the story (a UUID)
	Title    string
	Subtitle string
	Author   string // the byline
	// Surname is the author's surname for manuscript headers ("Surname / KEYWORD / 3").
	Surname  string
	Language string // BCP 47, e.g. "en" or "en-GB"
	Genre    string
	// Description is the blurb or premise.
	Description string
	// ContentType is novel, screenplay, play or graphic_novel.
	ContentType string
	// Cover is the cover image, when the story has one.
	Cover *Image
	// Contact is the author's contact block for manuscripts.
	Contact Contact
	// Modified is when the story last changed.
	Modified time.Time
	Chapters []Chapter
	// WordCount is the words of all chapters.
	WordCount int
}

// Chapter is one chapter (a sequence or act in a script).
type Chapter struct {
	Number int
	Title  string
	Doc    document.Doc
}

// Image is an embedded picture.
type Image struct {
	Data      []byte
	MediaType string // image/jpeg or image/png
	Width     int
	Height    int
}

// Contact is the contact block of a manuscript's first page.
type Contact struct {
	Name    string   `json:"name,omitempty"` // legal name, when it differs from the byline
	Address []string `json:"address,omitempty"`
	Email   string   `json:"email,omitempty"`
	Phone   string   `json:"phone,omitempty"`
}

// Script reports whether the book is a screenplay or a stage play.
func (b *Book) Script() bool { return b.ContentType == "screenplay" || b.ContentType == "play" }
