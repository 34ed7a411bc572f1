package xhtml

import (
	"strconv"

	"github.com/authorworks/authorworks/internal/document"
)

// Options controls how AppendDoc renders a document.
type Options struct {
	// HeadingLevel is the HTML heading level (1–6) that a document's h1 blocks
	// take; h2 and h3 blocks go one and two levels deeper (never past h6). Act
	// headings take this level too, and scene headings the next one when the
	// document has act headings. Zero means 2, for a page whose <h1> is the
	// chapter title.
	HeadingLevel int
}

// AppendDoc appends d to dst as XHTML block elements and returns the extended
// slice:
//
//   - paragraphs become <p>; Plate's indent lists become nested <ul>/<ol>
//     (with start and value numbers), and indented paragraphs without a list
//     style continue the list item of their level or get an indent-N class;
//   - headings become <hN> at Options.HeadingLevel and below; alignment
//     becomes an align-* class;
//   - consecutive blockquote blocks become one <blockquote> of paragraphs;
//   - a scene break becomes <hr class="scene-break"/>, which the stylesheet
//     draws as a centred ornament;
//   - an image becomes a <figure> holding its alt text in brackets and its
//     caption. Images name stored files by id and a Book carries no bytes for
//     them, so their description stands in for the picture; images with
//     neither alt text nor caption are left out;
//   - screenplay and stage blocks become paragraphs (headings for act and scene
//     headings) with a class named after the block type (scene-heading,
//     character, parenthetical, dialogue, transition, …); a character cue and
//     the parentheticals and dialogue under it are grouped in
//     <div class="speech">, and a dual cue's speech is paired with the one
//     before it in <div class="dual-dialogue">. Page breaks become an empty
//     <div class="page-break">;
//   - sections, synopses and notes are the writer's outline and annotations,
//     which a script does not print, so they are left out, as are blocks
//     without text;
//   - marks become <strong>, <em>, <u>, <s>, <code>, <sup>, <sub> and <mark>;
//     links become <a href> (the model allows only http, https and mailto
//     URLs); line breaks become <br/>. AI provenance is not rendered.
//
// All text and attribute values are escaped with AppendEscaped.
func AppendDoc(dst []byte, d document.Doc, opt Options) []byte {
	r := renderer{buf: dst, level: opt.HeadingLevel}
	if r.level < 1 || r.level > 6 {
		r.level = 2
	}
	r.sceneLevel = r.level
	for i := range d {
		if d[i].Type == document.ActHeading {
			r.sceneLevel = r.level + 1
			break
		}
	}
	r.doc(d)
	return r.buf
}

type renderer struct {
	buf        []byte
	level      int // heading level of an h1 block
	sceneLevel int // heading level of a scene heading
	lists      []openList
	quote      bool // a <blockquote> is open
}

// openList is one level of nested lists with its current <li> open.
type openList struct {
	level   int // the Indent of its items
	ordered bool
	next    int // the number the next item gets without a value attribute
}

func (r *renderer) str(s string) { r.buf = append(r.buf, s...) }

func (r *renderer) doc(d document.Doc) {
	for i := 0; i < len(d); {
		b := &d[i]
		if b.Type != document.Blockquote {
			r.closeQuote()
		}
		if !r.continuesList(b) {
			r.closeLists(0)
		}
		if b.Type != document.Character {
			r.block(b)
			i++
			continue
		}
		end := speechEnd(d, i)
		if end < len(d) && d[end].Type == document.Character && d[end].Dual {
			second := speechEnd(d, end)
			r.str(`<div class="dual-dialogue">`)
			r.speech(d[i:end])
			r.speech(d[end:second])
			r.str("</div>\n")
			i = second
			continue
		}
		r.speech(d[i:end])
		i = end
	}
	r.closeQuote()
	r.closeLists(0)
}

// speechEnd returns the index after the parentheticals, dialogue and notes that
// follow the character cue at i.
func speechEnd(d document.Doc, i int) int {
	j := i + 1
	for j < len(d) && (d[j].Type == document.Parenthetical || d[j].Type == document.Dialogue || d[j].Type == document.Note) {
		j++
	}
	return j
}

