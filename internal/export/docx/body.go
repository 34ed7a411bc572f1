package docx

import (
	"strconv"
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
)

// Namespaces of WordprocessingML parts.
const (
	nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

// firstLinkRel is the relationship number of the first hyperlink; lower
// numbers name the fixed parts (see writeDocumentRels).
const firstLinkRel = 100

// body writes word/document.xml.
type body struct {
	o     out
	l     layout
	links []string       // hyperlink targets, in relationship order
	rel   map[string]int // target → index in links
	// list numbering: the last decimal number written at each indent level.
	listNum [document.MaxIndent + 1]int
}

// writeDocument writes the main part and returns the hyperlink targets it
// referenced, for word/_rels/document.xml.rels.
func writeDocument(o out, b *export.Book, l layout) []string {
	d := &body{o: o, l: l}
	o.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	o.raw(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>` + "\n")
	if l.script {
		d.scriptTitlePage(b)
	} else {
		d.titlePage(b)
	}
	for i, c := range b.Chapters {
		if l.script {
			d.heading("Heading1", []string{scriptChapterLine(c, i)})
		} else {
			d.heading("Heading1", chapterLines(c, i))
		}
		d.listNum = [document.MaxIndent + 1]int{}
		for j := range c.Doc {
			d.block(&c.Doc[j])
		}
	}
	end := "END"
	switch {
	case l.play:
		end = "END OF PLAY"
	case l.script:
		end = "THE END"
	}
	d.para("End", end)
	d.sectPr()
	o.raw("</w:body></w:document>\n")
	return d.links
}

// para writes a paragraph of plain text in a style ("" for Normal).
func (d *body) para(style, text string) {
	d.o.raw("<w:p>")
	if style != "" {
		d.o.raw(`<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
	}
	d.run(0, text)
	d.o.raw("</w:p>\n")
}

// titlePage writes page 1 of a prose manuscript.
func (d *body) titlePage(b *export.Book) {
	contact := contactLines(b)
	words := wordCountLine(b)
	first := ""
	if len(contact) > 0 {
		first, contact = contact[0], contact[1:]
	}
	o := d.o
	o.raw(`<w:p><w:pPr><w:pStyle w:val="Contact"/><w:tabs><w:tab w:val="right" w:pos="` + strconv.Itoa(d.l.textWidth) + `"/></w:tabs></w:pPr>`)
	d.run(0, first)
	if words != "" {
		o.raw("<w:r><w:tab/></w:r>")
		d.run(0, words)
	}
	o.raw("</w:p>\n")
	for _, line := range contact {
		d.para("Contact", line)
	}
	// The title sits about 40% of the way down the page, between Shunn's "a
	// third" and "halfway".
	before := d.l.pageH*2/5 - inch - (len(contact)+1)*lineTwips12
	before = max(before, doubleLine)
	o.raw(`<w:p><w:pPr><w:pStyle w:val="Title"/><w:spacing w:before="` + strconv.Itoa(before) + `"/></w:pPr>`)
	d.run(0, titleOf(b))
	o.raw("</w:p>\n")
	if s := strings.TrimSpace(b.Subtitle); s != "" {
		d.para("Subtitle", s)
	}
	if a := strings.TrimSpace(b.Author); a != "" {
		d.para("Byline", "by "+a)
	}
}

// scriptTitlePage writes the title page of a screenplay or play: title and
// credit centred a third of the way down; the contact block is in the first
// page's footer.
func (d *body) scriptTitlePage(b *export.Book) {
	before := d.l.pageH/3 - inch
	d.o.raw(`<w:p><w:pPr><w:pStyle w:val="Title"/><w:spacing w:before="` + strconv.Itoa(before) + `"/></w:pPr>`)
	d.run(0, titleOf(b))
	d.o.raw("</w:p>\n")
	if s := strings.TrimSpace(b.Subtitle); s != "" {
		d.para("Subtitle", s)
	}
	if a := strings.TrimSpace(b.Author); a != "" {
		credit := "Written by"
		if d.l.play {
			credit = "by"
		}
		d.para("Byline", credit)
		d.para("Author", a)
	}
}

func titleOf(b *export.Book) string {
	if t := strings.TrimSpace(b.Title); t != "" {
		return t
	}
	return "Untitled"
}

// contactLines are the lines of the contact block: name, address, phone, email.
func contactLines(b *export.Book) []string {
	var lines []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			lines = append(lines, s)
		}
	}
	name := b.Contact.Name
	if strings.TrimSpace(name) == "" {
		name = b.Author
	}
	add(name)
	for _, a := range b.Contact.Address {
		add(a)
	}
	add(b.Contact.Phone)
	add(b.Contact.Email)
	return lines
}

