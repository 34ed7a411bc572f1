package script

// The grid: a US Letter page set in 12 pt Courier-metric type, 10 characters
// and 6 lines an inch. Columns count tenths of an inch from the left edge of
// the page, rows lines from the top margin.
const (
	pageWidthPt  = 612 // 8.5 in
	pageHeightPt = 792 // 11 in
	colPt        = 7.2 // one character, 1/10 in
	rowPt        = 12  // one line, 1/6 in
	fontPt       = 12
	topPt        = 72 // the first line's top, 1 in down
	numberTopPt  = 36 // the page number's line, 0.5 in down
	// linesPerPage is the body of a page: 55 lines from the 1 in top margin
	// leave 5/6 in at the foot, the industry's "about 55 lines a page".
	linesPerPage = 55
	// rightCol is the right margin, 7.5 in: transitions and page numbers end
	// there.
	rightCol = 75
	// leftCol is the left margin, 1.5 in.
	leftCol = 15
)

// kind names what a printed line is, for the rules of pagination and for the
// golden dumps of the grid.
type kind uint8

const (
	kHeading kind = iota + 1
	kSceneNumber
	kAction
	kCue
	kParen
	kDialogue
	kMore
	kTransition
	kShot
	kCentered
	kLyrics
	kActHeading
	kStageDirection
	kTitle
	nKinds
)

var kindCodes = [nKinds]string{
	kHeading: "HD", kSceneNumber: "SN", kAction: "AC", kCue: "CU", kParen: "PA",
	kDialogue: "DI", kMore: "MO", kTransition: "TR", kShot: "SH", kCentered: "CE",
	kLyrics: "LY", kActHeading: "AH", kStageDirection: "SD", kTitle: "TP",
}

func (k kind) String() string { return kindCodes[k] }

type align uint8

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// elemFormat places one kind of element on the grid.
type elemFormat struct {
	col, width int // first column and width of the element's lines
	align      align
	before     int   // blank lines before it, dropped at the top of a page
	upper      bool  // printed in capitals
	style      style // marks added to its text
	parens     bool  // wrapped in parentheses when its text is not
}

// place returns the first column of a line of n cells.
func (f elemFormat) place(n int) int {
	switch f.align {
	case alignCenter:
		return f.col + (f.width-n)/2
	case alignRight:
		return f.col + f.width - n
	}
	return f.col
}

// format is a complete page layout: a screenplay's or a stage play's.
type format struct {
	el [nKinds]elemFormat
	// dual holds the left and right columns of dual dialogue, for the kinds
	// kCue, kParen, kDialogue and kMore.
	dual [2][nKinds]elemFormat
	// sceneNumbers prints scene numbers in both margins.
	sceneNumbers bool
	// actNewPage starts each act on a new page.
	actNewPage bool
	// credit is the title page's line between title and author.
	credit string
}

// screenplayFormat is the standard American screenplay: measured from the
// left edge, action and scene headings at 1.5 in and 6 in wide, dialogue at
// 2.5 in and 3.5 in wide, parentheticals at 3.1 in and 2 in wide, character
// cues at 3.7 in, transitions ending at 7.5 in; one blank line before each
// element but parentheticals and dialogue, which follow their cue directly.
var screenplayFormat = func() *format {
	f := &format{sceneNumbers: true, credit: "Written by"}
	f.el[kHeading] = elemFormat{col: leftCol, width: 60, before: 1, upper: true}
	f.el[kAction] = elemFormat{col: leftCol, width: 60, before: 1}
	f.el[kShot] = elemFormat{col: leftCol, width: 60, before: 1, upper: true}
	f.el[kStageDirection] = f.el[kAction]
	f.el[kCue] = elemFormat{col: 37, width: 38, before: 1, upper: true}
	f.el[kMore] = elemFormat{col: 37, width: 38}
	f.el[kParen] = elemFormat{col: 31, width: 20, parens: true}
	f.el[kDialogue] = elemFormat{col: 25, width: 35}
	f.el[kLyrics] = elemFormat{col: 25, width: 35, before: 1, style: italic}
	f.el[kTransition] = elemFormat{col: leftCol, width: 60, align: alignRight, before: 1, upper: true}
	f.el[kCentered] = elemFormat{col: leftCol, width: 60, align: alignCenter, before: 1}
	f.el[kActHeading] = elemFormat{col: leftCol, width: 60, align: alignCenter, before: 1, upper: true, style: underline}
	f.el[kTitle] = elemFormat{col: leftCol, width: 60, align: alignCenter}
	f.dual = dualColumns(f)
	return f
}()

