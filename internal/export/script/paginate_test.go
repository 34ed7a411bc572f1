package script

import (
	"fmt"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
)

// TestPaginationRules checks the rules of pagination on every page of the
// long screenplay, laid out as a screenplay and as a play.
func TestPaginationRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    *format
		book *export.Book
	}{
		{"screenplay", screenplayFormat, longScreenplay()},
		{"play", playFormat, longPlay()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pages := tc.f.layout(tc.book)
			body := pages[1:]
			if len(body) < 40 {
				t.Fatalf("got %d pages, want a feature-length script (40 or more)", len(body))
			}
			splits := checkPages(t, body, true)
			if splits < 10 {
				t.Errorf("got %d speeches split across pages, want at least 10 to exercise (MORE)/(CONT'D)", splits)
			}
			checkWords(t, tc.book, body)
		})
	}
}

// checkPages checks the pagination rules on body pages and returns how many
// speeches were split. Strict also holds speeches split across pages to
// sentence ends and two lines of dialogue a side, which speeches taller than
// a page cannot always keep.
func checkPages(t *testing.T, body []page, strict bool) (splits int) {
	t.Helper()
	for i, p := range body {
		name := fmt.Sprintf("page %d", i+1)
		if want := i + 1; i > 0 && p.number != want || i == 0 && p.number != 0 {
			t.Errorf("%s: numbered %d, want %d (the first page unnumbered)", name, p.number, map[bool]int{true: 0, false: want}[i == 0])
		}
		if len(p.rows) > linesPerPage {
			t.Errorf("%s: %d lines, want at most %d", name, len(p.rows), linesPerPage)
		}
		if len(p.rows) == 0 || len(p.rows[0]) == 0 || len(p.rows[len(p.rows)-1]) == 0 {
			t.Errorf("%s: starts or ends with a blank line (or is empty)", name)
			continue
		}
		for r, line := range p.rows {
			for _, s := range line {
				lo, hi := leftCol, rightCol
				if s.kind == kSceneNumber {
					lo, hi = 10, 80
				}
				if s.col < lo || s.col+len(s.text) > hi {
					t.Errorf("%s line %d: %s %q spans columns %d–%d, outside %d–%d", name, r+1, s.kind, s.text, s.col, s.col+len(s.text), lo, hi)
				}
				if s.kind == kMore && r != len(p.rows)-1 {
					t.Errorf("%s line %d: (MORE) not at the foot of the page", name, r+1)
				}
			}
		}
		first, last := p.rows[0], p.rows[len(p.rows)-1]
		for _, k := range []kind{kTransition, kDialogue, kParen, kMore} {
			if hasKind(first, k) {
				t.Errorf("%s opens with %s: %q", name, k, rowText(first))
			}
		}
		if i < len(body)-1 {
			for _, k := range []kind{kHeading, kSceneNumber, kShot, kCue, kParen, kActHeading} {
				if hasKind(last, k) {
					t.Errorf("%s ends with %s (stranded): %q", name, k, rowText(last))
				}
			}
		}
		var cue []string
		for _, r := range p.rows {
			if !hasKind(r, kCue) {
				break
			}
			cue = append(cue, rowText(r))
		}
		contd := strings.HasSuffix(strings.Join(cue, " "), "(CONT'D)")
		more := i > 0 && hasKind(body[i-1].rows[len(body[i-1].rows)-1], kMore)
		if contd != more {
			t.Errorf("%s: opens with %q after a page ending %q: a split speech needs both (MORE) and (CONT'D)", name, rowText(first), rowText(body[i-1].rows[len(body[i-1].rows)-1]))
		}
		if contd {
			splits++
		}
		if contd && strict {
			if n := dialogueRows(p.rows); n < 2 {
				t.Errorf("%s: %d lines of dialogue after (CONT'D), want at least 2", name, n)
			}
			prev := body[i-1].rows
			var before []row
			for j := len(prev) - 2; j >= 0 && !hasKind(prev[j], kCue); j-- {
				before = append([]row{prev[j]}, before...)
			}
			if n := dialogueRows(before); n < 2 {
				t.Errorf("page %d: %d lines of dialogue before (MORE), want at least 2", i, n)
			}
			if !sentenceEnd(rowText(prev[len(prev)-2])) {
				t.Errorf("page %d: speech split mid-sentence after %q", i, rowText(prev[len(prev)-2]))
			}
		}
	}
	return splits
}

// checkWords checks that pagination loses and repeats no words: the words
// printed as dialogue and as action are those of the document.
func checkWords(t *testing.T, b *export.Book, body []page) {
	t.Helper()
	want := map[kind]int{}
	for _, c := range b.Chapters {
		for _, bl := range c.Doc {
			switch bl.Type {
			case document.Dialogue:
				want[kDialogue] += len(strings.Fields(blockText(bl.Children).String()))
			case document.Action:
				want[kAction] += len(strings.Fields(blockText(bl.Children).String()))
			}
		}
	}
	got := map[kind]int{}
	for _, p := range body {
		for _, line := range p.rows {
			for _, s := range line {
				got[s.kind] += len(strings.Fields(s.text.String()))
			}
		}
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s words printed: got %d, want %d", k, got[k], n)
		}
	}
}

func hasKind(r row, k kind) bool {
	for _, s := range r {
		if s.kind == k {
			return true
		}
	}
	return false
}

