package document

import (
	"strings"
	"unicode"
)

// TitleField is one key/value pair of a Fountain title page, such as
// {"Title", "Brick & Steel"} or {"Draft date", "1/20/2026"}. A value may span
// lines ("\n").
type TitleField struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// TitlePage is a screenplay's title page: its fields in the order written.
type TitlePage []TitleField

// FromFountain converts a Fountain 1.1 screenplay to a document of screenplay
// blocks and its title page. It reads:
//
//   - the title page: "Key: value" lines at the very start, a value going on
//     over indented lines, up to the first blank line;
//   - scene headings (a line after a blank line starting INT, EXT, EST,
//     INT./EXT, INT/EXT or I/E followed by '.' or a space, or forced with a
//     leading '.'), with a scene number "#12A#" at the end;
//   - character cues (a line after a blank line, with an upper-case letter and
//     no lower-case one before any "(" extension, followed by a non-blank
//     line, or forced with '@'), "^" at the end marking the second speaker of
//     dual dialogue; the lines after a cue, up to a blank line, are
//     parentheticals ("(…)" lines) and dialogue;
//   - transitions (an upper-case line ending in "TO:" between blank lines, or
//     forced with '>'), centered text (">text<"), lyrics ('~'), page breaks
//     ("==="), sections ('#', '##', '###' give depth 1 to 3) and synopses ('=');
//   - notes: "[[…]]" alone (possibly over several lines) becomes a note
//     block; elsewhere notes are removed, as is the boneyard "/* … */";
//   - action for everything else (or forced with '!'), keeping its line
//     breaks and indentation; a line of exactly two spaces is an empty line
//     inside an element;
//   - *italic*, **bold**, ***bold italic*** and _underline_, with backslash
//     escapes.
//
// Input is never rejected for its content, only for exceeding the document
// limits (an *errs.Error of kind Invalid on the field "content").
func FromFountain(src string) (Doc, TitlePage, error) {
	lines := strings.Split(removeBoneyard(cleanSource(src)), "\n")
	p := ftReader{lines: lines, noNoteUntil: -1}
	tp := p.titlePage()
	p.body()
	d := Doc(p.doc).Normalize()
	if err := d.Validate(); err != nil {
		return nil, nil, err
	}
	return d, tp, nil
}

// removeBoneyard deletes /* … */ spans; an unclosed one runs to the end. An
// escaped "\/*" opens none, and neither does a "/*" the text had as an
// escape; but a "/" and "*" brought together by a removal do open one, so the
// result never holds an unescaped "/*".
func removeBoneyard(s string) string {
	if !strings.Contains(s, "/*") {
		return s
	}
	b := make([]byte, 0, len(s))
	slash := false // b ends with an unescaped '/'
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			b = append(b, s[i], s[i+1])
			slash = false
			i += 2
			continue
		case s[i] == '*' && slash:
			b = b[:len(b)-1]
			j := strings.Index(s[i+1:], "*/")
			if j < 0 {
				return string(b)
			}
			i += 1 + j + 2
			slash = len(b) > 0 && b[len(b)-1] == '/' && !escapedAt(string(b), len(b)-1)
			continue
		}
		b = append(b, s[i])
		slash = s[i] == '/'
		i++
	}
	return string(b)
}

type ftReader struct {
	lines []string
	i     int
	doc   []Block
	// noNoteUntil is the last line known to start no complete note.
	noNoteUntil int
}

// isBlank reports whether a line separates elements: empty or only spaces and
// tabs, except a line of exactly two spaces inside an element.
func isBlank(line string) bool { return strings.TrimSpace(line) == "" }

func trimLeft(s string) string { return strings.TrimLeft(s, " \t") }

// titleKey splits a title page line "Key: value"; ok is false for other lines.
func titleKey(line string) (key, value string, ok bool) {
	i := strings.IndexByte(line, ':')
	if i <= 0 {
		return "", "", false
	}
	key = line[:i]
	for j := 0; j < len(key); j++ {
		c := key[j]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case j > 0 && (c >= '0' && c <= '9' || c == ' ' || c == '_' || c == '-'):
		default:
			return "", "", false
		}
	}
	return key, strings.TrimSpace(line[i+1:]), true
}

func (p *ftReader) titlePage() TitlePage {
	i := 0
	for i < len(p.lines) && isBlank(p.lines[i]) {
		i++
	}
	if i >= len(p.lines) {
		return nil
	}
	if _, _, ok := titleKey(p.lines[i]); !ok {
		return nil
	}
	var tp TitlePage
	var value []string
	for ; i < len(p.lines) && !isBlank(p.lines[i]); i++ {
		line := p.lines[i]
		indented := strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "   ")
		if k, v, ok := titleKey(line); ok && !indented {
			if len(tp) > 0 {
				tp[len(tp)-1].Value = strings.Join(value, "\n")
			}
			tp = append(tp, TitleField{Key: k})
			value = value[:0]
			if v != "" {
				value = append(value, v)
			}
			continue
		}
		value = append(value, strings.TrimSpace(line))
	}
	tp[len(tp)-1].Value = strings.Join(value, "\n")
	p.i = i
	return tp
}

