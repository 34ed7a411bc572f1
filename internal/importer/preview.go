package importer

import (
	"strings"

	"github.com/authorworks/authorworks/internal/document"
)

// Preview summarises a manuscript for the writer to check before the story
// is created.
type Preview struct {
	Title       string           `json:"title"`
	ContentType string           `json:"content_type"`
	Chapters    []PreviewChapter `json:"chapters"`
	Words       int              `json:"word_count"`
	Warnings    []string         `json:"warnings"`
}

// PreviewChapter is one chapter of a Preview.
type PreviewChapter struct {
	Number int    `json:"chapter_number"` // from 1
	Title  string `json:"title"`
	Words  int    `json:"word_count"`
	// Opening is the chapter's first openingWords words, with "…" when
	// there are more.
	Opening string `json:"opening"`
}

// openingWords is how many words a preview shows of each chapter.
const openingWords = 30

// Preview returns the summary of m.
func (m *Manuscript) Preview() Preview {
	p := Preview{Title: m.Title, ContentType: m.ContentType, Chapters: make([]PreviewChapter, len(m.Chapters)), Warnings: m.Warnings}
	if p.Warnings == nil {
		p.Warnings = []string{}
	}
	for i, c := range m.Chapters {
		p.Chapters[i] = PreviewChapter{Number: i + 1, Title: c.Title, Words: c.Words, Opening: docOpening(c.Doc, openingWords)}
		p.Words += c.Words
	}
	return p
}

// docOpening returns the first n words of the text of d, skipping scene
// breaks, page breaks and images.
func docOpening(d document.Doc, n int) string {
	var words []string
	for _, b := range d {
		if b.Type == document.SceneBreak || b.Type == document.PageBreak || b.Type == document.Image {
			continue
		}
		words = append(words, strings.Fields(inlineText(b.Children))...)
		if len(words) > n {
			break
		}
	}
	return joinOpening(words, n)
}

// opening returns the first n words of text.
func opening(text string, n int) string { return joinOpening(strings.Fields(text), n) }

func joinOpening(words []string, n int) string {
	if len(words) > n {
		return strings.Join(words[:n], " ") + "…"
	}
	return strings.Join(words, " ")
}