// speech writes a character cue and the blocks under it.
func (r *renderer) speech(bs []document.Block) {
	if bs[0].Dual {
		r.str(`<div class="speech dual">`)
	} else {
		r.str(`<div class="speech">`)
	}
	for i := range bs {
		r.block(&bs[i])
	}
	r.str("</div>\n")
}

func (r *renderer) block(b *document.Block) {
	switch b.Type {
	case document.SceneBreak:
		r.str("<hr class=\"scene-break\"/>\n")
		return
	case document.PageBreak:
		r.str("<div class=\"page-break\"></div>\n")
		return
	case document.Image:
		r.image(b)
		return
	case document.Section, document.Synopsis, document.Note:
		return
	case document.Paragraph:
		if b.ListStyleType != "" {
			r.listItem(b)
			return
		}
	}
	if empty(b) {
		return
	}
	switch b.Type {
	case document.Paragraph:
		class := alignClass(b.Align)
		switch {
		case len(r.lists) > 0:
			r.closeLists(b.Indent) // a continuation of the item at its level
		case b.Indent > 0:
			class = join(class, "indent-"+strconv.Itoa(b.Indent))
		}
		r.element("p", class, b)
	case document.Heading1, document.Heading2, document.Heading3:
		level := r.level + int(b.Type[1]-'1')
		r.element(heading(level), alignClass(b.Align), b)
	case document.Blockquote:
		if !r.quote {
			r.str("<blockquote>\n")
			r.quote = true
		}
		r.element("p", "", b)
	case document.ActHeading:
		r.element(heading(r.level), "act-heading", b)
	case document.SceneHeading:
		r.sceneHeading(b)
	default:
		r.element("p", scriptClass(b.Type), b)
	}
}

// scriptClass names the class of a screenplay or stage block.
func scriptClass(t document.BlockType) string {
	switch t {
	case document.StageDirection:
		return "stage-direction"
	case document.Character, document.Parenthetical, document.Dialogue, document.Action,
		document.Transition, document.Shot, document.Centered, document.Lyrics:
		return string(t)
	}
	return ""
}

func (r *renderer) sceneHeading(b *document.Block) {
	tag := heading(r.sceneLevel)
	r.str("<" + tag + ` class="scene-heading">`)
	if b.SceneNumber != "" {
		r.str(`<span class="scene-number">`)
		r.buf = AppendEscaped(r.buf, b.SceneNumber)
		r.str("</span> ")
	}
	r.inlines(b.Children)
	r.str("</" + tag + ">\n")
}

func (r *renderer) image(b *document.Block) {
	if b.Alt == "" && b.Caption == "" {
		return
	}
	r.str(`<figure class="image">`)
	if b.Alt != "" {
		r.str(`<p class="image-alt">[`)
		r.buf = AppendEscaped(r.buf, b.Alt)
		r.str("]</p>")
	}
	if b.Caption != "" {
		r.str("<figcaption>")
		r.buf = AppendEscaped(r.buf, b.Caption)
		r.str("</figcaption>")
	}
	r.str("</figure>\n")
}

// element writes the block's inlines in <tag class="class">.
func (r *renderer) element(tag, class string, b *document.Block) {
	r.str("<" + tag)
	if class != "" {
		r.str(` class="` + class + `"`)
	}
	r.str(">")
	r.inlines(b.Children)
	r.str("</" + tag + ">\n")
}

func (r *renderer) closeQuote() {
	if r.quote {
		r.str("</blockquote>\n")
		r.quote = false
	}
}

func heading(level int) string {
	return "h" + strconv.Itoa(min(level, 6))
}

func alignClass(a document.Align) string {
	if a == "" {
		return ""
	}
	return "align-" + string(a)
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// empty reports whether a block holds no text.
func empty(b *document.Block) bool {
	for _, in := range b.Children {
		if in.Link == nil {
			if in.Leaf.Text != "" {
				return false
			}
			continue
		}
		for _, lf := range in.Link.Children {
			if lf.Text != "" {
				return false
			}
		}
	}
	return true
}
