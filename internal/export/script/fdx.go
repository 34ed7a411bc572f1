package script

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
)

// WriteFDX writes the book as a Final Draft document (FDX, Final Draft's XML,
// version 5 of the format), which Final Draft, Fade In, WriterDuet, Highland
// and Celtx open:
//
//	<FinalDraft DocumentType="Script" Template="No" Version="5">
//	  <Content> <Paragraph Type="Scene Heading"> <Text>…</Text> … </Content>
//	  <TitlePage> <Content> <Paragraph Alignment="Center"> … </Content> </TitlePage>
//	</FinalDraft>
//
// Scene headings (with their scene numbers), action, character cues,
// parentheticals, dialogue, transitions and shots get their own paragraph
// types; bold, italic and underline become Text runs with a Style
// ("Bold+Italic"); a line break inside an element stays a line feed in its
// text. Dual dialogue is a Paragraph holding a DualDialogue element with both
// speeches, as Final Draft writes it. A page break makes the next paragraph
// StartsNewPage="Yes". Centred text and scene breaks are centred Action; act
// headings centred General paragraphs; stage directions Action; lyrics
// General in italics; prose blocks Action. A play's chapter titles become
// act headings. Sections (a screenplay's chapter titles included), synopses
// and notes have no printed form in Final Draft and are left out.
func WriteFDX(w io.Writer, b *export.Book) error {
	if b == nil {
		return fmt.Errorf("script: fdx: no book")
	}
	// A play's chapters are its acts, whose headings print; a screenplay's
	// are sequences, whose titles do not.
	heading := document.Section
	if b.ContentType == "play" {
		heading = document.ActHeading
	}
	doc := fdxDocument{
		DocumentType: "Script", Template: "No", Version: "5",
		Content:   fdxContent{Paragraphs: fdxParagraphs(scriptDoc(b, heading))},
		TitlePage: fdxTitle(b),
	}
	if _, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="no" ?>`+"\n"); err != nil {
		return fmt.Errorf("script: fdx: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("script: fdx: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("script: fdx: %w", err)
	}
	return nil
}

type fdxDocument struct {
	XMLName      xml.Name     `xml:"FinalDraft"`
	DocumentType string       `xml:"DocumentType,attr"`
	Template     string       `xml:"Template,attr"`
	Version      string       `xml:"Version,attr"`
	Content      fdxContent   `xml:"Content"`
	TitlePage    fdxTitlePage `xml:"TitlePage"`
}

type fdxContent struct {
	Paragraphs []fdxParagraph `xml:"Paragraph"`
}

type fdxTitlePage struct {
	Content fdxContent `xml:"Content"`
}

type fdxParagraph struct {
	Type          string   `xml:"Type,attr,omitempty"`
	Number        string   `xml:"Number,attr,omitempty"`
	Alignment     string   `xml:"Alignment,attr,omitempty"`
	StartsNewPage string   `xml:"StartsNewPage,attr,omitempty"`
	Dual          *fdxDual `xml:"DualDialogue,omitempty"`
	Texts         []fdxText
}

type fdxDual struct {
	Paragraphs []fdxParagraph `xml:"Paragraph"`
}

type fdxText struct {
	XMLName xml.Name `xml:"Text"`
	Style   string   `xml:"Style,attr,omitempty"`
	Value   string   `xml:",chardata"`
}

// fdxTypes maps the block types that have a paragraph of their own.
var fdxTypes = map[document.BlockType]string{
	document.SceneHeading:   "Scene Heading",
	document.Action:         "Action",
	document.StageDirection: "Action",
	document.Character:      "Character",
	document.Parenthetical:  "Parenthetical",
	document.Dialogue:       "Dialogue",
	document.Transition:     "Transition",
	document.Shot:           "Shot",
	document.Lyrics:         "General",
	document.ActHeading:     "General",
	document.Centered:       "Action",
	document.SceneBreak:     "Action",
}

func fdxParagraphs(d document.Doc) []fdxParagraph {
	var out []fdxParagraph
	newPage := false
	add := func(p fdxParagraph) {
		if newPage {
			p.StartsNewPage = "Yes"
			newPage = false
		}
		out = append(out, p)
	}
	for i := 0; i < len(d); i++ {
		b := &d[i]
		switch b.Type {
		case document.Section, document.Synopsis, document.Note:
			continue
		case document.PageBreak:
			newPage = len(out) > 0
			continue
		case document.Image:
			if b.Alt != "" {
				add(fdxParagraph{Type: "Action", Texts: []fdxText{{Value: b.Alt}}})
			}
			continue
		case document.Character:
			n := speechLen(d[i:])
			if j := i + n; j < len(d) && d[j].Type == document.Character && d[j].Dual {
				m := speechLen(d[j:])
				dual := &fdxDual{Paragraphs: append(fdxSpeech(d[i:j]), fdxSpeech(d[j:j+m])...)}
				add(fdxParagraph{Dual: dual})
				i = j + m - 1
				continue
			}
			for _, p := range fdxSpeech(d[i : i+n]) {
				add(p)
			}
			i += n - 1
			continue
		}
		add(fdxBlock(b))
	}
	return out
}

// speechLen is the number of blocks of the speech that starts with the cue
// bs[0].
func speechLen(bs []document.Block) int {
	n := 1
	for n < len(bs) && (bs[n].Type == document.Parenthetical || bs[n].Type == document.Dialogue || bs[n].Type == document.Note) {
		n++
	}
	return n
}

func fdxSpeech(bs []document.Block) []fdxParagraph {
	var out []fdxParagraph
	for i := range bs {
		if bs[i].Type != document.Note {
			out = append(out, fdxBlock(&bs[i]))
		}
	}
	return out
}

func fdxBlock(b *document.Block) fdxParagraph {
	typ, ok := fdxTypes[b.Type]
	if !ok {
		typ = "Action" // prose blocks
	}
	t := blockText(b.Children)
	p := fdxParagraph{Type: typ}
	switch b.Type {
	case document.SceneHeading:
		p.Number = b.SceneNumber
		t = oneLine(t)
	case document.Character, document.Transition, document.Shot:
		t = oneLine(t)
	case document.Parenthetical:
		t = parenthesize(oneLine(t))
	case document.Dialogue:
		t = trimSpace(t)
	case document.Centered, document.ActHeading:
		p.Alignment = "Center"
		t = trimSpace(t)
	case document.SceneBreak:
		p.Alignment = "Center"
		t = plain("* * *", 0)
	case document.Lyrics:
		t = addStyle(t, italic)
	}
	p.Texts = fdxRuns(t)
	return p
}

// fdxRuns splits t into Text runs of one style each.
func fdxRuns(t text) []fdxText {
	if len(t) == 0 {
		return []fdxText{{}}
	}
	var out []fdxText
	for i := 0; i < len(t); {
		j := i
		for j < len(t) && t[j].st == t[i].st {
			j++
		}
		out = append(out, fdxText{Style: fdxStyle(t[i].st), Value: t[i:j].String()})
		i = j
	}
	return out
}

func fdxStyle(st style) string {
	var s []string
	if st&bold != 0 {
		s = append(s, "Bold")
	}
	if st&italic != 0 {
		s = append(s, "Italic")
	}
	if st&underline != 0 {
		s = append(s, "Underline")
	}
	return strings.Join(s, "+")
}

// fdxTitle lays out the title page as Final Draft does, with empty
// paragraphs for space: the title a third of the way down, centred, with the
// credit and the author; the contact block and draft date at the foot, left.
func fdxTitle(b *export.Book) fdxTitlePage {
	var ps []fdxParagraph
	para := func(align, s string) {
		ps = append(ps, fdxParagraph{Alignment: align, Texts: []fdxText{{Value: s}}})
	}
	blank := func(n int) {
		for range n {
			para("", "")
		}
	}
	fields := titleFields(b)
	get := func(k string) string {
		for _, f := range fields {
			if f.Key == k {
				return f.Value
			}
		}
		return ""
	}
	blank(17)
	for _, l := range strings.Split(get("Title"), "\n") {
		para("Center", l)
	}
	blank(1)
	para("Center", get("Credit"))
	blank(1)
	para("Center", get("Author"))
	blank(20)
	for _, l := range contactLines(b) {
		para("Left", l)
	}
	if d := get("Draft date"); d != "" {
		blank(1)
		para("Left", d)
	}
	return fdxTitlePage{Content: fdxContent{Paragraphs: ps}}
}
