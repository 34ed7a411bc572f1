package importer

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
)

// role is what a paragraph of prose is to the chapter structure.
type role uint8

const (
	body        role = iota
	heading          // a heading of level 1–9
	titlePara        // a paragraph in the Title style
	frontMatter      // the subtitle, author or date line under a title
	sceneBreak
	partHeading // a heading above the chapter level that names a part
	tocEntry    // a line of a table of contents
	dropped
)

// para is one paragraph of prose as the readers produce it.
type para struct {
	role  role
	level int            // of a heading, 1–9
	block document.Block // the p, blockquote (or list item) of a body paragraph; the inlines of a heading
	text  string         // the plain text of a heading or title
}

// inlineText is the plain text of inlines.
func inlineText(ins []document.Inline) string {
	var b strings.Builder
	for _, in := range ins {
		if in.Link == nil {
			b.WriteString(in.Leaf.Text)
			continue
		}
		for _, lf := range in.Link.Children {
			b.WriteString(lf.Text)
		}
	}
	return b.String()
}

// classify turns the inlines of a paragraph into a para: a heading (level >
// 0), a title, a scene break (a horizontal rule, or text that is a
// scene-break marker) or a body paragraph. It returns false for paragraphs
// without text, which are dropped, and counts the paragraph.
func (j *job) classify(r role, level int, b document.Block, hr bool) (para, bool, error) {
	text := inlineText(b.Children)
	blank := strings.TrimSpace(text) == ""
	switch {
	case hr && blank, r != titlePara && isSceneBreak(text):
		r = sceneBreak
	case blank:
		return para{}, false, nil
	}
	if err := j.addPara(); err != nil {
		return para{}, false, err
	}
	p := para{role: r, level: level, block: b}
	if r == heading || r == titlePara || r == frontMatter {
		p.text = cleanTitle(text)
	}
	return p, true, nil
}

// chapter is a chapter being assembled.
type chapter struct {
	title  string
	blocks []document.Block
	// preamble: the text before the first chapter heading.
	preamble bool
	// byPart: opened by a part heading and waiting for its first chapter
	// heading, which then names it.
	byPart bool
}

// prose assembles the chapters of a prose manuscript from its paragraphs
// (see the package documentation for the rules).
func (j *job) prose(paras []para, metaTitle string) (*Manuscript, error) {
	title := cleanTitle(metaTitle)
	var levels [10]int // headings per level
	for _, p := range paras {
		if p.role == heading {
			levels[p.level]++
		}
	}
	top := 0
	for l := 1; l < len(levels); l++ {
		if levels[l] > 0 {
			top = l
			break
		}
	}
	deeper := func(l int) int {
		for d := l + 1; d < len(levels); d++ {
			if levels[d] > 0 {
				return d
			}
		}
		return 0
	}

	// The book's title: a Title paragraph, or a lone top-level heading with
	// deeper headings after it, before any other text.
	for i, p := range paras {
		if p.role == frontMatter {
			continue
		}
		leadHeading := p.role == heading && p.level == top && levels[top] == 1 && deeper(top) > 0 && !partLabel(p.text)
		if p.role == titlePara || leadHeading {
			if title == "" {
				title = p.text
			}
			paras[i].role = dropped
			if leadHeading {
				levels[top] = 0
				top = deeper(top)
			}
		}
		break
	}
	seenHeading := false
	for i := range paras {
		p := &paras[i]
		switch {
		case p.role == titlePara:
			// A later Title paragraph is a heading at the top level.
			if top == 0 {
				top = 1
			}
			p.role, p.level = heading, top
			levels[top]++
		case p.role == frontMatter && !seenHeading:
			p.role = dropped
		case p.role == frontMatter:
			p.role = body
		}
		seenHeading = seenHeading || p.role == heading
	}

	chapterLevel := top
	if top == 0 {
		for i := range paras {
			b := &paras[i].block
			if paras[i].role == body && b.Type == document.Paragraph && b.ListStyleType == "" && chapterLabel(inlineText(b.Children)) {
				paras[i].role, paras[i].level = heading, 1
				paras[i].text = cleanTitle(inlineText(paras[i].block.Children))
				chapterLevel = 1
			}
		}
	} else if d := deeper(top); d > 0 && allParts(paras, top) {
		chapterLevel = d
		for i := range paras {
			if paras[i].role == heading && paras[i].level == top {
				paras[i].role = partHeading
			}
		}
	}

	for i := range paras {
		if paras[i].role == tocEntry {
			paras[i].role = dropped
			j.warn.add("The table of contents was left out; chapters are listed in the story itself.")
		}
	}
	var chaps []chapter
	cur := chapter{preamble: true}
	if chapterLevel == 0 {
		cur = chapter{title: "Chapter 1"}
		j.warn.add("No chapter headings were found, so the whole text is one chapter. Style chapter titles as Heading 1, or give each chapter a line such as \"Chapter 1\", to split it.")
	}
	for _, p := range paras {
		switch p.role {
		case dropped:
		case partHeading:
			chaps = append(chaps, cur)
			cur = chapter{title: p.text, byPart: true, blocks: []document.Block{headingBlock(document.Heading1, p.block.Children)}}
		case heading:
			if p.level == chapterLevel {
				if cur.byPart {
					cur.title, cur.byPart = p.text, false
					continue
				}
				chaps = append(chaps, cur)
				cur = chapter{title: p.text}
				continue
			}
			t := document.Heading3
			switch {
			case p.level < chapterLevel:
				t = document.Heading1
			case p.level == chapterLevel+1:
				t = document.Heading2
			}
			cur.blocks = append(cur.blocks, headingBlock(t, p.block.Children))
		case sceneBreak:
			if n := len(cur.blocks); n > 0 && cur.blocks[n-1].Type != document.SceneBreak {
				cur.blocks = append(cur.blocks, voidBlock(document.SceneBreak))
			}
		default:
			cur.blocks = append(cur.blocks, p.block)
		}
	}
	chaps = append(chaps, cur)
	return j.finish(title, Novel, chaps)
}