// heading writes a heading paragraph whose lines are separated by line breaks.
func (d *body) heading(style string, lines []string) {
	d.o.raw(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
	d.run(0, strings.Join(lines, "\n"))
	d.o.raw("</w:p>\n")
}

// styleOf maps block types to paragraph styles (see styles.go).
var styleOf = map[document.BlockType]string{
	document.Heading1:       "Heading2",
	document.Heading2:       "Heading3",
	document.Heading3:       "Heading4",
	document.Blockquote:     "Quote",
	document.SceneBreak:     "SceneBreak",
	document.Image:          "Figure",
	document.SceneHeading:   "SceneHeading",
	document.Action:         "Action",
	document.Character:      "Character",
	document.Parenthetical:  "Parenthetical",
	document.Dialogue:       "Dialogue",
	document.Transition:     "Transition",
	document.Shot:           "Shot",
	document.Centered:       "Centered",
	document.Lyrics:         "Lyrics",
	document.ActHeading:     "ActHeading",
	document.StageDirection: "StageDirection",
}

// block writes one block of a chapter.
func (d *body) block(b *document.Block) {
	o := d.o
	switch b.Type {
	case document.Section, document.Synopsis, document.Note:
		return // outline elements are not printed
	case document.PageBreak:
		o.raw(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>` + "\n")
		return
	case document.SceneBreak:
		d.para("SceneBreak", "#")
		return
	case document.Image:
		text := "[Image]"
		if b.Alt != "" {
			text = "[Image: " + b.Alt + "]"
		}
		if b.Caption != "" {
			text += "\n" + b.Caption
		}
		d.para("Figure", text)
		return
	case document.Paragraph:
		d.paragraph(b)
		return
	}
	d.listNum = [document.MaxIndent + 1]int{}
	st := styleOf[b.Type]
	if b.Type == document.Action && d.l.play {
		st = "StageDirection" // a play's descriptions are stage directions
	}
	o.raw(`<w:p><w:pPr><w:pStyle w:val="` + st + `"/>`)
	if a := d.align(b.Align); a != "" {
		o.raw(a)
	}
	o.raw("</w:pPr>")
	if b.Type == document.SceneHeading && b.SceneNumber != "" {
		d.run(0, b.SceneNumber+"  ")
	}
	d.inlines(b.Children)
	o.raw("</w:p>\n")
}

// align returns the w:ind and w:jc of a heading or paragraph alignment.
// Justified text stays ragged right: manuscripts are never justified.
func (d *body) align(a document.Align) string {
	switch a {
	case document.AlignCenter:
		return `<w:ind w:firstLine="0"/><w:jc w:val="center"/>`
	case document.AlignRight:
		return `<w:ind w:firstLine="0"/><w:jc w:val="right"/>`
	}
	return ""
}

// paragraph writes a p block: body text, an indented paragraph or a list item.
func (d *body) paragraph(b *document.Block) {
	o := d.o
	if b.ListStyleType == "" {
		if b.Indent == 0 && b.Align != document.AlignCenter && b.Align != document.AlignRight {
			d.listNum = [document.MaxIndent + 1]int{}
			o.raw("<w:p>")
			d.inlines(b.Children)
			o.raw("</w:p>\n")
			return
		}
		o.raw("<w:p><w:pPr>")
		if b.Indent > 0 {
			o.raw(`<w:ind w:left="` + strconv.Itoa(b.Indent*halfInch) + `"/>`)
		} else {
			o.raw(d.align(b.Align))
		}
		o.raw("</w:pPr>")
		d.inlines(b.Children)
		o.raw("</w:p>\n")
		return
	}
	level := min(max(b.Indent, 1), document.MaxIndent)
	for i := level + 1; i < len(d.listNum); i++ {
		d.listNum[i] = 0
	}
	marker := "•"
	if b.ListStyleType == document.ListDecimal {
		n := b.ListStart
		if n == 0 {
			n = d.listNum[level] + 1
		}
		d.listNum[level] = n
		marker = strconv.Itoa(n) + "."
	}
	o.raw(`<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:ind w:left="` + strconv.Itoa(level*halfInch) + `" w:hanging="360"/></w:pPr>`)
	d.run(0, marker+"\t")
	d.inlines(b.Children)
	o.raw("</w:p>\n")
}

// inlines writes the runs of a block's children.
func (d *body) inlines(children []document.Inline) {
	for i := range children {
		in := &children[i]
		if in.Link == nil {
			d.leaf(&in.Leaf, false)
			continue
		}
		d.o.raw(`<w:hyperlink r:id="rId` + strconv.Itoa(d.linkRel(in.Link.URL)) + `">`)
		for j := range in.Link.Children {
			d.leaf(&in.Link.Children[j], true)
		}
		d.o.raw("</w:hyperlink>")
	}
}

// linkRel returns the relationship number of a hyperlink target.
func (d *body) linkRel(url string) int {
	if d.rel == nil {
		d.rel = make(map[string]int)
	}
	i, ok := d.rel[url]
	if !ok {
		i = len(d.links)
		d.rel[url] = i
		d.links = append(d.links, url)
	}
	return firstLinkRel + i
}

// Run properties, one bit each.
const (
	rBold = 1 << iota
	rItalic
	rUnderline
	rStrike
	rCode
	rSuper
	rSub
	rHighlight
	rLink
)

func (d *body) leaf(lf *document.Leaf, link bool) {
	var m int
	if lf.Bold {
		m |= rBold
	}
	if lf.Italic {
		if d.l.underlineItalics {
			m |= rUnderline
		} else {
			m |= rItalic
		}
	}
	if lf.Underline {
		m |= rUnderline
	}
	if lf.Strikethrough {
		m |= rStrike
	}
	if lf.Code {
		m |= rCode
	}
	if lf.Superscript {
		m |= rSuper
	} else if lf.Subscript {
		m |= rSub
	}
	if lf.Highlight {
		m |= rHighlight
	}
	if link {
		m |= rLink
	}
	d.run(m, lf.Text)
}

// run writes one run with properties m. Line feeds become w:br and tabs w:tab.
func (d *body) run(m int, text string) {
	if text == "" {
		return
	}
	o := d.o
	o.raw("<w:r>")
	if m != 0 {
		// Elements in the order CT_RPr requires.
		o.raw("<w:rPr>")
		if m&rLink != 0 {
			o.raw(`<w:rStyle w:val="Hyperlink"/>`)
		}
		if m&rCode != 0 {
			o.raw(`<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>`)
		}
		if m&rBold != 0 {
			o.raw("<w:b/>")
		}
		if m&rItalic != 0 {
			o.raw("<w:i/>")
		}
		if m&rStrike != 0 {
			o.raw("<w:strike/>")
		}
		if m&rHighlight != 0 {
			o.raw(`<w:highlight w:val="yellow"/>`)
		}
		if m&rUnderline != 0 {
			o.raw(`<w:u w:val="single"/>`)
		}
		if m&rSuper != 0 {
			o.raw(`<w:vertAlign w:val="superscript"/>`)
		}
		if m&rSub != 0 {
			o.raw(`<w:vertAlign w:val="subscript"/>`)
		}
		o.raw("</w:rPr>")
	}
	for text != "" {
		i := strings.IndexAny(text, "\n\t")
		seg := text
		if i >= 0 {
			seg = text[:i]
		}
		if seg != "" {
			if needsPreserve(seg) {
				o.raw(`<w:t xml:space="preserve">`)
			} else {
				o.raw("<w:t>")
			}
			o.text(seg, false)
			o.raw("</w:t>")
		}
		if i < 0 {
			break
		}
		if text[i] == '\n' {
			o.raw("<w:br/>")
		} else {
			o.raw("<w:tab/>")
		}
		text = text[i+1:]
	}
	o.raw("</w:r>")
}

// sectPr writes the section properties: page size, margins, headers.
func (d *body) sectPr() {
	o, l := d.o, d.l
	o.raw(`<w:sectPr><w:headerReference w:type="default" r:id="rId3"/><w:headerReference w:type="first" r:id="rId4"/>`)
	if l.script {
		o.raw(`<w:footerReference w:type="first" r:id="rId5"/>`)
	}
	o.raw(`<w:pgSz w:w="` + strconv.Itoa(l.pageW) + `" w:h="` + strconv.Itoa(l.pageH) + `"/>`)
	o.raw(`<w:pgMar w:top="1440" w:right="` + strconv.Itoa(l.marginRight) + `" w:bottom="1440" w:left="` + strconv.Itoa(l.marginLeft) + `" w:header="720" w:footer="720" w:gutter="0"/>`)
	o.raw("<w:titlePg/></w:sectPr>\n")
}
