package app

import (
	"fmt"
	"io"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/docx"
	"github.com/authorworks/authorworks/internal/export/epub"
	"github.com/authorworks/authorworks/internal/export/html"
	"github.com/authorworks/authorworks/internal/export/pdf"
	"github.com/authorworks/authorworks/internal/export/script"
	"github.com/authorworks/authorworks/internal/export/text"
	"github.com/authorworks/authorworks/internal/exports"
)

// exportFormats are the formats stories export to, each with its writer.
func exportFormats() []exports.Format {
	plain := func(write func(io.Writer, *export.Book) error) exports.Writer {
		return func(w io.Writer, b *export.Book, _ exports.Options) error { return write(w, b) }
	}
	return []exports.Format{
		{Name: "epub", MediaType: epub.MediaType, Extension: ".epub", Prose: true, Scripts: true, Options: []string{"author"},
			Write: plain(epub.Write)},
		{Name: "pdf", MediaType: "application/pdf", Extension: ".pdf", Prose: true, Options: []string{"trim", "author"},
			Write: func(w io.Writer, b *export.Book, o exports.Options) error {
				opts := pdf.BookOptions{}
				if o.Trim != "" {
					t, err := pdf.ParseTrimSize(o.Trim)
					if err != nil {
						return fmt.Errorf("trim: %w", err)
					}
					opts.Trim = t
				}
				return pdf.WriteBook(w, b, opts)
			}},
		{Name: "pdf_reading", MediaType: "application/pdf", Extension: ".pdf", Prose: true, Options: []string{"paper", "author"},
			Write: func(w io.Writer, b *export.Book, o exports.Options) error {
				opts := pdf.ReadingOptions{}
				if o.Paper != "" {
					p, err := pdf.ParsePaper(o.Paper)
					if err != nil {
						return fmt.Errorf("paper: %w", err)
					}
					opts.Paper = p
				}
				return pdf.WriteReading(w, b, opts)
			}},
		{Name: "docx", MediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Extension: ".docx",
			Prose: true, Scripts: true, Options: []string{"paper", "font", "contact", "author"},
			Write: func(w io.Writer, b *export.Book, o exports.Options) error {
				opts := docx.Options{}
				switch o.Font {
				case "courier":
					opts.Font = docx.CourierNew
				case "times":
					opts.Font = docx.TimesNewRoman
				}
				if o.Paper == "a4" {
					opts.Paper = docx.A4
				}
				return docx.Write(w, b, opts)
			}},
		{Name: "fountain", MediaType: "text/plain; charset=utf-8", Extension: ".fountain", Scripts: true, Options: []string{"author"},
			Write: plain(script.WriteFountain)},
		{Name: "fdx", MediaType: "application/xml", Extension: ".fdx", Scripts: true, Options: []string{"author"},
			Write: plain(script.WriteFDX)},
		{Name: "screenplay_pdf", MediaType: "application/pdf", Extension: ".pdf", Scripts: true, Options: []string{"contact", "author"},
			Write: plain(script.WriteScreenplayPDF)},
		{Name: "play_pdf", MediaType: "application/pdf", Extension: ".pdf", Scripts: true, Options: []string{"contact", "author"},
			Write: plain(script.WritePlayPDF)},
		{Name: "markdown", MediaType: "text/markdown; charset=utf-8", Extension: ".md", Prose: true, Scripts: true, Options: []string{"author"},
			Write: plain(text.WriteMarkdown)},
		{Name: "html", MediaType: html.MediaType, Extension: ".html", Prose: true, Scripts: true, Options: []string{"author"},
			Write: plain(html.Write)},
		{Name: "txt", MediaType: "text/plain; charset=utf-8", Extension: ".txt", Prose: true, Scripts: true, Options: []string{"author"},
			Write: plain(text.WritePlain)},
	}
}
