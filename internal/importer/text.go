package importer

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
)

// readText reads a text file (plain text, Markdown, Fountain) whole: UTF-8,
// with or without a byte-order mark, or UTF-16 with one. Line endings become
// "\n" and control characters other than tab are dropped. A file that is not
// UTF-8 is refused (with how to fix it) rather than guessed at.
func (j *job) readText(r io.ReaderAt, size int64) (string, error) {
	if size > 4*int64(j.o.MaxChars) {
		return "", errs.E(errs.TooLarge, "This text file is %s; a manuscript can hold at most %s characters. Split it into several files.", byteSize(size), count(j.o.MaxChars))
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(io.NewSectionReader(r, 0, size), b); err != nil && !errors.Is(err, io.EOF) {
		return "", &errs.Error{Kind: errs.Internal, Message: "The file could not be read.", Err: err}
	}
	head := b[:min(len(b), SniffLen)]
	if desc, advice := binaryKind(head); desc != "" {
		return "", errs.E(errs.UnsupportedMedia, "This file is %s, not a text file. %s", desc, advice)
	}
	switch {
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		b = b[3:]
	case bytes.HasPrefix(b, []byte("\xff\xfe")), bytes.HasPrefix(b, []byte("\xfe\xff")):
		var err error
		if b, err = fromUTF16(b); err != nil {
			return "", err
		}
	}
	if !utf8.Valid(b) {
		line := 1 + bytes.Count(b[:invalidAt(b)], []byte("\n"))
		return "", errs.E(errs.Invalid, "This file is not UTF-8 text (the first character that isn't is on line %d); it was probably saved in an older encoding such as Windows-1252. Save it again as UTF-8 (in most editors: Save As → Encoding: UTF-8) and upload that.", line)
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = cleanText(strings.ReplaceAll(s, "\r", "\n"))
	if err := j.addText(utf8.RuneCountInString(s)); err != nil {
		return "", err
	}
	return s, nil
}

// invalidAt returns the offset of the first byte of b that is not part of
// valid UTF-8.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// fromUTF16 decodes UTF-16 text that starts with a byte-order mark.
func fromUTF16(b []byte) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, errs.E(errs.Invalid, "This UTF-16 text file is damaged (it has an odd number of bytes). Save it again as UTF-8 and upload that.")
	}
	le := b[0] == 0xff
	u := make([]uint16, 0, len(b)/2-1)
	for i := 2; i+1 < len(b); i += 2 {
		if le {
			u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
		} else {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
	}
	return []byte(string(utf16.Decode(u))), nil
}

// plainText reads plain text. When the text has blank lines, they separate
// paragraphs and the lines of a paragraph are joined with spaces (a hard
// wrapped file reads as flowing text); otherwise each line is a paragraph. A
// chapter label or scene-break line opening a paragraph stands alone.
func (j *job) plainText(src string) (*Manuscript, error) {
	lines := strings.Split(src, "\n")
	first, last := -1, -1
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	blankMode := false // a blank line comes between two lines of text
	for i := first + 1; i < last && !blankMode; i++ {
		blankMode = strings.TrimSpace(lines[i]) == ""
	}
	var paras []para
	emit := func(text string) error {
		p, ok, err := j.classify(body, 0, document.Block{Type: document.Paragraph, Children: []document.Inline{document.Text(text)}}, false)
		if err == nil && ok {
			paras = append(paras, p)
		}
		return err
	}
	var cur []string
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		text := strings.Join(cur, " ")
		cur = cur[:0]
		return emit(text)
	}
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			if err := flush(); err != nil {
				return nil, err
			}
		case !blankMode || len(cur) == 0 && (chapterLabel(t) || isSceneBreak(t)):
			if err := flush(); err != nil {
				return nil, err
			}
			if err := emit(t); err != nil {
				return nil, err
			}
		default:
			cur = append(cur, t)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return j.prose(paras, "")
}

var (
	atxHeading = regexp.MustCompile(`^ {0,3}#{1,6}(?:[ \t]|$)`)
	fenceOpen  = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
)

