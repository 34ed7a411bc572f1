package document

import (
	"strings"
)

// Fountain renders the document and title page as Fountain 1.1 such that
// FromFountain reads them back unchanged, for documents made of screenplay
// blocks with the marks bold, italic and underline. Elements are written in
// their plain form where Fountain would read them back as the same element,
// and forced ('!' action, '.' scene heading, '@' character, '>' transition)
// where it would not, e.g. an action line in capitals followed by another
// line, which would otherwise read as a character cue.
//
// Fountain cannot carry, and so loses or changes: marks other than bold,
// italic and underline, ai provenance, ids and links (their text is kept);
// marks on line breaks and on spaces at the edges of a marked run; leading and
// trailing spaces of dialogue, cue, heading, parenthetical, transition,
// centered, section and synopsis text, and line breaks in single-line
// elements; lines of only spaces inside action, dialogue and notes (they
// become empty); two dialogue blocks in a row (they become one); dialogue and
// parentheticals that follow no character cue (they become action); and a
// parenthetical's missing parentheses (they are added). Shots and stage
// directions become action, act headings sections; prose blocks become action
// (a scene break "* * *"), images their alt text. Title page keys must be
// letters, digits, spaces, '_' and '-' starting with a letter; values are
// trimmed and lose empty lines.
func (d Doc) Fountain(tp TitlePage) string {
	var out []string
	if len(tp) > 0 {
		var b strings.Builder
		for i, f := range tp {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(f.Key)
			b.WriteByte(':')
			var lines []string
			for _, l := range strings.Split(f.Value, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					lines = append(lines, l)
				}
			}
			switch len(lines) {
			case 0:
			case 1:
				b.WriteString(" " + lines[0])
			default:
				for _, l := range lines {
					b.WriteString("\n    " + l)
				}
			}
		}
		out = append(out, b.String())
	}
	w := ftWriter{titlePage: len(tp) > 0}
	for i := 0; i < len(d); i++ {
		if d[i].Type == Character {
			n := 1
			for i+n < len(d) && inSpeech(d[i+n].Type) {
				n++
			}
			for n > 1 && d[i+n-1].Type == Note {
				n-- // notes after the last line of a speech stand on their own
			}
			out = append(out, w.speech(d[i:i+n]))
			i += n - 1
			continue
		}
		if s, ok := w.element(&d[i]); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n\n") + "\n"
}

func inSpeech(t BlockType) bool { return t == Parenthetical || t == Dialogue || t == Note }

type ftWriter struct {
	titlePage bool // a title page precedes the body
	started   bool // an element has been written
}

// first reports whether the element about to be written is the first of the
// body with no title page before it, where a "Key:" line would read as one.
func (w *ftWriter) first() bool {
	f := !w.started && !w.titlePage
	w.started = true
	return f
}

// force prefixes line with the forcing character c when it would not read
// back as want (given what follows it), or when it is the first line of the
// document and would read as a title page.
func force(line string, c byte, want ftKind, nextBlank, first bool) string {
	if ftClassify(line, true, nextBlank) == want && (!first || !isTitleLine(line)) {
		return line
	}
	return string(c) + line
}

func isTitleLine(line string) bool {
	_, _, ok := titleKey(line)
	return ok
}

// element writes a block that is not part of a speech; ok is false when it
// writes nothing.
func (w *ftWriter) element(b *Block) (string, bool) {
	first := w.first()
	switch b.Type {
	case PageBreak:
		return "===", true
	case SceneHeading:
		line := ftLine(b.Children, optSingle|optHeading)
		if b.SceneNumber != "" {
			line += " #" + b.SceneNumber + "#"
		}
		if ftClassify(line, true, true) != ftSceneHeading || first && isTitleLine(line) {
			if strings.HasPrefix(line, ".") {
				line = "\\" + line
			}
			line = "." + line
		}
		return line, true
	case Transition:
		line := ftLine(b.Children, optSingle|optTransition)
		return force(line, '>', ftTransition, true, first), true
	case Centered:
		lines := ftLines(b.Children, optTrim|optCentered)
		for i, l := range lines {
			lines[i] = ">" + l + "<"
		}
		return strings.Join(lines, "\n"), true
	case Lyrics:
		lines := ftLines(b.Children, 0)
		for i, l := range lines {
			if strings.HasPrefix(l, " ") {
				l = " " + l
			}
			lines[i] = "~" + l
		}
		return strings.Join(lines, "\n"), true
	case Section, ActHeading:
		return strings.TrimSpace(strings.Repeat("#", max(1, b.Depth)) + " " + ftLine(b.Children, optSingle)), true
	case Synopsis:
		return strings.TrimSpace("= " + ftLine(b.Children, optSingle)), true
	case Note:
		return ftNoteText(b.Children), true
	case Action, Shot, StageDirection, Dialogue, Parenthetical:
		return w.action(b.Children, first), true
	}
	// Prose blocks.
	text := b.blockText()
	if b.Type == Image && text == "" {
		return "", false
	}
	switch b.Type {
	case Paragraph, Heading1, Heading2, Heading3, Blockquote:
		return w.action(b.Children, first), true
	}
	return w.action([]Inline{Text(text)}, first), true
}

func (w *ftWriter) action(children []Inline, first bool) string {
	lines := ftLines(children, optBlankLines)
	if lines[0] == "  " {
		lines[0] = ""
	}
	next := len(lines) == 1
	lines[0] = force(lines[0], '!', ftAction, next, first)
	if lines[0] == "" {
		lines[0] = "!"
	}
	return strings.Join(lines, "\n")
}

// speech writes a character cue and the parentheticals, dialogue and notes
// that follow it.
func (w *ftWriter) speech(bs []Block) string {
	first := w.first()
	cue := ftLine(bs[0].Children, optSingle|optCue)
	if bs[0].Dual {
		cue += " ^"
	}
	lines := []string{force(cue, '@', ftCharacter, len(bs) == 1, first)}
	for i := 1; i < len(bs); i++ {
		b := &bs[i]
		switch b.Type {
		case Note:
			lines = append(lines, ftNoteText(b.Children))
		case Parenthetical:
			lines = append(lines, ftLine(parenthesize(b.Children), optSingle))
		default:
			for _, l := range ftLines(b.Children, optTrim|optBlankLines) {
				if strings.HasPrefix(l, "(") && strings.HasSuffix(l, ")") {
					l = "\\" + l
				}
				lines = append(lines, l)
			}
		}
	}
	return strings.Join(lines, "\n")
}

// parenthesize adds the parentheses a parenthetical's text lacks.
func parenthesize(children []Inline) []Inline {
	if l := ftLine(children, optSingle); strings.HasPrefix(l, "(") && strings.HasSuffix(l, ")") {
		return children
	}
	out := make([]Inline, 0, len(children)+2)
	out = append(out, Text("("))
	out = append(out, children...)
	return append(out, Text(")"))
}

// ftNoteText writes a note block as [[…]].
func ftNoteText(children []Inline) string {
	lines := ftLines(children, optNote|optBlankLines)
	// Only lines between the first and the last need the two spaces.
	for _, i := range []int{0, len(lines) - 1} {
		if lines[i] == "  " {
			lines[i] = ""
		}
	}
	return "[[" + strings.Join(lines, "\n") + "]]"
}
