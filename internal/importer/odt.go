package importer

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
)

// OpenDocument namespaces.
const (
	nsText   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsStyle  = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
	nsFO     = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
	nsOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	nsDraw   = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
	nsXLink  = "http://www.w3.org/1999/xlink"
)

const odtKind = "OpenDocument file"

// odtStyle is an OpenDocument style, as far as imports care.
type odtStyle struct {
	name    string // display name, lower case: "heading 1"
	parent  string
	outline int // default outline level, 0 when none
	marks   markSet
	align   document.Align
}

// odt reads an OpenDocument text: the common styles (styles.xml), the
// automatic styles and body (content.xml) and the title (meta.xml).
func (j *job) odt(r io.ReaderAt, size int64) (*Manuscript, error) {
	c, err := j.openZip(r, size, odtKind)
	if err != nil {
		return nil, err
	}
	if err := c.checkMimetype(); err != nil {
		return nil, err
	}
	if c.has("word/document.xml") {
		return nil, errs.E(errs.UnsupportedMedia, "This file is a Word document, not an OpenDocument file. Upload it with its .docx name.")
	}
	if !c.has("content.xml") {
		return nil, errs.E(errs.UnsupportedMedia, "This file is a zip archive but not an OpenDocument text (it has no content.xml).")
	}
	o := &odtReader{j: j, c: c, styles: map[string]*odtStyle{}}
	o.in.j = j
	if err := o.readStyles("styles.xml", false); err != nil {
		return nil, err
	}
	if err := o.readStyles("content.xml", true); err != nil {
		return nil, err
	}
	title, err := c.coreTitle("meta.xml")
	if err != nil {
		return nil, err
	}
	return j.prose(o.paras, title)
}

// checkMimetype refuses OpenDocument files other than text documents.
func (c *container) checkMimetype() error {
	rd, err := c.openAux("mimetype")
	if err != nil || rd == nil {
		return err
	}
	b, err := io.ReadAll(io.LimitReader(rd, 200))
	if err != nil {
		return err
	}
	mt := string(bytes.TrimSpace(b))
	switch {
	case strings.HasPrefix(mt, "application/vnd.oasis.opendocument.text"):
		return nil
	case mt == "application/epub+zip":
		return errs.E(errs.UnsupportedMedia, "This file is an EPUB e-book, which can't be imported. Upload the manuscript as .docx, .odt, Markdown or plain text.")
	case strings.HasPrefix(mt, "application/vnd.oasis.opendocument."):
		return errs.E(errs.UnsupportedMedia, "This OpenDocument file is not a text document (it is %s). Upload a Writer document (.odt).", strings.TrimPrefix(mt, "application/vnd.oasis.opendocument."))
	}
	return nil
}

type odtReader struct {
	j      *job
	c      *container
	x      *xmlReader
	styles map[string]*odtStyle
	paras  []para
	in     inlines
}

// readStyles reads the styles of a part (office:styles and
// office:automatic-styles); in content.xml it goes on to read the body.
func (o *odtReader) readStyles(name string, content bool) error {
	open := o.c.openAux
	if content {
		open = o.c.open
	}
	rd, err := open(name)
	if err != nil || rd == nil {
		return err
	}
	x := o.j.newXML(rd, odtKind, name)
	o.x = x
	for {
		t, err := x.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		start, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case start.Name.Space == nsStyle && start.Name.Local == "style":
			if err := o.style(start); err != nil {
				return err
			}
		case start.Name.Space == nsOffice && start.Name.Local == "text" && content:
			if err := o.body(); err != nil {
				return err
			}
		case start.Name.Space == nsOffice && (start.Name.Local == "master-styles" || start.Name.Local == "scripts" || start.Name.Local == "font-face-decls"):
			if err := x.skip(); err != nil {
				return err
			}
		}
	}
}

