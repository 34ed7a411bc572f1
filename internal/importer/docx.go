package importer

import (
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
)

// WordprocessingML namespaces: transitional and strict.
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsR       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	nsVMLO    = "urn:schemas-microsoft-com:office:office"
	nsDC      = "http://purl.org/dc/elements/1.1/"
)

const wordKind = "Word document"

func isW(n xml.Name) bool { return n.Space == nsW || n.Space == nsWStrict }

// wAttr is the value of a w: attribute.
func wAttr(start xml.StartElement, local string) string {
	return attr(start, local, nsW, nsWStrict)
}

// docx reads a Word document: its main part (found through _rels/.rels),
// that part's relationships (hyperlink targets) and styles, and the title in
// its core properties.
func (j *job) docx(r io.ReaderAt, size int64) (*Manuscript, error) {
	c, err := j.openZip(r, size, wordKind)
	if err != nil {
		return nil, err
	}
	main := "word/document.xml"
	pkgRels, err := c.rels("_rels/.rels", "")
	if err != nil {
		return nil, err
	}
	for _, rel := range pkgRels {
		if strings.HasSuffix(rel.typ, "/officeDocument") && !rel.external && c.has(rel.target) {
			main = rel.target
			break
		}
	}
	if !c.has(main) {
		return nil, c.notWord()
	}
	w := &docxReader{j: j, c: c, links: map[string]string{}}
	dir, base := path.Split(main)
	docRels, err := c.rels(dir+"_rels/"+base+".rels", dir)
	if err != nil {
		return nil, err
	}
	stylesPart := dir + "styles.xml"
	for id, rel := range docRels {
		switch {
		case strings.HasSuffix(rel.typ, "/hyperlink") && rel.external:
			if u := linkURL(rel.target); u != "" {
				w.links[id] = u
			}
		case strings.HasSuffix(rel.typ, "/styles") && !rel.external:
			stylesPart = rel.target
		}
	}
	if w.styles, err = c.wordStyles(stylesPart); err != nil {
		return nil, err
	}
	title, err := c.coreTitle("docProps/core.xml")
	if err != nil {
		return nil, err
	}
	if err := w.document(main); err != nil {
		return nil, err
	}
	return j.prose(w.paras, title)
}

// notWord explains what a zip without a Word main part is.
func (c *container) notWord() error {
	switch {
	case c.has("content.xml") && c.has("mimetype"):
		return errs.E(errs.UnsupportedMedia, "This file is an OpenDocument file, not a Word document. Upload it with its .odt name.")
	case c.has("xl/workbook.xml"):
		return errs.E(errs.UnsupportedMedia, "This file is an Excel spreadsheet, not a Word document.")
	case c.has("ppt/presentation.xml"):
		return errs.E(errs.UnsupportedMedia, "This file is a PowerPoint presentation, not a Word document.")
	}
	return errs.E(errs.UnsupportedMedia, "This file is a zip archive but not a Word document (it has no word/document.xml). Upload a .docx saved by Word, LibreOffice, Google Docs, Pages or Scrivener.")
}

// rel is one package relationship.
type rel struct {
	typ, target string
	external    bool
}

// rels reads a relationships part; targets of internal relationships are
// resolved against dir. A missing part has no relationships.
func (c *container) rels(name, dir string) (map[string]rel, error) {
	rd, err := c.openAux(name)
	if err != nil || rd == nil {
		return nil, err
	}
	x := c.j.newXML(rd, c.kind, name)
	out := map[string]rel{}
	for {
		t, err := x.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		start, ok := t.(xml.StartElement)
		if !ok || start.Name.Local != "Relationship" {
			continue
		}
		rl := rel{typ: attr(start, "Type"), target: attr(start, "Target"), external: attr(start, "TargetMode") == "External"}
		if !rl.external {
			rl.target = resolvePart(dir, rl.target)
		}
		if id := attr(start, "Id"); id != "" {
			if _, dup := out[id]; !dup {
				out[id] = rl
			}
		}
	}
}

// resolvePart resolves a relationship target to a part name.
func resolvePart(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean("/"+dir+target), "/")
}