// ftKind is what a line starting an element is.
type ftKind int

const (
	ftAction ftKind = iota
	ftForcedAction
	ftSceneHeading
	ftForcedSceneHeading
	ftCharacter
	ftForcedCharacter
	ftTransition
	ftForcedTransition
	ftCentered
	ftLyrics
	ftPageBreak
	ftSection
	ftSynopsis
	ftNote
)

// ftClassify says what element a line starts, given whether a blank line (or
// the start) precedes it and whether a blank line (or the end) follows it. A
// line starting "[[" is reported as a note; the caller checks the note closes.
func ftClassify(line string, prevBlank, nextBlank bool) ftKind {
	t := trimLeft(line)
	if t == "" {
		return ftAction
	}
	switch {
	case isPageBreak(t):
		return ftPageBreak
	case strings.HasPrefix(t, "[["):
		return ftNote
	}
	switch t[0] {
	case '=':
		return ftSynopsis
	case '#':
		return ftSection
	case '~':
		return ftLyrics
	case '>':
		if isCentered(t) {
			return ftCentered
		}
		return ftForcedTransition
	case '!':
		return ftForcedAction
	case '@':
		return ftForcedCharacter
	case '.':
		if len(t) == 1 || t[1] != '.' {
			return ftForcedSceneHeading
		}
	}
	switch {
	case !prevBlank:
	case isSceneHeading(t):
		return ftSceneHeading
	case nextBlank && isTransition(t):
		return ftTransition
	case !nextBlank && isCharacterCue(t):
		return ftCharacter
	}
	return ftAction
}

func isPageBreak(t string) bool {
	t = strings.TrimSpace(t)
	return len(t) >= 3 && strings.Trim(t, "=") == ""
}

func isCentered(t string) bool {
	t = strings.TrimSpace(t)
	return len(t) >= 2 && t[0] == '>' && t[len(t)-1] == '<' && !escapedAt(t, len(t)-1)
}

// escapedAt reports whether the byte at i is escaped by an odd run of
// backslashes before it.
func escapedAt(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

var sceneHeadingPrefixes = []string{"INT./EXT", "INT/EXT", "I/E", "INT", "EXT", "EST"}

func isSceneHeading(t string) bool {
	u := strings.ToUpper(t[:min(len(t), 9)])
	for _, p := range sceneHeadingPrefixes {
		if strings.HasPrefix(u, p) && len(u) > len(p) && (u[len(p)] == '.' || u[len(p)] == ' ') {
			return true
		}
	}
	return false
}

// allCaps reports whether s has an upper-case letter and no lower-case one.
func allCaps(s string) bool {
	upper := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			upper = true
		}
	}
	return upper
}

func isTransition(t string) bool {
	t = strings.TrimSpace(t)
	return strings.HasSuffix(t, "TO:") && allCaps(t)
}

func isCharacterCue(t string) bool {
	t = strings.TrimSpace(t)
	if strings.HasSuffix(t, "^") && !escapedAt(t, len(t)-1) {
		t = strings.TrimSpace(t[:len(t)-1])
	}
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = t[:i]
	}
	return allCaps(t)
}

// inElement reports whether line i continues an element: not blank, or a line
// of exactly two spaces (an empty line inside the element).
func (p *ftReader) inElement(i int) bool {
	return i < len(p.lines) && (p.lines[i] == "  " || !isBlank(p.lines[i]))
}

// elementLine returns line i as text inside an element: a line of spaces and
// tabs only (the two-space convention) is empty.
func (p *ftReader) elementLine(i int) string {
	if isBlank(p.lines[i]) {
		return ""
	}
	return p.lines[i]
}

func (p *ftReader) emit(t BlockType, text string) *Block {
	p.doc = append(p.doc, Block{Type: t, Children: ftInlines(text)})
	return &p.doc[len(p.doc)-1]
}

func (p *ftReader) body() {
	prevBlank := true
	for p.i < len(p.lines) {
		if isBlank(p.lines[p.i]) {
			prevBlank = true
			p.i++
			continue
		}
		p.element(prevBlank)
		prevBlank = false
	}
}

