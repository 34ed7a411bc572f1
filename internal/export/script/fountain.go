package script

import (
	"fmt"
	"io"
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
)

// WriteFountain writes the book as one Fountain 1.1 screenplay: a title page
// (Title, Credit, Author, Draft date, Contact) and the chapters' documents in
// order, each chapter opening with its title as a "# section" (Fountain does
// not print sections, and an import finds the chapters again by them).
// Document.Fountain writes the elements; its notes say what Fountain cannot
// carry.
func WriteFountain(w io.Writer, b *export.Book) error {
	if b == nil {
		return fmt.Errorf("script: fountain: no book")
	}
	if _, err := io.WriteString(w, scriptDoc(b, document.Section).Fountain(titleFields(b))); err != nil {
		return fmt.Errorf("script: fountain: %w", err)
	}
	return nil
}

// titleFields is the book's title page as Fountain and FDX write it.
func titleFields(b *export.Book) document.TitlePage {
	var tp document.TitlePage
	add := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			tp = append(tp, document.TitleField{Key: k, Value: v})
		}
	}
	title := strings.TrimSpace(b.Title)
	if s := strings.TrimSpace(b.Subtitle); s != "" {
		title += "\n" + s
	}
	add("Title", title)
	credit := screenplayFormat.credit
	if b.ContentType == "play" {
		credit = playFormat.credit
	}
	add("Credit", credit)
	add("Author", b.Author)
	add("Draft date", draftDate(b))
	add("Contact", strings.Join(contactLines(b), "\n"))
	return tp
}
