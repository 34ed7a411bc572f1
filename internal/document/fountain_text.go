package document

import (
	"sort"
	"strings"
	"unicode"
)

// Options for writing element text.
const (
	optSingle     = 1 << iota // one line: line breaks become spaces
	optTrim                   // trim each line
	optBlankLines             // write empty lines as two spaces
	optHeading                // escape '#' (scene numbers)
	optTransition             // escape a final '<' (centered text)
	optCue                    // escape a final '^' (dual dialogue)
	optNote                   // escape ']' before ']' or at the end, and a final '\'
	optCentered               // escape a final '\' (before the closing '<')
)

func ftLine(children []Inline, opt int) string { return ftLines(children, opt|optSingle)[0] }

// ftCell is one rune of element text with the marks Fountain carries.
type ftCell struct {
	r rune
	m marks
}

// ftText returns the text of children as Fountain keeps it, line by line: only
// the marks bold, italic and underline; line breaks as spaces in single-line
// elements; lines of only whitespace empty; lines trimmed where Fountain trims
// them; and no emphasis delimiter next to whitespace on the side it faces,
// where Fountain would not read it: marked runs do not start or end with
// whitespace, and where nesting forces a mark to close and open again inside
// its run, the whitespace there loses the mark.
func ftText(children []Inline, opt int) [][]ftCell {
	var cells []ftCell
	add := func(lf Leaf) {
		m := lf.marks() & ftMarks
		for _, r := range lf.Text {
			cells = append(cells, ftCell{r, m})
		}
	}
	for _, in := range children {
		if in.Link == nil {
			add(in.Leaf)
			continue
		}
		for _, lf := range in.Link.Children {
			add(lf)
		}
	}
	var lines [][]ftCell
	start := 0
	for i := 0; i <= len(cells); i++ {
		if i < len(cells) && cells[i].r != '\n' {
			continue
		}
		if opt&optSingle != 0 && i < len(cells) {
			cells[i] = ftCell{' ', 0}
			continue
		}
		lines = append(lines, cells[start:i])
		start = i + 1
	}
	for li, line := range lines {
		blank := true
		for _, c := range line {
			if !unicode.IsSpace(c.r) {
				blank = false
				break
			}
		}
		if blank && opt&optSingle == 0 {
			line = nil
		}
		if opt&(optTrim|optSingle) != 0 {
			for len(line) > 0 && unicode.IsSpace(line[0].r) {
				line = line[1:]
			}
			for len(line) > 0 && unicode.IsSpace(line[len(line)-1].r) {
				line = line[:len(line)-1]
			}
		}
		for {
			trimRuns(line)
			_, bad := ftPlan(line)
			if len(bad) == 0 {
				break
			}
			for _, b := range bad {
				line[b.at].m &^= b.mark
			}
		}
		lines[li] = line
	}
	return lines
}

// ftMarks are the marks Fountain carries.
const ftMarks = markBold | markItalic | markUnderline

// trimRuns removes each mark from whitespace at the ends of its runs.
func trimRuns(line []ftCell) {
	for _, bit := range [...]marks{markBold, markItalic, markUnderline} {
		for i := 0; i < len(line); {
			if line[i].m&bit == 0 {
				i++
				continue
			}
			j := i
			for j < len(line) && line[j].m&bit != 0 {
				j++
			}
			for k := i; k < j && unicode.IsSpace(line[k].r); k++ {
				line[k].m &^= bit
			}
			for k := j - 1; k >= i && unicode.IsSpace(line[k].r); k-- {
				line[k].m &^= bit
			}
			i = j
		}
	}
}

