package pdf

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name        string
		n, room     int
		want        int
		description string
	}{
		{"fits", 5, 5, 5, "all lines fit"},
		{"fits with room", 3, 10, 3, ""},
		{"even split", 6, 3, 3, "3 here, 3 overleaf"},
		{"orphan", 5, 1, 0, "one line at the foot would be an orphan: move all"},
		{"widow", 5, 4, 3, "one line overleaf would be a widow: move one more"},
		{"widow then orphan", 3, 2, 0, "2 here leaves a widow, 1 here an orphan: move all"},
		{"two-line paragraph", 2, 1, 0, ""},
		{"one-line paragraph", 1, 0, 0, ""},
		{"long paragraph", 40, 38, 38, ""},
		{"long paragraph widow", 39, 38, 37, ""},
		{"no room", 4, 0, 0, ""},
		{"negative room", 4, -1, 0, "space before overran the page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := split(tt.n, tt.room); got != tt.want {
				t.Errorf("split(%d, %d) = %d, want %d (%s)", tt.n, tt.room, got, tt.want, tt.description)
			}
		})
	}
}

// testLines returns n lines reading "p<id>.<i>".
func testLines(id, n int) []line {
	ls := make([]line, n)
	for i := range ls {
		ls[i] = line{pieces: []piece{{text: fmt.Sprintf("p%d.%d", id, i)}}}
	}
	return ls
}

// runPages flows blocks on pages of lines grid lines, starting at slot
// start, and returns each page's lines' texts.
func runPages(blocks []block, lines, start int, twoSided bool) [][]string {
	var pages []*page
	next := func() *page {
		p := &page{number: len(pages) + 1}
		pages = append(pages, p)
		return p
	}
	pg := &paginator{g: grid{first: 10, leading: 10, lines: lines}, nextPage: next, twoSided: twoSided}
	pg.page = next()
	pg.slot = start
	pg.flow(blocks)
	out := make([][]string, len(pages))
	for i, p := range pages {
		for _, pl := range p.lines {
			out[i] = append(out[i], pl.line.text())
		}
	}
	return out
}

func TestWidowsAndOrphans(t *testing.T) {
	tests := []struct {
		name  string
		start int   // slots already used on the first page
		paras []int // lines of each paragraph
		want  []int // lines on each page
	}{
		{"fits", 0, []int{4, 4}, []int{8}},
		{"orphan moves", 9, []int{5}, []int{0, 5}},
		{"widow pulls a line over", 6, []int{5}, []int{3, 2}},
		{"three lines cannot split", 8, []int{3}, []int{0, 3}},
		{"clean split", 7, []int{6}, []int{3, 3}},
		{"spans three pages", 0, []int{2, 24}, []int{10, 10, 6}},
		{"widow on the third page", 0, []int{2, 19}, []int{10, 9, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var blocks []block
			for i, n := range tt.paras {
				blocks = append(blocks, block{kind: blockText, lines: testLines(i, n)})
			}
			pages := runPages(blocks, 10, tt.start, false)
			var got []int
			for _, p := range pages {
				got = append(got, len(p))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("lines per page = %v, want %v\npages: %q", got, tt.want, pages)
			}
		})
	}
}

// TestWidowOrphanRuleRandom flows random paragraphs and checks the rule on
// every page break: no paragraph leaves one line alone on either side.
func TestWidowOrphanRuleRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for run := range 200 {
		var blocks []block
		var sizes []int
		for i := range 30 {
			n := 1 + rng.IntN(12)
			sizes = append(sizes, n)
			blocks = append(blocks, block{kind: blockText, lines: testLines(i, n)})
		}
		pageLines := 8 + rng.IntN(30)
		pages := runPages(blocks, pageLines, 0, false)
		// count[p][para] is how many lines of para landed on page p.
		seen := map[string]bool{}
		for pi, p := range pages {
			if len(p) > pageLines {
				t.Fatalf("run %d: page %d holds %d lines, more than %d", run, pi+1, len(p), pageLines)
			}
			count := map[int]int{}
			for _, text := range p {
				if seen[text] {
					t.Fatalf("run %d: line %s placed twice", run, text)
				}
				seen[text] = true
				var id, i int
				if _, err := fmt.Sscanf(text, "p%d.%d", &id, &i); err != nil {
					t.Fatalf("line %q: %v", text, err)
				}
				count[id]++
			}
			for id, c := range count {
				if c == 1 && sizes[id] > 1 {
					t.Errorf("run %d (%d lines a page): page %d has one line of paragraph %d (%d lines): %q", run, pageLines, pi+1, id, sizes[id], p)
				}
			}
		}
		total := 0
		for _, n := range sizes {
			total += n
		}
		if len(seen) != total {
			t.Fatalf("run %d: placed %d lines, want %d", run, len(seen), total)
		}
	}
}

func TestOrnamentStaysWithText(t *testing.T) {
	orn := block{kind: blockKeep, role: roleOrnament, lines: testLines(99, 1), spaceBefore: 1, spaceAfter: 1}
	tests := []struct {
		name  string
		start int
		want  [][]string
	}{
		// After the 4-line paragraph, 5 slots remain: space, ornament,
		// space and two lines of the next paragraph fit.
		{"fits", 1, [][]string{{"p0.0", "p0.1", "p0.2", "p0.3", "p99.0", "p1.0", "p1.1"}, {"p1.2", "p1.3"}}},
		// With 3 slots left, the ornament would end the page or strand one
		// line: it opens the next page, without its space before.
		{"moves to the next page", 3, [][]string{{"p0.0", "p0.1", "p0.2", "p0.3"}, {"p99.0", "p1.0", "p1.1", "p1.2", "p1.3"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := []block{{kind: blockText, lines: testLines(0, 4)}, orn, {kind: blockText, lines: testLines(1, 4)}}
			got := runPages(blocks, 10, tt.start, false)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("pages = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNoHyphenAtTheFootOfARecto(t *testing.T) {
	lines := testLines(0, 8)
	lines[4].hyphenated = true // would be the last line of page 1
	lines[3].hyphenated = false
	blocks := []block{{kind: blockText, lines: lines}}
	got := runPages(blocks, 5, 0, true)
	if len(got[0]) != 4 {
		t.Errorf("recto holds %d lines, want 4 (the hyphenated fifth moved overleaf): %q", len(got[0]), got)
	}
	got = runPages(blocks, 5, 0, false)
	if len(got[0]) != 5 {
		t.Errorf("one-sided page holds %d lines, want 5: %q", len(got[0]), got)
	}
}