// style reads a style:style just started.
func (o *odtReader) style(start xml.StartElement) error {
	name := attr(start, "name", nsStyle)
	s := &odtStyle{name: strings.ToLower(attr(start, "display-name", nsStyle)), parent: attr(start, "parent-style-name", nsStyle)}
	if s.name == "" {
		s.name = strings.ToLower(strings.ReplaceAll(name, "_20_", " "))
	}
	s.outline, _ = strconv.Atoi(attr(start, "default-outline-level", nsStyle))
	x := o.x
	depth := x.depth
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return x.unexpectedEOF(err)
		}
		el, ok := t.(xml.StartElement)
		if !ok || el.Name.Space != nsStyle {
			continue
		}
		switch el.Name.Local {
		case "text-properties":
			s.marks = odtTextProps(el)
		case "paragraph-properties":
			switch attr(el, "text-align", nsFO) {
			case "center":
				s.align = document.AlignCenter
			case "end", "right":
				s.align = document.AlignRight
			}
		}
	}
	if name != "" {
		if _, dup := o.styles[name]; !dup {
			o.styles[name] = s
		}
	}
	return nil
}

// odtTextProps reads the marks of style:text-properties.
func odtTextProps(el xml.StartElement) markSet {
	var s markSet
	if v := attr(el, "font-style", nsFO); v != "" {
		s.set(mItalic, v == "italic" || v == "oblique")
	}
	if v := attr(el, "font-weight", nsFO); v != "" {
		s.set(mBold, v == "bold" || v >= "600" && v <= "999" && len(v) == 3)
	}
	if v := attr(el, "text-underline-style", nsStyle); v != "" {
		s.set(mUnderline, v != "none")
	}
	if v := attr(el, "text-line-through-style", nsStyle); v != "" {
		s.set(mStrike, v != "none")
	}
	if v := attr(el, "text-position", nsStyle); v != "" {
		up := strings.HasPrefix(v, "super") || v[0] >= '1' && v[0] <= '9'
		down := strings.HasPrefix(v, "sub") || v[0] == '-'
		s.set(mSuper, up)
		s.set(mSub, down)
	}
	return s
}

// resolve follows a style's parents.
func (o *odtReader) resolve(name string) (info styleInfo, align document.Align) {
	var chain []*odtStyle
	seen := map[string]bool{}
	for name != "" && !seen[name] && len(chain) < 16 {
		seen[name] = true
		s := o.styles[name]
		if s == nil {
			s = &odtStyle{name: strings.ToLower(strings.ReplaceAll(name, "_20_", " "))}
		}
		chain = append(chain, s)
		name = s.parent
	}
	for i := len(chain) - 1; i >= 0; i-- {
		info.marks = info.marks.then(chain[i].marks)
		if chain[i].align != "" {
			align = chain[i].align
		}
	}
	for _, s := range chain {
		if r, level, quote, ok := styleName(s.name); ok {
			info.role, info.level, info.quote = r, level, quote
			return info, align
		}
		if s.name == "horizontal line" {
			info.role = sceneBreak
			return info, align
		}
		if s.outline > 0 && s.outline <= 9 {
			info.role, info.level = heading, s.outline
			return info, align
		}
	}
	return info, align
}

// body reads office:text just started.
func (o *odtReader) body() error {
	x := o.x
	depth := x.depth
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return x.unexpectedEOF(err)
		}
		start, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case start.Name.Space == nsText && (start.Name.Local == "p" || start.Name.Local == "h"):
			if err := o.paragraph(start); err != nil {
				return err
			}
		case start.Name.Space == nsText && start.Name.Local == "tracked-changes":
			// Deleted text is kept here, out of the paragraphs: skipping it
			// accepts the changes.
			if err := o.trackedChanges(); err != nil {
				return err
			}
		case start.Name.Space == nsText && (start.Name.Local == "sequence-decls" ||
			start.Name.Local == "variable-decls" || start.Name.Local == "user-field-decls" || start.Name.Local == "table-of-content"),
			start.Name.Space == nsOffice && (start.Name.Local == "forms" || start.Name.Local == "annotation"):
			if err := x.skip(); err != nil {
				return err
			}
		case start.Name.Local == "table" && start.Name.Space != nsText:
			o.j.warn.add("Tables were imported as plain paragraphs.")
		}
	}
	return nil
}

// trackedChanges reads text:tracked-changes just started and warns when it
// records changes.
func (o *odtReader) trackedChanges() error {
	x := o.x
	depth := x.depth
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return x.unexpectedEOF(err)
		}
		if start, ok := t.(xml.StartElement); ok && start.Name.Space == nsText && start.Name.Local == "changed-region" {
			o.j.warn.add(acceptedChanges)
		}
	}
	return nil
}

