package script

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
)

var update = flag.Bool("update-script", false, "rewrite the golden files of internal/export/script")

// golden compares got with testdata/name, or rewrites the file with
// -update-script.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update-script to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			g, w := "", ""
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden file at line %d:\ngot:  %q\nwant: %q\n(run go test -update-script if the change is intended)", name, i+1, g, w)
			}
		}
	}
}

// dump prints pages of the grid as text: each row as it prints, behind a
// gutter with its row number and the kinds of its segments. Styled runs are
// marked after the row: {i:…} italic, {b:…} bold, {u:…} underline.
func dump(pages []page) string {
	var b strings.Builder
	for i, p := range pages {
		fmt.Fprintf(&b, "=== page %d", i)
		if i == 0 {
			b.WriteString(" (title)")
		}
		if p.number > 0 {
			fmt.Fprintf(&b, ", numbered %d.", p.number)
		}
		b.WriteString(" ===\n")
		last := len(p.rows)
		for last > 0 && len(p.rows[last-1]) == 0 {
			last--
		}
		for r, line := range p.rows[:last] {
			var kinds []string
			var cells []rune
			var marks []string
			for _, s := range line {
				kinds = append(kinds, s.kind.String())
				for len(cells) < s.col {
					cells = append(cells, ' ')
				}
				cells = append(cells, []rune(s.text.String())...)
				marks = append(marks, styledRuns(s.text)...)
			}
			fmt.Fprintf(&b, "%02d %-5s|%s", r+1, strings.Join(kinds, "+"), string(cells))
			if len(marks) > 0 {
				b.WriteString("   " + strings.Join(marks, " "))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func styledRuns(t text) []string {
	var out []string
	for i := 0; i < len(t); {
		j := i
		for j < len(t) && t[j].st == t[i].st {
			j++
		}
		if st := t[i].st; st != 0 {
			var code string
			for _, m := range []struct {
				st style
				c  string
			}{{bold, "b"}, {italic, "i"}, {underline, "u"}} {
				if st&m.st != 0 {
					code += m.c
				}
			}
			out = append(out, "{"+code+":"+t[i:j].String()+"}")
		}
		i = j
	}
	return out
}

// books are the fixtures every golden test covers.
var books = []struct {
	name string
	book func() *export.Book
}{
	{"screenplay", exporttest.Screenplay},
	{"play", exporttest.Play},
	{"long", longScreenplay},
}

func TestGoldenFountain(t *testing.T) {
	for _, tc := range books {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteFountain(&buf, tc.book()); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".fountain", buf.Bytes())
		})
	}
}

func TestGoldenFDX(t *testing.T) {
	for _, tc := range books {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteFDX(&buf, tc.book()); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".fdx", buf.Bytes())
		})
	}
}

func TestGoldenPages(t *testing.T) {
	for _, tc := range []struct {
		name   string
		book   func() *export.Book
		format *format
	}{
		{"screenplay", exporttest.Screenplay, screenplayFormat},
		{"play", exporttest.Play, playFormat},
		{"long", longScreenplay, screenplayFormat},
		{"long-play", longPlay, playFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name+".pages.txt", []byte(dump(tc.format.layout(tc.book()))))
		})
	}
}

// longPlay is the long screenplay laid out as a stage play.
func longPlay() *export.Book {
	b := longScreenplay()
	b.ContentType = "play"
	return b
}
