// Package html writes a Book as one standalone HTML5 page: title page, table
// of contents with links to every chapter, the chapters, and the stylesheet
// inline, so the file reads well in a browser, prints, and can be mailed on.
// The markup is polyglot (well-formed XML as well as HTML5), rendered by the
// same xhtml package as the EPUB's chapters.
package html

import (
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/xhtml"
)

// MediaType is the media type of the page Write produces.
const MediaType = "text/html; charset=utf-8"

//go:embed page.css
var pageCSS string

// Write writes b to w as a standalone HTML5 page. The cover, when there is
// one, is embedded as a data: URL. Chapter i (from 1) is the section with id
// "chapter-i", which the table of contents links to. b.Language must be a
// well-formed BCP 47 tag or empty ("und" is declared). An empty title is
// written as "Untitled", an empty chapter title as "Chapter N".
//
// Images inside chapters refer to stored files by id and the Book carries no
// bytes for them, so they are written as their alt text and caption (see
// xhtml.AppendDoc).
func Write(w io.Writer, b *export.Book) error {
	if b == nil {
		return errors.New("html: no book")
	}
	lang, err := xhtml.Language(b.Language)
	if err != nil {
		return fmt.Errorf("html: %w", err)
	}
	title := xhtml.BookTitle(b)
	author := strings.TrimSpace(b.Author)
	titles := make([]string, len(b.Chapters))
	for i, c := range b.Chapters {
		titles[i] = xhtml.ChapterTitle(c, i)
	}

	o := out{w: w}
	o.s(`<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="`, lang, `" xml:lang="`, lang, `">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>`)
	o.e(title)
	o.s("</title>\n")
	if author != "" {
		o.s(`<meta name="author" content="`)
		o.e(author)
		o.s("\"/>\n")
	}
	if d := strings.TrimSpace(b.Description); d != "" {
		o.s(`<meta name="description" content="`)
		o.e(d)
		o.s("\"/>\n")
	}
	o.s("<style>\n", xhtml.Stylesheet(), pageCSS, "</style>\n</head>\n",
		`<body class="`, xhtml.BodyClass(b.ContentType), "\">\n", `<header class="titlepage">`, "\n")
	if c := b.Cover; c != nil && len(c.Data) > 0 && strings.HasPrefix(c.MediaType, "image/") {
		o.s(`<img class="cover" src="data:`)
		o.e(c.MediaType)
		o.s(";base64,", base64.StdEncoding.EncodeToString(c.Data), `" alt="Cover of `)
		o.e(title)
		if author != "" {
			o.s(" by ")
			o.e(author)
		}
		o.s(`"`)
		if c.Width > 0 && c.Height > 0 {
			o.s(` width="`, strconv.Itoa(c.Width), `" height="`, strconv.Itoa(c.Height), `"`)
		}
		o.s("/>\n")
	}
	o.s(`<h1 class="book-title">`)
	o.e(title)
	o.s("</h1>\n")
	if sub := strings.TrimSpace(b.Subtitle); sub != "" {
		o.s(`<p class="subtitle">`)
		o.e(sub)
		o.s("</p>\n")
	}
	if author != "" {
		o.s(`<p class="author">`)
		o.e(author)
		o.s("</p>\n")
	}
	o.s("</header>\n")
	if len(b.Chapters) > 0 {
		o.s(`<nav id="contents" class="toc" aria-labelledby="contents-title">`, "\n",
			`<h2 id="contents-title">Contents</h2>`, "\n<ol>\n")
		for i, t := range titles {
			o.s(`<li><a href="#chapter-`, strconv.Itoa(i+1), `">`)
			o.e(t)
			o.s("</a></li>\n")
		}
		o.s("</ol>\n</nav>\n")
	}
	o.s("<main>\n")
	for i, c := range b.Chapters {
		id := "chapter-" + strconv.Itoa(i+1)
		o.s(`<section id="`, id, `" class="chapter" aria-labelledby="`, id, `-title">`, "\n",
			`<h2 id="`, id, `-title" class="chapter-title">`)
		o.e(titles[i])
		o.s("</h2>\n")
		o.b = xhtml.AppendDoc(o.b, c.Doc, xhtml.Options{HeadingLevel: 3})
		o.s("</section>\n")
		o.flush()
	}
	o.s("</main>\n</body>\n</html>\n")
	o.flush()
	if o.err != nil {
		return fmt.Errorf("html: %w", o.err)
	}
	return nil
}

// out buffers markup and writes it to w a chapter at a time, keeping the
// first write error.
type out struct {
	w   io.Writer
	b   []byte
	err error
}

func (o *out) s(parts ...string) {
	for _, p := range parts {
		o.b = append(o.b, p...)
	}
}

func (o *out) e(text string) { o.b = xhtml.AppendEscaped(o.b, text) }

func (o *out) flush() {
	if o.err == nil {
		_, o.err = o.w.Write(o.b)
	}
	o.b = o.b[:0]
}