// paragraph reads a text:p or text:h just started, applying OpenDocument's
// white-space rules: runs of spaces, tabs and line ends in the text collapse
// into one space and are dropped at the start and end of the paragraph;
// text:s, text:tab and text:line-break are kept as written.
func (o *odtReader) paragraph(start xml.StartElement) error {
	x := o.x
	depth := x.depth
	info, align := o.resolve(attr(start, "style-name", nsText))
	r, level := info.role, info.level
	if start.Name.Local == "h" {
		r, level = heading, 1
		if n, err := strconv.Atoi(attr(start, "outline-level", nsText)); err == nil && n >= 1 && n <= 9 {
			level = n
		}
	}
	type span struct {
		depth int
		m     mark
	}
	spans := []span{{depth, mark(0).with(info.marks)}}
	linkDepth := 0
	shape := false
	space := true // the text so far ends in a collapsible space (or is empty)
	var text strings.Builder
	flush := func() error {
		s := text.String()
		text.Reset()
		m := spans[len(spans)-1].m
		if linkDepth > 0 {
			// Link styles underline; the link is the mark.
			m &^= mUnderline
		}
		return o.in.add(s, m)
	}
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return x.unexpectedEOF(err)
		}
		switch t := t.(type) {
		case xml.CharData:
			for _, c := range string(t) {
				if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
					if !space {
						text.WriteByte(' ')
						space = true
					}
					continue
				}
				text.WriteRune(c)
				space = false
			}
		case xml.EndElement:
			if x.depth < spans[len(spans)-1].depth && len(spans) > 1 {
				if err := flush(); err != nil {
					return err
				}
				spans = spans[:len(spans)-1]
			}
			if linkDepth > 0 && x.depth < linkDepth {
				if err := flush(); err != nil {
					return err
				}
				o.in.closeLink()
				linkDepth = 0
			}
		case xml.StartElement:
			switch {
			case t.Name.Space == nsText && t.Name.Local == "span":
				if err := flush(); err != nil {
					return err
				}
				si, _ := o.resolve(attr(t, "style-name", nsText))
				spans = append(spans, span{x.depth, spans[len(spans)-1].m.with(si.marks)})
			case t.Name.Space == nsText && t.Name.Local == "a":
				if u := linkURL(attr(t, "href", nsXLink)); u != "" && linkDepth == 0 {
					if err := flush(); err != nil {
						return err
					}
					o.in.openLink(u)
					linkDepth = x.depth
				}
			case t.Name.Space == nsText && t.Name.Local == "s":
				n, err := strconv.Atoi(attr(t, "c", nsText))
				if err != nil || n < 1 {
					n = 1
				}
				text.WriteString(strings.Repeat(" ", min(n, 1000)))
				space = false
			case t.Name.Space == nsText && t.Name.Local == "tab":
				text.WriteByte('\t')
				space = false
			case t.Name.Space == nsText && t.Name.Local == "line-break":
				text.WriteByte('\n')
				space = false
			case t.Name.Space == nsText && (t.Name.Local == "note" || t.Name.Local == "ruby-text" || t.Name.Local == "p" || t.Name.Local == "h"),
				t.Name.Space == nsOffice && t.Name.Local == "annotation":
				if t.Name.Local == "note" {
					o.j.warn.add("Footnotes and endnotes were not imported.")
				}
				if err := x.skip(); err != nil {
					return err
				}
			case t.Name.Space == nsDraw:
				if t.Name.Local == "rect" || t.Name.Local == "line" {
					shape = true
				} else {
					o.j.warn.add("Images and drawings were not imported.")
				}
				if err := x.skip(); err != nil {
					return err
				}
			case t.Name.Space != nsText:
				if err := x.skip(); err != nil {
					return err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	ins := o.in.take()
	trimTrailingSpace(ins)
	b := document.Block{Type: document.Paragraph, Align: align, Children: ins}
	if info.quote {
		b.Type, b.Align = document.Blockquote, ""
	}
	if r == sceneBreak {
		r, shape = body, true
	}
	p, ok, err := o.j.classify(r, level, b, shape)
	if err != nil || !ok {
		return err
	}
	o.paras = append(o.paras, p)
	return nil
}

// trimTrailingSpace drops the collapsed space that ends a paragraph.
func trimTrailingSpace(ins []document.Inline) {
	if len(ins) == 0 || ins[len(ins)-1].Link != nil {
		return
	}
	lf := &ins[len(ins)-1].Leaf
	lf.Text = strings.TrimSuffix(lf.Text, " ")
}
