package epub

import (
	_ "embed"
	"strconv"
	"strings"

	"github.com/authorworks/authorworks/internal/export/xhtml"
)

//go:embed epub.css
var epubCSS string

// stylesheet renders book.css: the shared book styles and the EPUB's own pages.
func stylesheet(dst []byte) []byte {
	return append(append(dst, xhtml.Stylesheet()...), epubCSS...)
}

// start opens an XHTML content document.
func (p *plan) start(o *out, title, bodyClass string) {
	o.s(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="`, p.lang, `" xml:lang="`, p.lang, `">
<head>
<meta charset="utf-8"/>
<title>`)
	o.e(title)
	o.s(`</title>
<link rel="stylesheet" type="text/css" href="`, cssFile, `"/>
</head>
<body class="`, bodyClass, "\">\n")
}

func end(o *out) { o.s("</body>\n</html>\n") }

// coverAlt is the text alternative of the cover image.
func (p *plan) coverAlt() string {
	alt := "Cover of " + p.title
	if a := strings.TrimSpace(p.b.Author); a != "" {
		alt += " by " + a
	}
	return alt
}

func (p *plan) coverDoc(dst []byte) []byte {
	o := out{dst}
	p.start(&o, "Cover", "cover-page")
	o.s(`<section class="cover" epub:type="cover">`, "\n", `<img src="`, p.cover.name, `" alt="`)
	o.e(p.coverAlt())
	o.s(`"`)
	if c := p.b.Cover; c.Width > 0 && c.Height > 0 {
		o.s(` width="`, strconv.Itoa(c.Width), `" height="`, strconv.Itoa(c.Height), `"`)
	}
	o.s("/>\n</section>\n")
	end(&o)
	return o.b
}

func (p *plan) titleDoc(dst []byte) []byte {
	o := out{dst}
	p.start(&o, p.title, xhtml.BodyClass(p.b.ContentType))
	o.s(`<section class="titlepage" epub:type="titlepage">`, "\n", `<h1 class="book-title">`)
	o.e(p.title)
	o.s("</h1>\n")
	if sub := strings.TrimSpace(p.b.Subtitle); sub != "" {
		o.s(`<p class="subtitle">`)
		o.e(sub)
		o.s("</p>\n")
	}
	if a := strings.TrimSpace(p.b.Author); a != "" {
		o.s(`<p class="author">`)
		o.e(a)
		o.s("</p>\n")
	}
	o.s("</section>\n")
	end(&o)
	return o.b
}

// navDoc renders the navigation document: the table of contents, listing
// every chapter in order, and the landmarks reading systems jump to.
func (p *plan) navDoc(dst []byte) []byte {
	o := out{dst}
	p.start(&o, "Contents", xhtml.BodyClass(p.b.ContentType))
	o.s(`<nav id="toc" epub:type="toc" role="doc-toc" aria-labelledby="toc-title">`, "\n",
		`<h1 id="toc-title">Contents</h1>`, "\n<ol>\n")
	for _, c := range p.chapters {
		o.s(`<li><a href="`, c.file, `">`)
		o.e(c.title)
		o.s("</a></li>\n")
	}
	o.s("</ol>\n</nav>\n")
	o.s(`<nav id="landmarks" epub:type="landmarks" hidden="hidden" aria-labelledby="landmarks-title">`, "\n",
		`<h2 id="landmarks-title">Landmarks</h2>`, "\n<ol>\n")
	if p.cover != nil {
		o.s(`<li><a epub:type="cover" href="`, coverPage, `">Cover</a></li>`, "\n")
	}
	o.s(`<li><a epub:type="titlepage" href="`, titlePage, `">Title page</a></li>`, "\n",
		`<li><a epub:type="toc" href="`, navFile, `#toc">Contents</a></li>`, "\n",
		`<li><a epub:type="bodymatter" href="`, p.chapters[0].file, `">Start of content</a></li>`, "\n",
		"</ol>\n</nav>\n")
	end(&o)
	return o.b
}

// chapterDoc renders chapter i: its heading, then its document.
func (p *plan) chapterDoc(dst []byte, i int) []byte {
	c := p.chapters[i]
	o := out{dst}
	p.start(&o, c.title, xhtml.BodyClass(p.b.ContentType))
	o.s(`<section id="`, c.anchor, `" class="chapter" epub:type="chapter" role="doc-chapter" aria-labelledby="`, c.anchor, `-title">`, "\n",
		`<h1 id="`, c.anchor, `-title" class="chapter-title">`)
	o.e(c.title)
	o.s("</h1>\n")
	o.b = xhtml.AppendDoc(o.b, p.b.Chapters[i].Doc, xhtml.Options{HeadingLevel: 2})
	o.s("</section>\n")
	end(&o)
	return o.b
}
