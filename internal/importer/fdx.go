package importer

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
)

const fdxKind = "Final Draft file"

// fdxTypes maps Final Draft paragraph types to blocks. "New Act" becomes a
// top-level section, so acts become chapters.
var fdxTypes = map[string]document.BlockType{
	"Scene Heading": document.SceneHeading,
	"Action":        document.Action,
	"General":       document.Action,
	"Cast List":     document.Action,
	"Character":     document.Character,
	"Parenthetical": document.Parenthetical,
	"Dialogue":      document.Dialogue,
	"Transition":    document.Transition,
	"Shot":          document.Shot,
	"Lyrics":        document.Lyrics,
	"New Act":       document.Section,
	"End of Act":    document.Centered,
}

// fdx reads a Final Draft script: FinalDraft/Content paragraphs become
// screenplay blocks (DualDialogue marks the second cue dual; Text Style runs
// become marks), and the first line of the title page is the title.
func (j *job) fdx(r io.ReaderAt, size int64) (*Manuscript, error) {
	head := make([]byte, min(size, SniffLen))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, &errs.Error{Kind: errs.Internal, Message: "The file could not be read.", Err: err}
	}
	if err := notXML(fdxKind, head); err != nil {
		return nil, err
	}
	f := &fdxReader{j: j, x: j.newXML(io.NewSectionReader(r, 0, size), fdxKind, "the script")}
	if err := f.read(); err != nil {
		return nil, err
	}
	return j.script(f.doc, f.title)
}

type fdxReader struct {
	j     *job
	x     *xmlReader
	doc   document.Doc
	title string
	other map[string]bool // unknown paragraph types seen
}

func (f *fdxReader) read() error {
	x := f.x
	root := true
	for {
		t, err := x.next()
		if errors.Is(err, io.EOF) {
			if root {
				return damaged(fdxKind, "it holds no XML element", nil)
			}
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
			if start.Name.Local != "FinalDraft" {
				return errs.E(errs.UnsupportedMedia, "This XML file is not a Final Draft script (it starts with <%s>, not <FinalDraft>).", start.Name.Local)
			}
			continue
		}
		switch {
		case x.depth == 2 && start.Name.Local == "Content":
			if err := f.content(nil); err != nil {
				return err
			}
		case x.depth == 2 && start.Name.Local == "TitlePage":
			if err := f.titlePage(); err != nil {
				return err
			}
		default:
			if err := x.skip(); err != nil {
				return err
			}
		}
	}
}

// content reads the paragraphs of an element just started (Content or
// DualDialogue); dual counts the cues of a DualDialogue.
func (f *fdxReader) content(dual *int) error {
	x := f.x
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
		if start.Name.Local == "Paragraph" {
			if err := f.paragraph(start, dual); err != nil {
				return err
			}
			continue
		}
		if err := x.skip(); err != nil {
			return err
		}
	}
	return nil
}

// paragraph reads a Paragraph just started.
func (f *fdxReader) paragraph(start xml.StartElement, dual *int) error {
	x := f.x
	depth := x.depth
	in := inlines{j: f.j}
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return x.unexpectedEOF(err)
		}
		el, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		switch el.Name.Local {
		case "Text":
			m, caps := fdxStyle(attr(el, "Style"))
			s, err := x.text()
			if err != nil {
				return err
			}
			if caps {
				s = strings.ToUpper(s)
			}
			if err := in.add(s, m); err != nil {
				return err
			}
		case "DualDialogue":
			n := 0
			if err := f.content(&n); err != nil {
				return err
			}
		default:
			if err := x.skip(); err != nil {
				return err
			}
		}
	}
	children := in.take()
	if strings.TrimSpace(inlineText(children)) == "" {
		return nil
	}
	typ := attr(start, "Type")
	bt, known := fdxTypes[typ]
	if !known {
		bt = document.Action
		if f.other == nil {
			f.other = map[string]bool{}
		}
		if !f.other[typ] && len(f.other) < 5 {
			f.other[typ] = true
			f.j.warn.add("Final Draft paragraphs of type %q became action.", typ)
		}
	}
	b := document.Block{Type: bt, Children: children}
	switch bt {
	case document.Section:
		b.Depth = 1
	case document.SceneHeading:
		if n := attr(start, "Number"); sceneNumberOK(n) {
			b.SceneNumber = n
		}
	case document.Character:
		if dual != nil {
			*dual++
			b.Dual = *dual == 2
		}
	}
	if err := f.j.addPara(); err != nil {
		return err
	}
	f.doc = append(f.doc, b)
	return nil
}

// fdxStyle reads a Text Style such as "Bold+Italic+AllCaps".
func fdxStyle(style string) (m mark, caps bool) {
	for _, s := range strings.Split(style, "+") {
		switch strings.TrimSpace(s) {
		case "Bold":
			m |= mBold
		case "Italic":
			m |= mItalic
		case "Underline":
			m |= mUnderline
		case "Strikeout":
			m |= mStrike
		case "AllCaps":
			caps = true
		}
	}
	return m, caps
}

// sceneNumberOK reports whether a scene number fits the document model: 1–10
// letters, digits, '-' and '.'.
func sceneNumberOK(n string) bool {
	if n == "" || len(n) > document.MaxSceneNumberLen {
		return false
	}
	return strings.IndexFunc(n, func(c rune) bool {
		return (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' && c != '.'
	}) < 0
}

// titlePage reads TitlePage just started: its first line of text is the
// title.
func (f *fdxReader) titlePage() error {
	x := f.x
	depth := x.depth
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return x.unexpectedEOF(err)
		}
		el, ok := t.(xml.StartElement)
		if !ok || el.Name.Local != "Paragraph" {
			continue
		}
		s, err := x.text()
		if err != nil {
			return err
		}
		if f.title == "" {
			f.title = cleanTitle(s)
		}
	}
	return nil
}
