package docx

import (
	"strconv"
	"strings"
)

// style is one paragraph or character style of word/styles.xml.
type style struct {
	id, name string
	char     bool   // a character style
	next     string // the style of the paragraph after this one
	pPr, rPr string
	outline  int // outline level + 1 for headings, 0 otherwise
}

// noIndent cancels Normal's first-line indent.
const noIndent = `<w:ind w:firstLine="0"/>`

const (
	center = `<w:jc w:val="center"/>`
	right  = `<w:jc w:val="right"/>`
)

func spacing(before, after, line int) string {
	s := `<w:spacing`
	if before >= 0 {
		s += ` w:before="` + strconv.Itoa(before) + `"`
	}
	if after >= 0 {
		s += ` w:after="` + strconv.Itoa(after) + `"`
	}
	if line > 0 {
		s += ` w:line="` + strconv.Itoa(line) + `" w:lineRule="auto"`
	}
	return s + "/>"
}

func indent(left, rightInd int) string {
	return `<w:ind w:left="` + strconv.Itoa(left) + `" w:right="` + strconv.Itoa(rightInd) + `" w:firstLine="0"/>`
}

// styles returns the styles of a layout. Normal is manuscript body text.
// Paragraph properties are written in the order CT_PPr requires: pStyle,
// keepNext, keepLines, pageBreakBefore, tabs, spacing, ind, jc, outlineLvl.
func styles(l layout) []style {
	body := spacing(0, 0, doubleLine) + `<w:ind w:firstLine="720"/>`
	if l.script {
		body = spacing(0, 0, singleLine) + `<w:ind w:firstLine="0"/>`
	}
	// A chapter opens a third of the way down a new page (prose) or at the top
	// of a new page (scripts).
	chapter := `<w:keepNext/><w:keepLines/><w:pageBreakBefore/>` + spacing(l.pageH/3-inch, doubleLine, 0) + noIndent + center
	chapterRun := ""
	if l.script {
		chapter = `<w:keepNext/><w:keepLines/><w:pageBreakBefore/>` + spacing(0, singleLine, 0) + noIndent + center
		chapterRun = `<w:caps/><w:u w:val="single"/>`
	}
	sub := `<w:keepNext/><w:keepLines/>` + spacing(doubleLine, 0, 0) + noIndent + center
	if l.script {
		sub = `<w:keepNext/><w:keepLines/>` + spacing(singleLine, 0, 0) + noIndent
	}

	// Script element indents, from the left margin (1.5 in from the edge).
	const (
		cueIndent      = 3168 // 2.2 in: cues at 3.7 in from the edge
		dialogueIndent = 1440 // 1.0 in: dialogue at 2.5 in, 3.5 in wide
		dialogueRight  = 2160
		parenIndent    = 2304 // 1.6 in: parentheticals at 3.1 in, 2.4 in wide
		parenRight     = 2880
		directionLeft  = 2880 // 2.0 in: stage directions at 3.5 in
	)
	blank := spacing(singleLine, 0, singleLine)
	character := `<w:keepNext/>` + blank + indent(cueIndent, 0)
	dialogue := spacing(0, 0, singleLine) + indent(dialogueIndent, dialogueRight)
	paren := `<w:keepNext/>` + spacing(0, 0, singleLine) + indent(parenIndent, parenRight)
	if l.play {
		// Stage plays centre the speaker and run speeches the full width.
		character = `<w:keepNext/>` + blank + noIndent + center
		dialogue = spacing(0, 0, singleLine) + noIndent
		paren = `<w:keepNext/>` + spacing(0, 0, singleLine) + indent(halfInch*3, halfInch*3)
	}

	single := spacing(0, 0, singleLine)
	// A script's title page spaces its single-spaced credit lines apart.
	creditSpace, authorSpace := "", ""
	if l.script {
		creditSpace, authorSpace = spacing(doubleLine, 0, 0), spacing(singleLine, 0, 0)
	}
	return []style{
		{id: "Normal", name: "Normal", pPr: body},
		{id: "Heading1", name: "heading 1", next: "Normal", pPr: chapter, rPr: chapterRun, outline: 1},
		{id: "Heading2", name: "heading 2", next: "Normal", pPr: sub, outline: 2},
		{id: "Heading3", name: "heading 3", next: "Normal", pPr: sub, outline: 3},
		{id: "Heading4", name: "heading 4", next: "Normal", pPr: sub, outline: 4},
		{id: "Title", name: "Title", next: "Byline", pPr: `<w:keepNext/>` + noIndent + center},
		{id: "Subtitle", name: "Subtitle", next: "Byline", pPr: `<w:keepNext/>` + noIndent + center},
		{id: "Byline", name: "Byline", next: "Normal", pPr: creditSpace + noIndent + center},
		{id: "Author", name: "Author", next: "Normal", pPr: authorSpace + noIndent + center},
		{id: "Contact", name: "Contact", next: "Contact", pPr: single + noIndent},
		{id: "SceneBreak", name: "Scene Break", next: "Normal", pPr: noIndent + center},
		{id: "End", name: "End", pPr: blankIf(l.script) + noIndent + center},
		{id: "Quote", name: "Quote", next: "Normal", pPr: indent(halfInch, halfInch)},
		{id: "ListParagraph", name: "List Paragraph", pPr: `<w:ind w:left="720" w:hanging="360"/>`},
		{id: "Figure", name: "Figure", next: "Normal", pPr: noIndent + center},
		{id: "Header", name: "header", pPr: single + noIndent + right},
		{id: "Footer", name: "footer", pPr: single + noIndent},
		{id: "SceneHeading", name: "Scene Heading", next: "Action", pPr: `<w:keepNext/>` + blank + noIndent, rPr: `<w:caps/>`},
		{id: "Action", name: "Action", next: "Action", pPr: blank + noIndent},
		{id: "Character", name: "Character", next: "Dialogue", pPr: character, rPr: `<w:caps/>`},
		{id: "Parenthetical", name: "Parenthetical", next: "Dialogue", pPr: paren},
		{id: "Dialogue", name: "Dialogue", next: "Character", pPr: dialogue},
		{id: "Transition", name: "Transition", next: "SceneHeading", pPr: blank + noIndent + right, rPr: `<w:caps/>`},
		{id: "Shot", name: "Shot", next: "Action", pPr: `<w:keepNext/>` + blank + noIndent, rPr: `<w:caps/>`},
		{id: "Centered", name: "Centered", next: "Action", pPr: blank + noIndent + center},
		{id: "Lyrics", name: "Lyrics", next: "Lyrics", pPr: dialogue, rPr: `<w:i/>`},
		{id: "ActHeading", name: "Act Heading", next: "SceneHeading", pPr: `<w:keepNext/>` + blank + noIndent + center, rPr: `<w:caps/><w:u w:val="single"/>`},
		{id: "StageDirection", name: "Stage Direction", next: "Character", pPr: blank + indent(directionLeft, 0)},
		{id: "Hyperlink", name: "Hyperlink", char: true, rPr: `<w:u w:val="single"/>`},
	}
}

