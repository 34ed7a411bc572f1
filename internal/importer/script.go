package importer

import (
	"errors"
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
)

// fountain reads a Fountain screenplay with document.FromFountain; the title
// page's Title is the title.
func (j *job) fountain(src string) (*Manuscript, error) {
	d, tp, err := document.FromFountain(src)
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			return nil, &errs.Error{Kind: errs.TooLarge, Message: "This screenplay is too long to import as one file: " + e.Message, Err: err}
		}
		return nil, err
	}
	title := ""
	for _, f := range tp {
		if strings.EqualFold(f.Key, "title") {
			title = cleanTitle(strings.NewReplacer("*", "", "_", "", `\`, "").Replace(f.Value))
			break
		}
	}
	return j.script(d, title)
}

// script assembles the chapters of a screenplay: one per top-level section
// (the section's text is the title and the block is dropped), one per scene
// heading with Options.SplitScenes (the heading stays), or one in all.
// Blocks before the first chapter join it.
func (j *job) script(d document.Doc, title string) (*Manuscript, error) {
	for range d {
		if err := j.addPara(); err != nil {
			return nil, err
		}
	}
	minDepth := 0
	for _, b := range d {
		if b.Type == document.Section && strings.TrimSpace(inlineText(b.Children)) != "" && (minDepth == 0 || b.Depth < minDepth) {
			minDepth = b.Depth
		}
	}
	boundary := func(b document.Block) (string, bool) {
		text := cleanTitle(inlineText(b.Children))
		if text == "" {
			return "", false
		}
		if j.o.SplitScenes {
			return text, b.Type == document.SceneHeading
		}
		return text, b.Type == document.Section && b.Depth == minDepth
	}
	var chaps []chapter
	var lead []document.Block // blocks before the first chapter
	for _, b := range d {
		t, ok := boundary(b)
		switch {
		case ok:
			c := chapter{title: t, blocks: lead}
			lead = nil
			chaps = append(chaps, c)
			if b.Type == document.Section {
				continue
			}
		case len(chaps) == 0:
			lead = append(lead, b)
			continue
		}
		last := &chaps[len(chaps)-1]
		last.blocks = append(last.blocks, b)
	}
	if len(chaps) == 0 {
		single := title
		if single == "" {
			single = "Screenplay"
		}
		chaps = []chapter{{title: single, blocks: lead}}
	}
	return j.finish(title, Screenplay, chaps)
}
