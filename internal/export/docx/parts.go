package docx

import (
	"strconv"
	"strings"
	"time"

	"github.com/authorworks/authorworks/internal/export"
)

const xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// writeContentTypes writes [Content_Types].xml.
func writeContentTypes(o out, l layout) {
	const wml = "application/vnd.openxmlformats-officedocument.wordprocessingml."
	o.raw(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="` + wml + `document.main+xml"/>` +
		`<Override PartName="/word/styles.xml" ContentType="` + wml + `styles+xml"/>` +
		`<Override PartName="/word/settings.xml" ContentType="` + wml + `settings+xml"/>` +
		`<Override PartName="/word/header1.xml" ContentType="` + wml + `header+xml"/>` +
		`<Override PartName="/word/header2.xml" ContentType="` + wml + `header+xml"/>`)
	if l.script {
		o.raw(`<Override PartName="/word/footer1.xml" ContentType="` + wml + `footer+xml"/>`)
	}
	o.raw(`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
		`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
		"</Types>\n")
}

const (
	relsNS  = "http://schemas.openxmlformats.org/package/2006/relationships"
	relType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

func writePackageRels(o out) {
	o.raw(xmlDecl + `<Relationships xmlns="` + relsNS + `">` +
		`<Relationship Id="rId1" Type="` + relType + `officeDocument" Target="word/document.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
		`<Relationship Id="rId3" Type="` + relType + `extended-properties" Target="docProps/app.xml"/>` +
		"</Relationships>\n")
}

// writeDocumentRels writes word/_rels/document.xml.rels: the fixed parts as
// rId1–rId5 (body.sectPr refers to them by number) and the hyperlinks from
// rId100 on.
func writeDocumentRels(o out, l layout, links []string) {
	o.raw(xmlDecl + `<Relationships xmlns="` + relsNS + `">` +
		`<Relationship Id="rId1" Type="` + relType + `styles" Target="styles.xml"/>` +
		`<Relationship Id="rId2" Type="` + relType + `settings" Target="settings.xml"/>` +
		`<Relationship Id="rId3" Type="` + relType + `header" Target="header1.xml"/>` +
		`<Relationship Id="rId4" Type="` + relType + `header" Target="header2.xml"/>`)
	if l.script {
		o.raw(`<Relationship Id="rId5" Type="` + relType + `footer" Target="footer1.xml"/>`)
	}
	for i, url := range links {
		o.raw(`<Relationship Id="rId` + strconv.Itoa(firstLinkRel+i) + `" Type="` + relType + `hyperlink" Target="`)
		o.text(url, true)
		o.raw(`" TargetMode="External"/>`)
	}
	o.raw("</Relationships>\n")
}

// writeCore writes docProps/core.xml: title, author, language and times.
func writeCore(o out, b *export.Book, mod time.Time) {
	stamp := mod.Format("2006-01-02T15:04:05Z")
	o.raw(xmlDecl + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	element := func(name, value string) {
		if value = strings.TrimSpace(value); value == "" {
			return
		}
		o.raw("<" + name + ">")
		o.text(value, false)
		o.raw("</" + name + ">")
	}
	element("dc:title", titleOf(b))
	element("dc:subject", b.Subtitle)
	element("dc:creator", b.Author)
	element("dc:language", language(b.Language))
	element("cp:lastModifiedBy", b.Author)
	o.raw(`<dcterms:created xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:modified>` +
		"</cp:coreProperties>\n")
}

// writeApp writes docProps/app.xml.
func writeApp(o out, b *export.Book) {
	o.raw(xmlDecl + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
		`<Application>AuthorWorks</Application><DocSecurity>0</DocSecurity>`)
	if b.WordCount > 0 {
		o.raw("<Words>" + strconv.Itoa(b.WordCount) + "</Words>")
	}
	o.raw("</Properties>\n")
}

func writeSettings(o out) {
	o.raw(xmlDecl + `<w:settings xmlns:w="` + nsW + `">` +
		`<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>` +
		`<w:characterSpacingControl w:val="doNotCompress"/>` +
		`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
		"</w:settings>\n")
}

// pageField is a PAGE field: Word and LibreOffice put the page number in.
const pageField = `<w:r><w:fldChar w:fldCharType="begin"/></w:r>` +
	`<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
	`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r>` +
	`<w:r><w:fldChar w:fldCharType="end"/></w:r>`

// writeHeader writes the running header of pages 2 on: "Surname / KEYWORD /
// n" for prose, "n." for scripts.
func writeHeader(o out, b *export.Book, l layout, kw string) {
	o.raw(xmlDecl + `<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>`)
	if l.script {
		o.raw(pageField + "<w:r><w:t>.</w:t></w:r>")
	} else {
		o.raw(`<w:r><w:t xml:space="preserve">`)
		o.text(headerPrefix(b, kw), false)
		o.raw("</w:t></w:r>" + pageField)
	}
	o.raw("</w:p></w:hdr>\n")
}

// writeEmptyHeader writes the title page's header, which is empty.
func writeEmptyHeader(o out) {
	o.raw(xmlDecl + `<w:hdr xmlns:w="` + nsW + `"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p></w:hdr>` + "\n")
}

// writeContactFooter writes a script title page's footer: the contact block,
// bottom left, where screenplays put it.
func writeContactFooter(o out, b *export.Book) {
	o.raw(xmlDecl + `<w:ftr xmlns:w="` + nsW + `">`)
	lines := contactLines(b)
	if len(lines) == 0 {
		lines = []string{""}
	}
	for _, line := range lines {
		o.raw(`<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>`)
		if line != "" {
			o.raw("<w:r><w:t>")
			o.text(line, false)
			o.raw("</w:t></w:r>")
		}
		o.raw("</w:p>")
	}
	o.raw("</w:ftr>\n")
}
