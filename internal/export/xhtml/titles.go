package xhtml

import (
	"strconv"
	"strings"

	"github.com/authorworks/authorworks/internal/export"
)

// BookTitle returns the title to show for b: its title, or "Untitled".
func BookTitle(b *export.Book) string {
	if t := strings.TrimSpace(b.Title); t != "" {
		return t
	}
	return "Untitled"
}

// ChapterTitle returns the heading of the chapter at index i of a book: its
// title, or "Chapter N" with its number (its position when it has none).
func ChapterTitle(c export.Chapter, i int) string {
	if t := strings.TrimSpace(c.Title); t != "" {
		return t
	}
	n := c.Number
	if n <= 0 {
		n = i + 1
	}
	return "Chapter " + strconv.Itoa(n)
}