// coreTitle reads dc:title from the core properties part.
func (c *container) coreTitle(name string) (string, error) {
	rd, err := c.openAux(name)
	if err != nil || rd == nil {
		return "", err
	}
	x := c.j.newXML(rd, c.kind, name)
	for {
		t, err := x.next()
		if errors.Is(err, io.EOF) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		if start, ok := t.(xml.StartElement); ok && start.Name.Space == nsDC && start.Name.Local == "title" {
			s, err := x.text()
			return cleanTitle(s), err
		}
	}
}

// wStyle is a Word style, as far as imports care.
type wStyle struct {
	name    string // lower case: "heading 1"
	basedOn string
	outline int // outline level 0–8, or -1
	marks   markSet
}

// wordStyles reads the styles part. A missing part gives no styles (style
// ids are then read as names).
func (c *container) wordStyles(name string) (map[string]*wStyle, error) {
	out := map[string]*wStyle{}
	rd, err := c.openAux(name)
	if err != nil || rd == nil {
		return out, err
	}
	x := c.j.newXML(rd, c.kind, name)
	var cur *wStyle
	depth := 0
	for {
		t, err := x.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			if !isW(t.Name) {
				if err := x.skip(); err != nil {
					return nil, err
				}
				continue
			}
			switch t.Name.Local {
			case "style":
				cur, depth = &wStyle{outline: -1}, x.depth
				if id := wAttr(t, "styleId"); id != "" {
					if _, dup := out[id]; !dup {
						out[id] = cur
					}
				}
			case "name":
				if cur != nil {
					cur.name = strings.ToLower(wAttr(t, "val"))
				}
			case "basedOn":
				if cur != nil {
					cur.basedOn = wAttr(t, "val")
				}
			case "outlineLvl":
				if cur != nil {
					cur.outline = outlineLevel(wAttr(t, "val"))
				}
			case "rPr":
				if cur != nil && x.depth == depth+1 {
					if cur.marks, _, err = wRunProps(x); err != nil {
						return nil, err
					}
				}
			case "pPrChange", "rPrChange", "tblStylePr":
				if err := x.skip(); err != nil {
					return nil, err
				}
			}
		case xml.EndElement:
			if cur != nil && x.depth < depth {
				cur = nil
			}
		}
	}
}

func outlineLevel(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 8 {
		return -1
	}
	return n
}

// wRunProps reads the run properties (w:rPr) just started: the marks they
// set and the character style.
func wRunProps(x *xmlReader) (s markSet, charStyle string, err error) {
	depth := x.depth
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return s, "", x.unexpectedEOF(err)
		}
		start, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		if !isW(start.Name) || start.Name.Local == "rPrChange" {
			if err := x.skip(); err != nil {
				return s, "", err
			}
			continue
		}
		v := wAttr(start, "val")
		switch start.Name.Local {
		case "rStyle":
			charStyle = v
		case "b":
			s.set(mBold, toggle(v))
		case "i":
			s.set(mItalic, toggle(v))
		case "u":
			s.set(mUnderline, v != "none")
		case "strike", "dstrike":
			s.set(mStrike, toggle(v))
		case "vertAlign":
			s.set(mSuper, v == "superscript")
			s.set(mSub, v == "subscript")
		}
	}
	return s, charStyle, nil
}

// toggle reads an OOXML on/off value; an absent value is on.
func toggle(v string) bool {
	switch v {
	case "0", "false", "off", "none":
		return false
	}
	return true
}

// styleInfo is what a paragraph or character style means to an import.
type styleInfo struct {
	role  role
	level int
	quote bool
	marks markSet
}

// style resolves a style id through its basedOn chain.
func (w *docxReader) style(id string) styleInfo {
	var info styleInfo
	var chain []*wStyle
	seen := map[string]bool{}
	for id != "" && !seen[id] && len(chain) < 16 {
		seen[id] = true
		s := w.styles[id]
		if s == nil {
			// Without a styles part, read the id as the style's name.
			s = &wStyle{name: styleIDName(id), outline: -1}
		}
		chain = append(chain, s)
		id = s.basedOn
	}
	for i := len(chain) - 1; i >= 0; i-- {
		info.marks = info.marks.then(chain[i].marks)
	}
	for _, s := range chain {
		if r, level, quote, ok := styleName(s.name); ok {
			info.role, info.level, info.quote = r, level, quote
			return info
		}
		if s.outline >= 0 {
			info.role, info.level = heading, s.outline+1
			return info
		}
	}
	return info
}