func rowText(r row) string {
	var parts []string
	for _, s := range r {
		parts = append(parts, s.text.String())
	}
	return strings.Join(parts, " | ")
}

// dialogueRows counts the rows of dialogue from the first of rows to the
// first blank one.
func dialogueRows(rows []row) int {
	n := 0
	for _, r := range rows {
		if len(r) == 0 {
			break
		}
		if hasKind(r, kDialogue) {
			n++
		}
	}
	return n
}

func sentenceEnd(s string) bool {
	s = strings.TrimRight(s, `"'”’)]`)
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "…")
}

// TestPaginateCases checks each rule on a small page.
func TestPaginateCases(t *testing.T) {
	sentences := func(n int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprintf("Sentence number %d runs on for a while.", i+1)
		}
		return strings.Join(s, " ")
	}
	bl := func(typ document.BlockType, s string) document.Block {
		return document.Block{Type: typ, Children: []document.Inline{document.Text(s)}}
	}
	filler := func(lines int) document.Block { // one action line per line
		return bl(document.Action, strings.TrimSpace(strings.Repeat("Filler.\n", lines)))
	}
	for _, tc := range []struct {
		name  string
		lines int
		doc   document.Doc
		want  string // the dump of the body pages
	}{
		{
			name:  "a scene heading at the foot moves to the next page",
			lines: 8,
			doc:   document.Doc{filler(5), bl(document.SceneHeading, "INT. ROOM - DAY"), bl(document.Action, "One.\nTwo.")},
			want:  "AC*5 | HD _ AC*2",
		},
		{
			name:  "a cue with its parenthetical is never alone at the foot",
			lines: 8,
			doc: document.Doc{filler(5), bl(document.Character, "MARA"), bl(document.Parenthetical, "(quietly)"),
				bl(document.Dialogue, "It is late.")},
			want: "AC*5 | CU PA DI",
		},
		{
			name:  "a transition pulls the end of the action before it over",
			lines: 8,
			doc:   document.Doc{filler(3), bl(document.Action, "Line one.\nLine two.\nLine three.\nLine four."), bl(document.Transition, "CUT TO:")},
			want:  "AC*3 _ AC*2 | AC*2 _ TR",
		},
		{
			name:  "a speech splits between sentences with (MORE) and (CONT'D)",
			lines: 12,
			doc:   document.Doc{filler(3), bl(document.Character, "MARA"), bl(document.Dialogue, sentences(6))},
			want:  "AC*3 _ CU DI*6 MO | CU(CONT'D) DI*2",
		},
		{
			name:  "a speech with no sentence end to split at moves whole",
			lines: 12,
			doc: document.Doc{filler(6), bl(document.Character, "MARA"),
				bl(document.Dialogue, strings.Repeat("and on and on ", 12)+"and on.")},
			want: "AC*6 | CU DI*5",
		},
		{
			name:  "at least two lines of dialogue on each side",
			lines: 9,
			doc: document.Doc{filler(5), bl(document.Character, "MARA"),
				bl(document.Dialogue, "Short one. "+sentences(2))},
			want: "AC*5 | CU DI*3",
		},
		{
			name:  "a page break starts a new page",
			lines: 20,
			doc:   document.Doc{filler(2), {Type: document.PageBreak, Children: []document.Inline{document.Text("")}}, filler(2)},
			want:  "AC*2 | AC*2",
		},
		{
			name:  "a speech taller than a page splits anyhow",
			lines: 6,
			doc:   document.Doc{bl(document.Character, "MARA"), bl(document.Dialogue, strings.Repeat("word ", 60))},
			want:  "CU DI*4 MO | CU(CONT'D) DI*5",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pages := paginate(screenplayFormat.units(tc.doc), tc.lines)
			if got := shape(pages); got != tc.want {
				t.Errorf("got  %s\nwant %s\n%s", got, tc.want, dump(pages))
			}
		})
	}
}

// shape abbreviates pages to the kinds of their rows: "_" a blank row, "*n"
// a run of n rows of one kind, "|" a page break.
func shape(pages []page) string {
	var out []string
	for i, p := range pages {
		if i > 0 {
			out = append(out, "|")
		}
		for j := 0; j < len(p.rows); {
			code := rowCode(p.rows[j])
			n := 1
			for j+n < len(p.rows) && rowCode(p.rows[j+n]) == code {
				n++
			}
			if n > 1 && code != "_" {
				code += fmt.Sprintf("*%d", n)
				j += n
			} else {
				j++
			}
			out = append(out, code)
		}
	}
	return strings.Join(out, " ")
}

func rowCode(r row) string {
	if len(r) == 0 {
		return "_"
	}
	var ks []string
	for _, s := range r {
		c := s.kind.String()
		if s.kind == kCue && strings.HasSuffix(s.text.String(), "(CONT'D)") {
			c += "(CONT'D)"
		}
		ks = append(ks, c)
	}
	return strings.Join(ks, "+")
}

func TestPageNumbers(t *testing.T) {
	pages := screenplayFormat.layout(exporttest.Screenplay())
	if len(pages) != 2 || pages[0].number != 0 || pages[1].number != 0 {
		t.Fatalf("got %d pages, want 2 (a title page and one script page), neither numbered", len(pages))
	}
}
