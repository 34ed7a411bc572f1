// Package text writes a Book as Markdown or as plain text.
package text

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/authorworks/authorworks/internal/export"
)

// WriteMarkdown writes the book as one CommonMark file: the title as a level-1
// heading, the byline, then each chapter under a level-2 heading. Script blocks
// are written as the document model writes them to Markdown.
func WriteMarkdown(w io.Writer, b *export.Book) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n", escapeHeading(b.Title))
	if b.Subtitle != "" {
		fmt.Fprintf(bw, "*%s*\n\n", strings.TrimSpace(b.Subtitle))
	}
	if b.Author != "" {
		fmt.Fprintf(bw, "by %s\n\n", b.Author)
	}
	for _, c := range b.Chapters {
		fmt.Fprintf(bw, "## %s\n\n", escapeHeading(chapterTitle(c)))
		if md := c.Doc.Markdown(); md != "" {
			_, _ = bw.WriteString(strings.TrimRight(md, "\n"))
			_, _ = bw.WriteString("\n\n")
		}
	}
	return bw.Flush()
}

// WritePlain writes the book as plain UTF-8 text: the title, the byline, and each
// chapter's heading followed by its text.
func WritePlain(w io.Writer, b *export.Book) error {
	bw := bufio.NewWriter(w)
	_, _ = bw.WriteString(b.Title)
	_, _ = bw.WriteString("\n")
	if b.Subtitle != "" {
		_, _ = bw.WriteString(b.Subtitle + "\n")
	}
	if b.Author != "" {
		fmt.Fprintf(bw, "by %s\n", b.Author)
	}
	for _, c := range b.Chapters {
		fmt.Fprintf(bw, "\n\n%s\n\n", chapterTitle(c))
		_, _ = bw.WriteString(strings.TrimRight(c.Doc.PlainText(), "\n"))
		_, _ = bw.WriteString("\n")
	}
	return bw.Flush()
}

func chapterTitle(c export.Chapter) string {
	if c.Title == "" {
		return fmt.Sprintf("Chapter %d", c.Number)
	}
	if strings.HasPrefix(strings.ToLower(c.Title), "chapter") || strings.HasPrefix(strings.ToLower(c.Title), "act") {
		return c.Title
	}
	return fmt.Sprintf("Chapter %d: %s", c.Number, c.Title)
}

// escapeHeading keeps a title from being read as Markdown syntax.
func escapeHeading(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "`", "\\`", "[", "\\[", "]", "\\]", "#", "\\#", "<", "&lt;", "\n", " ")
	return r.Replace(strings.TrimSpace(s))
}