// element reads the element starting at line p.i.
func (p *ftReader) element(prevBlank bool) {
	line := p.lines[p.i]
	t := trimLeft(line)
	switch ftClassify(line, prevBlank, !p.inElement(p.i+1)) {
	case ftPageBreak:
		p.emit(PageBreak, "")
		p.i++
	case ftNote:
		if !p.note() {
			p.action(line)
		}
	case ftSynopsis:
		p.emit(Synopsis, strings.TrimSpace(t[1:]))
		p.i++
	case ftSection:
		n := len(t) - len(strings.TrimLeft(t, "#"))
		p.emit(Section, strings.TrimSpace(t[n:])).Depth = min(n, MaxDepth)
		p.i++
	case ftLyrics:
		var ls []string
		for ; p.i < len(p.lines) && strings.HasPrefix(trimLeft(p.lines[p.i]), "~"); p.i++ {
			l := trimLeft(p.lines[p.i])[1:]
			ls = append(ls, strings.TrimPrefix(l, " "))
		}
		p.emit(Lyrics, strings.Join(ls, "\n"))
	case ftCentered:
		var ls []string
		for ; p.i < len(p.lines) && isCentered(p.lines[p.i]); p.i++ {
			l := strings.TrimSpace(p.lines[p.i])
			ls = append(ls, strings.TrimSpace(l[1:len(l)-1]))
		}
		p.emit(Centered, strings.Join(ls, "\n"))
	case ftForcedTransition:
		p.emit(Transition, strings.TrimSpace(t[1:]))
		p.i++
	case ftTransition:
		p.emit(Transition, strings.TrimSpace(t))
		p.i++
	case ftForcedSceneHeading:
		p.sceneHeading(t[1:])
	case ftSceneHeading:
		p.sceneHeading(t)
	case ftForcedCharacter:
		p.speech(t[1:])
	case ftCharacter:
		p.speech(t)
	case ftForcedAction:
		p.action(t[1:])
	default:
		p.action(line)
	}
}

func (p *ftReader) sceneHeading(t string) {
	t = strings.TrimSpace(t)
	number := ""
	if strings.HasSuffix(t, "#") && !escapedAt(t, len(t)-1) {
		if i := strings.LastIndexByte(t[:len(t)-1], '#'); i >= 0 && (i == 0 || t[i-1] == ' ' || t[i-1] == '\t') {
			if n := t[i+1 : len(t)-1]; sceneNumberProblem(n) == "" {
				number, t = n, strings.TrimSpace(t[:i])
			}
		}
	}
	p.emit(SceneHeading, t).SceneNumber = number
	p.i++
}

// action reads an action element whose first line is first; it ends at a
// blank line or at a note standing alone on its line.
func (p *ftReader) action(first string) {
	if isBlank(first) {
		first = ""
	}
	ls := []string{first}
	for p.i++; p.inElement(p.i) && !p.noteAhead(); p.i++ {
		ls = append(ls, p.elementLine(p.i))
	}
	p.emit(Action, strings.Join(ls, "\n"))
}

// noteAhead reports whether a complete note starts at line p.i.
func (p *ftReader) noteAhead() bool {
	if p.i <= p.noNoteUntil || !strings.HasPrefix(trimLeft(p.lines[p.i]), "[[") {
		return false
	}
	_, _, ok := p.noteAt(p.i)
	return ok
}

// noteAt reads a note standing alone, "[[" at the start of line i and "]]" at
// the end of the same or a later line of the element. It returns the note's
// text and the line after it.
func (p *ftReader) noteAt(i int) (text string, next int, ok bool) {
	var b strings.Builder
	s := trimLeft(p.lines[i])[2:]
	for {
		if end := noteEnd(s, 0); end >= 0 {
			if strings.TrimSpace(s[end+2:]) != "" {
				p.noNoteUntil = i
				return "", 0, false
			}
			b.WriteString(s[:end])
			return b.String(), i + 1, true
		}
		b.WriteString(s)
		b.WriteByte('\n')
		i++
		if !p.inElement(i) {
			// A note starting on any line up to here fails the same way.
			p.noNoteUntil = i
			return "", 0, false
		}
		s = p.elementLine(i)
	}
}

func (p *ftReader) note() bool {
	text, next, ok := p.noteAt(p.i)
	if !ok {
		return false
	}
	p.emit(Note, text)
	p.i = next
	return true
}

// speech reads a character cue (cue is its text, without any '@') and the
// parentheticals, dialogue and notes under it.
func (p *ftReader) speech(cue string) {
	cue = strings.TrimSpace(cue)
	dual := false
	if strings.HasSuffix(cue, "^") && !escapedAt(cue, len(cue)-1) {
		dual = true
		cue = strings.TrimSpace(cue[:len(cue)-1])
	}
	p.emit(Character, cue).Dual = dual
	var dialogue []string
	flush := func() {
		if dialogue != nil {
			p.emit(Dialogue, strings.Join(dialogue, "\n"))
			dialogue = nil
		}
	}
	for p.i++; p.inElement(p.i); {
		t := strings.TrimSpace(p.lines[p.i])
		switch {
		case strings.HasPrefix(t, "[[") && p.noteAhead():
			flush()
			p.note()
			continue
		case len(t) >= 2 && t[0] == '(' && t[len(t)-1] == ')' && !escapedAt(t, len(t)-1):
			flush()
			p.emit(Parenthetical, t)
		default:
			dialogue = append(dialogue, t)
		}
		p.i++
	}
	flush()
}