func blankIf(script bool) string {
	if script {
		return spacing(doubleLine, 0, 0)
	}
	return ""
}

// writeStyles writes word/styles.xml: the document defaults (font, 12 pt,
// language, no space between paragraphs) and the styles.
func writeStyles(o out, l layout) {
	font := `<w:rFonts w:ascii="` + l.font + `" w:hAnsi="` + l.font + `" w:eastAsia="` + l.font + `" w:cs="` + l.font + `"/>`
	lang := ""
	if l.lang != "" {
		lang = `<w:lang w:val="` + l.lang + `"/>`
	}
	var b strings.Builder
	b.WriteString(xmlDecl + `<w:styles xmlns:w="` + nsW + `">`)
	b.WriteString(`<w:docDefaults><w:rPrDefault><w:rPr>` + font + `<w:sz w:val="24"/><w:szCs w:val="24"/>` + lang + `</w:rPr></w:rPrDefault>`)
	b.WriteString(`<w:pPrDefault><w:pPr>` + spacing(0, 0, 0) + `</w:pPr></w:pPrDefault></w:docDefaults>` + "\n")
	for _, s := range styles(l) {
		kind := "paragraph"
		if s.char {
			kind = "character"
		}
		b.WriteString(`<w:style w:type="` + kind + `"`)
		if s.id == "Normal" {
			b.WriteString(` w:default="1"`)
		}
		b.WriteString(` w:styleId="` + s.id + `"><w:name w:val="` + s.name + `"/>`)
		if s.id != "Normal" && !s.char {
			b.WriteString(`<w:basedOn w:val="Normal"/>`)
		}
		if s.next != "" {
			b.WriteString(`<w:next w:val="` + s.next + `"/>`)
		}
		if s.outline > 0 {
			b.WriteString(`<w:uiPriority w:val="9"/>`)
		}
		if s.outline > 0 || s.id == "Normal" || s.id == "Title" || s.id == "Quote" {
			b.WriteString(`<w:qFormat/>`)
		}
		pPr := s.pPr
		if s.outline > 0 {
			pPr += `<w:outlineLvl w:val="` + strconv.Itoa(s.outline-1) + `"/>`
		}
		if pPr != "" && !s.char {
			b.WriteString(`<w:pPr>` + pPr + `</w:pPr>`)
		}
		if s.rPr != "" {
			b.WriteString(`<w:rPr>` + s.rPr + `</w:rPr>`)
		}
		b.WriteString("</w:style>\n")
	}
	b.WriteString("</w:styles>\n")
	o.raw(b.String())
}
