package script

import (
	"bytes"
	"cmp"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/testenv"
)

// writePDFFile writes a PDF with write to a temporary file and returns its path.
func writePDFFile(t *testing.T, name string, write func(io.Writer, *export.Book) error, b *export.Book) string {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, tool string, args ...string) string {
	t.Helper()
	out, err := exec.Command(testenv.Tool(t, tool), args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, stderr(err))
	}
	return string(out)
}

// TestPDFInspect checks the screenplay and play PDFs with poppler: page size
// and count, embedded fonts, and the text where it belongs.
func TestPDFInspect(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(io.Writer, *export.Book) error
		f     *format
		book  *export.Book
	}{
		{"screenplay", WriteScreenplayPDF, screenplayFormat, exporttest.Screenplay()},
		{"long", WriteScreenplayPDF, screenplayFormat, longScreenplay()},
		{"play", WritePlayPDF, playFormat, exporttest.Play()},
		{"long-play", WritePlayPDF, playFormat, longPlay()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writePDFFile(t, tc.name+".pdf", tc.write, tc.book)
			info := run(t, "pdfinfo", path)
			if !regexp.MustCompile(`(?m)^Page size:\s+612 x 792 pts \(letter\)$`).MatchString(info) {
				t.Errorf("pdfinfo: want Page size 612 x 792 pts (letter), got\n%s", info)
			}
			m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(info)
			if want := len(tc.f.layout(tc.book)); m == nil || m[1] != strconv.Itoa(want) {
				t.Errorf("pdfinfo: want Pages: %d, got\n%s", want, info)
			}
			checkFonts(t, run(t, "pdffonts", path))
			checkPageText(t, path, tc.f.layout(tc.book))
		})
	}
}

// checkFonts checks that every font is Liberation Mono, embedded as a subset.
func checkFonts(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no font:\n%s", out)
	}
	emb := strings.Index(lines[0], "emb")
	for _, l := range lines[2:] {
		if !strings.Contains(strings.ToLower(l), "liberationmono") || len(l) < emb+3 || l[emb:emb+3] != "yes" {
			t.Errorf("pdffonts: want Liberation Mono embedded, got %q", l)
		}
	}
}

// checkPageText compares the words poppler finds on each page (pdftotext
// -bbox gives each word's box in points) with the words of the page in the
// grid, each at its column's x (7.2 pt a column) and its row's y, and checks
// with pdftotext -layout that numbered pages open with the number at the
// right.
func checkPageText(t *testing.T, path string, pages []page) {
	t.Helper()
	for i := range min(len(pages), 4) {
		n := strconv.Itoa(i + 1)
		got := bboxWords(t, run(t, "pdftotext", "-bbox", "-f", n, "-l", n, path, "-"))
		want := gridWords(pages[i])
		if len(got) != len(want) {
			t.Errorf("page %s: poppler found %d words, want %d", n, len(got), len(want))
		}
		for j := range min(len(got), len(want)) {
			if got[j] != want[j] {
				t.Errorf("page %s: word %d is %s, want %s", n, j+1, got[j], want[j])
				break
			}
		}
		if pages[i].number > 0 {
			// The number ends at the right margin: no line reaches further.
			lines := nonBlank(run(t, "pdftotext", "-layout", "-f", n, "-l", n, path, "-"))
			num := fmt.Sprintf("%d.", pages[i].number)
			right := 0
			for _, l := range lines {
				right = max(right, len([]rune(l)))
			}
			if len(lines) == 0 || strings.TrimSpace(lines[0]) != num || len(lines[0]) < right {
				t.Errorf("page %s: pdftotext -layout opens with %q, want %q ending at the right margin", n, lines[0], num)
			}
		}
	}
}

// word is a word on a page: its text, its left edge in points, and its row
// (-3 for the page number's line, 0.5 in above the first row).
type word struct {
	text string
	x    float64
	row  int
}

func (w word) String() string { return fmt.Sprintf("%q at x=%.1f row %d", w.text, w.x, w.row) }

var bboxWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="[0-9.]+">([^<]*)</word>`)

func bboxWords(t *testing.T, out string) []word {
	t.Helper()
	var ws []word
	for _, m := range bboxWord.FindAllStringSubmatch(out, -1) {
		x, err1 := strconv.ParseFloat(m[1], 64)
		y, err2 := strconv.ParseFloat(m[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad bbox %q", m[0])
		}
		ws = append(ws, word{html.UnescapeString(m[3]), math.Round(x*10) / 10, int(math.Round((y - topPt) / rowPt))})
	}
	sortWords(ws)
	return ws
}

// gridWords lists the words of a page of the grid where they print.
func gridWords(p page) []word {
	var ws []word
	add := func(s string, col, row int) {
		for _, f := range strings.Fields(s) {
			at := strings.Index(s, f)
			ws = append(ws, word{f, math.Round(float64(col+len([]rune(s[:at])))*colPt*10) / 10, row})
			s = s[:at] + strings.Repeat(" ", len(f)) + s[at+len(f):]
		}
	}
	if p.number > 0 {
		n := fmt.Sprintf("%d.", p.number)
		add(n, rightCol-len(n), (numberTopPt-topPt)/rowPt)
	}
	for r, line := range p.rows {
		for _, s := range line {
			add(s.text.String(), s.col, r)
		}
	}
	sortWords(ws)
	return ws
}

func sortWords(ws []word) {
	slices.SortFunc(ws, func(a, b word) int {
		if a.row != b.row {
			return a.row - b.row
		}
		return cmp.Compare(a.x, b.x)
	})
}

// TestPDFColumns checks the elements of the screenplay fixture's first page
// at the standard positions, in points from the left edge.
func TestPDFColumns(t *testing.T) {
	path := writePDFFile(t, "screenplay.pdf", WriteScreenplayPDF, exporttest.Screenplay())
	ws := bboxWords(t, run(t, "pdftotext", "-bbox", "-f", "2", "-l", "2", path, "-"))
	for _, tc := range []struct {
		what, word string
		row        int
		x          float64
	}{
		{"scene heading at 1.5 in", "INT.", 0, 108},
		{"action at 1.5 in", "Rain", 2, 108},
		{"character cue at 3.7 in", "MARA", 5, 266.4},
		{"dialogue at 2.5 in", "Eleven.", 6, 180},
		{"parenthetical at 3.1 in", "(calling", 10, 223.2},
		{"transition ending at 7.5 in", "CUT", 16, 540 - 7*colPt},
	} {
		found := false
		for _, w := range ws {
			if w.text == tc.word && w.row == tc.row {
				found = true
				if w.x != tc.x {
					t.Errorf("%s: %q at x=%.1f pt, want %.1f", tc.what, tc.word, w.x, tc.x)
				}
				break
			}
		}
		if !found {
			t.Errorf("%s: %q not found on the page", tc.what, tc.word)
		}
	}
}

func nonBlank(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" && l != "\f" {
			out = append(out, strings.TrimRight(l, " \f"))
		}
	}
	return out
}