// allParts reports whether every heading of level l names a part.
func allParts(paras []para, l int) bool {
	for _, p := range paras {
		if p.role == heading && p.level == l && !partLabel(p.text) {
			return false
		}
	}
	return true
}

func headingBlock(t document.BlockType, children []document.Inline) document.Block {
	return document.Block{Type: t, Children: children}
}

func voidBlock(t document.BlockType) document.Block {
	return document.Block{Type: t, Children: []document.Inline{{}}}
}

// finish turns assembled chapters into the manuscript: it drops trailing
// scene breaks and an empty preamble, names a preamble with text, splits
// chapters too big for one document, and normalises, validates and counts
// each chapter.
func (j *job) finish(title, contentType string, chaps []chapter) (*Manuscript, error) {
	m := &Manuscript{Title: title, ContentType: contentType}
	for _, c := range chaps {
		for n := len(c.blocks); n > 0 && c.blocks[n-1].Type == document.SceneBreak; n-- {
			c.blocks = c.blocks[:n-1]
		}
		if c.preamble {
			words := document.Doc(c.blocks).WordCount()
			if words == 0 {
				continue
			}
			c.title = "Untitled"
			j.warn.add("The %s words before the first chapter heading became a chapter called \"Untitled\"; rename it, or delete it if it is only a title page.", count(words))
		}
		if err := j.addChapters(m, c); err != nil {
			return nil, err
		}
	}
	if m.Words() == 0 {
		return nil, errs.E(errs.Invalid, "This file holds no text to import.")
	}
	return m, nil
}

// addChapters adds c to m, split into parts when it is too big for one
// document.
func (j *job) addChapters(m *Manuscript, c chapter) error {
	c.blocks = document.Doc(c.blocks).Normalize()
	parts, err := splitBlocks(c)
	if err != nil {
		return err
	}
	if len(parts) > 1 {
		j.warn.add("Chapter %q was too long for one chapter and was split into %d parts.", c.title, len(parts))
	}
	for k, blocks := range parts {
		if len(m.Chapters) >= j.o.MaxChapters {
			return errs.E(errs.TooLarge, "This manuscript has more than %s chapters, the most one import can take. Split it into several files.", count(j.o.MaxChapters))
		}
		title := c.title
		if len(parts) > 1 {
			title = cleanTitle(fmt.Sprintf("%s (part %d)", c.title, k+1))
		}
		d := document.Doc(blocks)
		if err := d.Validate(); err != nil {
			msg := err.Error()
			var e *errs.Error
			if errors.As(err, &e) {
				msg = e.Message
			}
			return &errs.Error{Kind: errs.Invalid, Message: fmt.Sprintf("Chapter %d (%q) could not be imported: %s", len(m.Chapters)+1, title, msg), Err: err}
		}
		m.Chapters = append(m.Chapters, Chapter{Title: title, Doc: d, Words: d.WordCount()})
	}
	return nil
}

// splitBlocks splits a chapter's (normalised) blocks into runs that each fit
// the document limits (blocks, text bytes, inline nodes). A single block
// longer than document.MaxBlockChars, or with more inline nodes than a
// document may hold, is refused.
func splitBlocks(c chapter) ([][]document.Block, error) {
	var parts [][]document.Block
	start, blocks, bytes, inlines := 0, 0, 0, 0
	for i := range c.blocks {
		b := &c.blocks[i]
		n, tb, chars := blockCounts(b)
		if chars > document.MaxBlockChars {
			return nil, errs.E(errs.Invalid, "Chapter %q has a paragraph of %s characters (it begins %q); a paragraph can hold at most %s. Break it into shorter paragraphs.",
				c.title, count(chars), opening(inlineText(b.Children), 8), count(document.MaxBlockChars))
		}
		if n > document.MaxInlines {
			return nil, errs.E(errs.Invalid, "Chapter %q has a paragraph (it begins %q) whose formatting changes more than %s times. Clear its formatting and try again.",
				c.title, opening(inlineText(b.Children), 8), count(document.MaxInlines))
		}
		if i > start && (blocks+1 > document.MaxBlocks || bytes+tb > document.MaxTextBytes || inlines+n > document.MaxInlines) {
			parts = append(parts, c.blocks[start:i])
			start, blocks, bytes, inlines = i, 0, 0, 0
		}
		blocks++
		bytes += tb
		inlines += n
	}
	return append(parts, c.blocks[start:]), nil
}

// blockCounts returns the inline nodes, text bytes and characters of b, as
// document.Doc.Validate counts them.
func blockCounts(b *document.Block) (inlines, textBytes, chars int) {
	for _, in := range b.Children {
		inlines++
		if in.Link != nil {
			for _, lf := range in.Link.Children {
				inlines++
				textBytes += len(lf.Text)
				chars += utf8.RuneCountInString(lf.Text)
			}
			continue
		}
		textBytes += len(in.Leaf.Text)
		chars += utf8.RuneCountInString(in.Leaf.Text)
	}
	return
}