// playFormat is a stage-play manuscript in the Samuel French style: acts open
// a new page with a centred, underlined heading; scene headings and character
// names are centred capitals; speeches run the full 6 in width from the 1.5 in
// margin; stage directions are indented to 3.5 in, in italics and
// parentheses; an actor's parenthetical is indented to 2.5 in in italics.
var playFormat = func() *format {
	f := &format{actNewPage: true, credit: "by"}
	f.el[kActHeading] = elemFormat{col: leftCol, width: 60, align: alignCenter, before: 1, upper: true, style: underline}
	f.el[kHeading] = elemFormat{col: leftCol, width: 60, align: alignCenter, before: 1, upper: true}
	f.el[kStageDirection] = elemFormat{col: 35, width: 40, before: 1, style: italic, parens: true}
	f.el[kAction] = f.el[kStageDirection]
	f.el[kShot] = f.el[kStageDirection]
	f.el[kCue] = elemFormat{col: leftCol, width: 60, align: alignCenter, before: 1, upper: true}
	f.el[kMore] = elemFormat{col: leftCol, width: 60, align: alignCenter}
	f.el[kParen] = elemFormat{col: 25, width: 40, style: italic, parens: true}
	f.el[kDialogue] = elemFormat{col: leftCol, width: 60}
	f.el[kLyrics] = elemFormat{col: 25, width: 50, before: 1, style: italic}
	f.el[kTransition] = elemFormat{col: leftCol, width: 60, align: alignRight, before: 1, upper: true}
	f.el[kCentered] = elemFormat{col: leftCol, width: 60, align: alignCenter, before: 1}
	f.el[kTitle] = elemFormat{col: leftCol, width: 60, align: alignCenter}
	f.dual = dualColumns(f)
	return f
}()

// dualColumns lays dual dialogue out in two 2.8 in columns, at 1.5 in and
// 4.7 in, each with its cue and parentheticals indented as in a speech.
func dualColumns(f *format) [2][nKinds]elemFormat {
	var d [2][nKinds]elemFormat
	for i, col := range [2]int{leftCol, 47} {
		d[i][kCue] = elemFormat{col: col + 7, width: 21, before: f.el[kCue].before, upper: true}
		d[i][kMore] = elemFormat{col: col + 7, width: 21}
		d[i][kParen] = elemFormat{col: col + 3, width: 22, style: f.el[kParen].style, parens: true}
		d[i][kDialogue] = elemFormat{col: col, width: 28}
	}
	return d
}

// seg is text at a column of one row.
type seg struct {
	kind kind
	col  int
	text text
}

// row is one line of a page: nothing (a blank line), one segment, or more
// (a scene heading with its numbers, the two sides of dual dialogue).
type row []seg

// page is one laid-out page.
type page struct {
	// number is the page number printed at the top right; 0 prints none.
	number int
	rows   []row
}

// lines lays t out as rows in the element format f.
func (f elemFormat) lines(k kind, t text) []row {
	if f.parens {
		t = parenthesize(trimSpace(t))
	}
	if f.upper {
		t = upper(t)
	}
	t = addStyle(t, f.style)
	var rows []row
	for _, l := range wrap(t, f.width) {
		if len(l) == 0 {
			rows = append(rows, nil)
			continue
		}
		rows = append(rows, row{{kind: k, col: f.place(len(l)), text: l}})
	}
	return rows
}
