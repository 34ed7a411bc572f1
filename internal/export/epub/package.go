package epub

import (
	"github.com/authorworks/authorworks/internal/export/xhtml"
	"strconv"
	"strings"
)

// out appends markup: raw strings with s, escaped text with e.
type out struct{ b []byte }

func (o *out) s(parts ...string) {
	for _, p := range parts {
		o.b = append(o.b, p...)
	}
}

func (o *out) e(text string) { o.b = xhtml.AppendEscaped(o.b, text) }

// packageDoc renders the OPF package document: metadata, manifest and spine.
func (p *plan) packageDoc(dst []byte) []byte {
	b := p.b
	o := out{dst}
	o.s(`<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="`, p.lang, `">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="book-id">`, p.id, "</dc:identifier>\n")
	o.s(`<dc:title id="title">`)
	o.e(p.title)
	o.s("</dc:title>\n")
	if sub := strings.TrimSpace(b.Subtitle); sub != "" {
		o.s(`<meta refines="#title" property="title-type">main</meta>`, "\n", `<dc:title id="subtitle">`)
		o.e(sub)
		o.s("</dc:title>\n", `<meta refines="#subtitle" property="title-type">subtitle</meta>`, "\n")
	}
	if author := strings.TrimSpace(b.Author); author != "" {
		o.s(`<dc:creator id="creator">`)
		o.e(author)
		o.s("</dc:creator>\n", `<meta refines="#creator" property="role" scheme="marc:relators">aut</meta>`, "\n")
		if fileAs := fileAs(author, strings.TrimSpace(b.Surname)); fileAs != "" {
			o.s(`<meta refines="#creator" property="file-as">`)
			o.e(fileAs)
			o.s("</meta>\n")
		}
	}
	o.s("<dc:language>", p.lang, "</dc:language>\n")
	if d := strings.TrimSpace(b.Description); d != "" {
		o.s("<dc:description>")
		o.e(d)
		o.s("</dc:description>\n")
	}
	if g := strings.TrimSpace(b.Genre); g != "" {
		o.s("<dc:subject>")
		o.e(g)
		o.s("</dc:subject>\n")
	}
	o.s(`<meta property="dcterms:modified">`, p.modified, "</meta>\n")
	if p.cover != nil {
		o.s(`<meta name="cover" content="cover-image"/>`, "\n")
	}
	p.accessibility(&o)
	o.s("</metadata>\n<manifest>\n")
	item := func(id, href, mediaType, properties string) {
		o.s(`<item id="`, id, `" href="`, href, `" media-type="`, mediaType, `"`)
		if properties != "" {
			o.s(` properties="`, properties, `"`)
		}
		o.s("/>\n")
	}
	const xhtmlType = "application/xhtml+xml"
	item("nav", navFile, xhtmlType, "nav")
	item("ncx", "toc.ncx", "application/x-dtbncx+xml", "")
	item("css", cssFile, "text/css", "")
	if p.cover != nil {
		item("cover-image", p.cover.name, p.cover.mediaType, "cover-image")
		item("cover", coverPage, xhtmlType, "")
	}
	item("titlepage", titlePage, xhtmlType, "")
	for _, c := range p.chapters {
		item(c.id, c.file, xhtmlType, "")
	}
	o.s("</manifest>\n<spine toc=\"ncx\">\n")
	if p.cover != nil {
		o.s(`<itemref idref="cover"/>`, "\n")
	}
	o.s(`<itemref idref="titlepage"/>`, "\n", `<itemref idref="nav"/>`, "\n")
	for _, c := range p.chapters {
		o.s(`<itemref idref="`, c.id, `"/>`, "\n")
	}
	o.s("</spine>\n</package>\n")
	return o.b
}

// accessibility writes the schema.org accessibility metadata and the EPUB
// Accessibility 1.1 conformance claim: the book is text in a logical reading
// order with headings and a table of contents, the cover (when there is one)
// has a text alternative, and nothing flashes, moves or plays sound.
func (p *plan) accessibility(o *out) {
	meta := func(property, value string) {
		o.s(`<meta property="`, property, `">`, value, "</meta>\n")
	}
	meta("schema:accessMode", "textual")
	if p.cover != nil {
		meta("schema:accessMode", "visual")
	}
	meta("schema:accessModeSufficient", "textual")
	meta("schema:accessibilityFeature", "structuralNavigation")
	meta("schema:accessibilityFeature", "tableOfContents")
	meta("schema:accessibilityFeature", "readingOrder")
	if p.cover != nil {
		meta("schema:accessibilityFeature", "alternativeText")
	}
	meta("schema:accessibilityHazard", "none")
	summary := "This publication meets WCAG 2.1 Level AA. It has a table of contents, headings for every chapter and a single logical reading order; its text can be restyled and read aloud."
	if p.cover != nil {
		summary += " The cover image has a text description."
	}
	summary += " It contains no flashing, motion or sound hazards."
	meta("schema:accessibilitySummary", summary)
	meta("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA")
}

// fileAs returns the sort form of an author's name, "Marsh, Ada", when the
// byline ends with the surname; otherwise "".
func fileAs(author, surname string) string {
	if surname == "" {
		return ""
	}
	if author == surname {
		return surname
	}
	given, ok := strings.CutSuffix(author, " "+surname)
	if !ok || strings.TrimSpace(given) == "" {
		return ""
	}
	return surname + ", " + strings.TrimSpace(given)
}

// ncx renders the EPUB 2 table of contents some older reading systems still
// use instead of the navigation document.
func (p *plan) ncx(dst []byte) []byte {
	o := out{dst}
	o.s(`<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="`, p.lang, `">
<head>
<meta name="dtb:uid" content="`, p.id, `"/>
<meta name="dtb:depth" content="1"/>
<meta name="dtb:totalPageCount" content="0"/>
<meta name="dtb:maxPageNumber" content="0"/>
</head>
<docTitle><text>`)
	o.e(p.title)
	o.s("</text></docTitle>\n")
	if author := strings.TrimSpace(p.b.Author); author != "" {
		o.s("<docAuthor><text>")
		o.e(author)
		o.s("</text></docAuthor>\n")
	}
	o.s("<navMap>\n")
	for i, c := range p.chapters {
		n := strconv.Itoa(i + 1)
		o.s(`<navPoint id="navpoint-`, n, `" playOrder="`, n, `"><navLabel><text>`)
		o.e(c.title)
		o.s(`</text></navLabel><content src="`, c.file, `"/></navPoint>`, "\n")
	}
	o.s("</navMap>\n</ncx>\n")
	return o.b
}