// ftPlan decides the emphasis delimiters written before each cell of a line
// and after the last one (delims[len(line)]), so that ftEmphasis reads the
// marks back. Marks open as a stack, the one whose run extends furthest first,
// except that bold opens outside italic when both open in one run (as '***'
// reads). Because a run that follows a non-space first closes what it can,
// italic or bold on top of the stack is closed and opened again where another
// italic or bold opens after a non-space. It also returns, as cells and marks,
// the delimiters that would touch whitespace on the side they face (a mark
// closed and opened again inside its run).
func ftPlan(line []ftCell) (delims []string, bad []ftBad) {
	bits := [...]marks{markUnderline, markBold, markItalic}
	// end[i][k] is where the run of mark bits[k] that covers cell i ends.
	end := make([][3]int, len(line))
	for k, bit := range bits {
		e := len(line)
		for i := len(line) - 1; i >= 0; i-- {
			if line[i].m&bit == 0 {
				e = i
			}
			end[i][k] = e
		}
	}
	star := func(m marks) bool { return m == markBold || m == markItalic }
	delims = make([]string, len(line)+1)
	var stack []marks
	for p := 0; p <= len(line); p++ {
		var want marks
		if p < len(line) {
			want = line[p].m
		}
		keep := 0
		for keep < len(stack) && want&stack[keep] != 0 {
			keep++
		}
		var open marks
		for _, m := range stack[:keep] {
			open |= m
		}
		if want&^open&(markBold|markItalic) != 0 && p > 0 && !unicode.IsSpace(line[p-1].r) {
			for keep > 0 && star(stack[keep-1]) {
				keep--
				open &^= stack[keep]
			}
		}
		var b strings.Builder
		for k := len(stack) - 1; k >= keep; k-- {
			if p > 0 && unicode.IsSpace(line[p-1].r) {
				bad = append(bad, ftBad{p - 1, stack[k]})
			}
			b.WriteString(ftDelim(stack[k]))
		}
		stack = stack[:keep]
		var opening []marks
		for _, bit := range bits {
			if want&bit != 0 && open&bit == 0 {
				opening = append(opening, bit)
			}
		}
		endOf := func(m marks) int {
			for k, bit := range bits {
				if bit == m {
					return end[p][k]
				}
			}
			return 0
		}
		sort.SliceStable(opening, func(a, c int) bool { return endOf(opening[a]) > endOf(opening[c]) })
		for i := 0; i+1 < len(opening); i++ {
			if opening[i] == markItalic && opening[i+1] == markBold {
				opening[i], opening[i+1] = markBold, markItalic
			}
		}
		for _, m := range opening {
			if unicode.IsSpace(line[p].r) {
				bad = append(bad, ftBad{p, m})
			}
			stack = append(stack, m)
			b.WriteString(ftDelim(m))
		}
		delims[p] = b.String()
	}
	return delims, bad
}

// ftBad is a mark that must leave a cell for Fountain to read the line.
type ftBad struct {
	at   int
	mark marks
}

// ftLines writes the text of children as Fountain lines: emphasis for the
// marks, escapes for Fountain's syntax.
func ftLines(children []Inline, opt int) []string {
	lines := ftText(children, opt)
	out := make([]string, len(lines))
	for li, line := range lines {
		delims, _ := ftPlan(line)
		var b strings.Builder
		for i, c := range line {
			b.WriteString(delims[i])
			next := rune(-1)
			if i+1 < len(line) {
				next = line[i+1].r
			}
			ftEscape(&b, c.r, next, delims[i+1], i == len(line)-1, opt)
		}
		b.WriteString(delims[len(line)])
		s := b.String()
		if s == "" && opt&optBlankLines != 0 {
			s = "  "
		}
		out[li] = s
	}
	return out
}

func ftDelim(m marks) string {
	switch m {
	case markUnderline:
		return "_"
	case markBold:
		return "**"
	}
	return "*"
}

// ftEscape writes one rune of text, escaping it where Fountain would read it
// as syntax. next is the rune of text after it (or -1) and delim the emphasis
// delimiters written between the two.
func ftEscape(b *strings.Builder, r, next rune, delim string, last bool, opt int) {
	escape := false
	switch r {
	case '*', '_':
		escape = true
	case '\\':
		escape = delim != "" || next >= 0 && next < 0x80 && isASCIIPunct(byte(next)) || last && opt&(optNote|optCentered) != 0
	case '/':
		escape = strings.HasPrefix(delim, "*") // "/*" would open a boneyard
	case '[':
		escape = delim == "" && next == '['
	case ']':
		escape = opt&optNote != 0 && (delim == "" && next == ']' || last)
	case '#':
		escape = opt&optHeading != 0
	case '<':
		escape = opt&optTransition != 0 && last
	case '^':
		escape = opt&optCue != 0 && last
	}
	if escape {
		b.WriteByte('\\')
	}
	b.WriteRune(r)
}