// styleIDName reads a style id such as "Heading1" or "TOC2" as a style name.
func styleIDName(id string) string {
	id = strings.ToLower(id)
	for _, prefix := range []string{"heading", "toc"} {
		if rest, ok := strings.CutPrefix(id, prefix); ok {
			return prefix + " " + rest
		}
	}
	return id
}

// styleName reads a (lower-case) style name: "heading 1"–"heading 9",
// "title", the front-matter styles, the quotation styles and the table of
// contents ("toc 1"–"toc 9").
func styleName(name string) (r role, level int, quote, ok bool) {
	name = strings.Join(strings.Fields(strings.ReplaceAll(name, "_20_", " ")), " ")
	if rest, found := strings.CutPrefix(name, "heading "); found {
		if n, err := strconv.Atoi(rest); err == nil && n >= 1 && n <= 9 {
			return heading, n, false, true
		}
	}
	if rest, found := strings.CutPrefix(name, "toc "); found && len(rest) == 1 && rest[0] >= '1' && rest[0] <= '9' {
		return tocEntry, 0, false, true
	}
	switch name {
	case "title":
		return titlePara, 0, false, true
	case "subtitle", "author", "date":
		return frontMatter, 0, false, true
	case "quote", "quotations", "intense quote", "block text", "block quote":
		return body, 0, true, true
	}
	return body, 0, false, false
}

const acceptedChanges = "Tracked changes were imported as if accepted."

// docxReader reads the main part of a Word document.
type docxReader struct {
	j      *job
	c      *container
	x      *xmlReader
	styles map[string]*wStyle
	links  map[string]string // relationship id → vetted URL
	paras  []para
	in     inlines
}

// document reads the body of the main part.
func (w *docxReader) document(name string) error {
	rd, err := w.c.open(name)
	if err != nil {
		return err
	}
	w.x = w.j.newXML(rd, wordKind, name)
	w.in.j = w.j
	root := true
	for {
		t, err := w.x.next()
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
		if root {
			root = false
			if !isW(start.Name) || start.Name.Local != "document" {
				return errs.E(errs.UnsupportedMedia, "This file is not a Word document: its main part is not a WordprocessingML document.")
			}
			continue
		}
		if !isW(start.Name) {
			if err := w.x.skip(); err != nil {
				return err
			}
			continue
		}
		switch start.Name.Local {
		case "p":
			if err := w.paragraph(); err != nil {
				return err
			}
		case "tbl":
			w.j.warn.add("Tables were imported as plain paragraphs.")
		case "ins", "moveTo":
			w.j.warn.add(acceptedChanges)
		case "del", "moveFrom", "sectPr", "sdtPr", "tblPr", "tblGrid", "trPr", "tcPr", "customXmlPr":
			if start.Name.Local == "del" || start.Name.Local == "moveFrom" {
				w.j.warn.add(acceptedChanges)
			}
			if err := w.x.skip(); err != nil {
				return err
			}
		}
	}
}

// paragraph reads a w:p just started.
func (w *docxReader) paragraph() error {
	x := w.x
	depth := x.depth
	var (
		styleID   string
		align     document.Align
		outline   = -1
		border    bool
		hr        bool
		base      mark // marks of the paragraph style
		linkDepth int
	)
	info := w.style("")
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return x.unexpectedEOF(err)
		}
		if _, ok := t.(xml.EndElement); ok {
			if linkDepth > 0 && x.depth < linkDepth {
				w.in.closeLink()
				linkDepth = 0
			}
			continue
		}
		start, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		if !isW(start.Name) {
			if err := x.skip(); err != nil {
				return err
			}
			continue
		}
		switch start.Name.Local {
		case "pPr":
			if styleID, align, outline, border, err = w.paraProps(); err != nil {
				return err
			}
			info = w.style(styleID)
			base = mark(0).with(info.marks)
		case "r":
			rh, err := w.run(base, linkDepth > 0)
			if err != nil {
				return err
			}
			hr = hr || rh
		case "hyperlink":
			if linkDepth == 0 {
				if u := w.links[attr(start, "id", nsR, nsRStrict)]; u != "" {
					w.in.openLink(u)
					linkDepth = x.depth
				}
			}
		case "del", "moveFrom", "p", "tbl", "sdtPr", "customXmlPr", "rPr":
			if start.Name.Local == "del" || start.Name.Local == "moveFrom" {
				w.j.warn.add(acceptedChanges)
			}
			if err := x.skip(); err != nil {
				return err
			}
		case "ins", "moveTo":
			w.j.warn.add(acceptedChanges)
		}
	}
	b := document.Block{Type: document.Paragraph, Align: align, Children: w.in.take()}
	r, level := info.role, info.level
	if outline >= 0 && r == body {
		r, level = heading, outline+1
	}
	if info.quote {
		b.Type, b.Align = document.Blockquote, ""
	}
	p, ok, err := w.j.classify(r, level, b, hr || border)
	if err != nil || !ok {
		return err
	}
	w.paras = append(w.paras, p)
	return nil
}