// Stretches of Markdown without headings longer than maxSegment bytes or
// maxSegmentBlanks blank lines (about as many blocks) are cut at blank
// lines, so that no one conversion meets the document limits.
const (
	maxSegment       = 512 << 10
	maxSegmentBlanks = 5000
)

// markdown reads Markdown: front matter (YAML "title:") or a pandoc title
// block ("% Title") gives the title; the text is converted by
// document.FromMarkdown a section at a time (cut before each ATX heading
// outside code fences), so that a long book is not one document. Link
// reference definitions therefore apply within their section.
func (j *job) markdown(src string) (*Manuscript, error) {
	title, src := markdownMeta(src)
	var paras []para
	for _, seg := range markdownSegments(src) {
		d, err := document.FromMarkdown(seg)
		if err != nil {
			var e *errs.Error
			if errors.As(err, &e) {
				return nil, &errs.Error{Kind: errs.Invalid, Message: "This Markdown file could not be read: " + e.Message, Err: err}
			}
			return nil, err
		}
		for _, b := range d {
			var p para
			var ok bool
			switch b.Type {
			case document.Heading1, document.Heading2, document.Heading3:
				// An empty heading ("#" alone, as manuscripts mark scene
				// breaks) is a scene break.
				empty := strings.TrimSpace(inlineText(b.Children)) == ""
				p, ok, err = j.classify(heading, int(b.Type[1]-'0'), document.Block{Type: document.Paragraph, Children: b.Children}, empty)
			case document.SceneBreak:
				p, ok, err = j.classify(body, 0, b, true)
			case document.Image:
				j.warn.add("Images were not imported.")
				continue
			default:
				p, ok, err = j.classify(body, 0, b, false)
			}
			if err != nil {
				return nil, err
			}
			if ok {
				paras = append(paras, p)
			}
		}
	}
	return j.prose(paras, title)
}

// markdownMeta removes a YAML front-matter block ("---" … "---" or "...") or a
// pandoc title block ("% Title" lines) from the start of src and returns its
// title.
func markdownMeta(src string) (title, rest string) {
	if strings.HasPrefix(src, "% ") {
		lines := strings.SplitN(src, "\n", 4)
		title = strings.TrimSpace(strings.TrimPrefix(lines[0], "% "))
		i := 1
		for i < len(lines)-1 && strings.HasPrefix(lines[i], "% ") {
			i++
		}
		return cleanTitle(title), strings.Join(lines[i:], "\n")
	}
	if !strings.HasPrefix(src, "---\n") {
		return "", src
	}
	lines := strings.SplitN(src, "\n", 202)
	for i := 1; i < len(lines)-1; i++ {
		l := strings.TrimRight(lines[i], " \t")
		if l == "---" || l == "..." {
			return cleanTitle(title), strings.Join(lines[i+1:], "\n")
		}
		if v, ok := strings.CutPrefix(l, "title:"); ok {
			title = strings.Trim(strings.TrimSpace(v), `"'`)
		} else if !strings.Contains(l, ":") && strings.TrimSpace(l) != "" && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "-") {
			// Not YAML: a thematic break followed by text.
			return "", src
		}
	}
	return "", src
}

// markdownSegments cuts Markdown before each ATX heading outside a fenced
// code block, and cuts segments longer than maxSegment at blank lines
// outside fences.
func markdownSegments(src string) []string {
	var segs []string
	lines := strings.SplitAfter(src, "\n")
	start, size, blanks := 0, 0, 0
	fence := ""
	for i, l := range lines {
		if fence != "" {
			if t := strings.TrimSpace(l); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
			size += len(l)
			continue
		}
		blank := strings.TrimSpace(l) == ""
		if m := fenceOpen.FindStringSubmatch(l); m != nil {
			fence = m[1]
		} else if i > start && (atxHeading.MatchString(l) || blank && (size > maxSegment || blanks > maxSegmentBlanks)) {
			segs = append(segs, strings.Join(lines[start:i], ""))
			start, size, blanks = i, 0, 0
		}
		size += len(l)
		if blank {
			blanks++
		}
	}
	return append(segs, strings.Join(lines[start:], ""))
}