// paraProps reads a w:pPr just started: the style id, the alignment, a
// direct outline level and whether the paragraph has a border (Word draws a
// typed "---" as a bottom border).
func (w *docxReader) paraProps() (styleID string, align document.Align, outline int, border bool, err error) {
	x := w.x
	outline = -1
	depth := x.depth
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return "", "", -1, false, x.unexpectedEOF(err)
		}
		start, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		if !isW(start.Name) {
			if err := x.skip(); err != nil {
				return "", "", -1, false, err
			}
			continue
		}
		switch start.Name.Local {
		case "pStyle":
			styleID = wAttr(start, "val")
		case "jc":
			switch wAttr(start, "val") {
			case "center":
				align = document.AlignCenter
			case "right", "end":
				align = document.AlignRight
			default:
				align = ""
			}
		case "outlineLvl":
			outline = outlineLevel(wAttr(start, "val"))
		case "top", "bottom":
			border = border || x.depth >= depth+2 && wAttr(start, "val") != "none" && wAttr(start, "val") != "nil"
		case "rPr", "pPrChange", "numPr", "tabs", "sectPr":
			if err := x.skip(); err != nil {
				return "", "", -1, false, err
			}
		}
	}
	return styleID, align, outline, border, nil
}

// run reads a w:r just started and adds its text; it reports whether the run
// holds a horizontal rule (a VML rectangle with o:hr="t", as pandoc and Word
// write them).
func (w *docxReader) run(base mark, inLink bool) (hr bool, err error) {
	x := w.x
	depth := x.depth
	m := base
	var text strings.Builder
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return false, x.unexpectedEOF(err)
		}
		start, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		if !isW(start.Name) {
			if err := x.skip(); err != nil {
				return false, err
			}
			continue
		}
		switch start.Name.Local {
		case "rPr":
			s, charStyle, err := wRunProps(x)
			if err != nil {
				return false, err
			}
			m = base
			if charStyle != "" {
				m = m.with(w.style(charStyle).marks)
			}
			m = m.with(s)
		case "t":
			s, err := x.text()
			if err != nil {
				return false, err
			}
			text.WriteString(s)
		case "tab", "ptab":
			text.WriteByte('\t')
		case "br", "cr":
			if typ := wAttr(start, "type"); typ == "" || typ == "textWrapping" {
				text.WriteByte('\n')
			}
		case "noBreakHyphen":
			text.WriteString("\u2011")
		case "pict":
			rule, err := w.pict()
			if err != nil {
				return false, err
			}
			hr = hr || rule
		case "drawing", "object":
			w.j.warn.add("Images and drawings were not imported.")
			if err := x.skip(); err != nil {
				return false, err
			}
		case "footnoteReference", "endnoteReference":
			w.j.warn.add("Footnotes and endnotes were not imported.")
			if err := x.skip(); err != nil {
				return false, err
			}
		default:
			// delText, instrText, sym, fldChar, softHyphen …: no text.
			if err := x.skip(); err != nil {
				return false, err
			}
		}
	}
	if inLink {
		// Word underlines links through the Hyperlink style; the link is
		// the mark.
		m &^= mUnderline
	}
	return hr, w.in.add(text.String(), m)
}

// pict reads a w:pict just started and reports whether it is a horizontal
// rule.
func (w *docxReader) pict() (bool, error) {
	x := w.x
	depth := x.depth
	hr := false
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return false, x.unexpectedEOF(err)
		}
		if start, ok := t.(xml.StartElement); ok && attr(start, "hr", nsVMLO) == "t" {
			hr = true
		}
	}
	if !hr {
		w.j.warn.add("Images and drawings were not imported.")
	}
	return hr, nil
}
