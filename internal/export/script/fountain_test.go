package script

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/testenv"
)

// FountainJSEnv names the npm prefix where fountain-js is installed
// (npm install --prefix "$AUTHORWORKS_FOUNTAIN_JS" fountain-js@1.2.4).
const FountainJSEnv = "AUTHORWORKS_FOUNTAIN_JS"

// fountainJS returns the npm prefix holding fountain-js, or skips the test
// locally and fails it in CI when there is none.
func fountainJS(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(FountainJSEnv)
	if dir == "" {
		if testenv.InCI() {
			t.Fatalf("%s is not set: .ci/run must install fountain-js (npm install --prefix DIR fountain-js@1.2.4) and set it", FountainJSEnv)
		}
		t.Skipf("%s not set; skipping the fountain-js check", FountainJSEnv)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "fountain-js", "package.json")); err != nil {
		t.Fatalf("%s=%s holds no fountain-js: %v", FountainJSEnv, dir, err)
	}
	return dir
}

// elementCounts are the elements an independent parser must find.
type elementCounts struct {
	SceneHeadings, Characters, Dialogues, Parentheticals, Transitions, Dual, Centered int
}

// countElements counts the elements of a script document. With mergeDialogue
// two dialogue blocks in a row count once, as Fountain reads them.
func countElements(d document.Doc, mergeDialogue bool) elementCounts {
	var c elementCounts
	for i, b := range d {
		switch b.Type {
		case document.SceneHeading:
			c.SceneHeadings++
		case document.Character:
			c.Characters++
			if b.Dual {
				c.Dual++
			}
		case document.Dialogue:
			if !mergeDialogue || i == 0 || d[i-1].Type != document.Dialogue {
				c.Dialogues++
			}
		case document.Parenthetical:
			c.Parentheticals++
		case document.Transition:
			c.Transitions++
		case document.Centered:
			c.Centered++
		}
	}
	return c
}

// TestFountainRoundTrip reads our Fountain back with the document package's
// parser: it must give back the book's documents and title page.
func TestFountainRoundTrip(t *testing.T) {
	for _, tc := range books {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.book()
			var buf bytes.Buffer
			if err := WriteFountain(&buf, b); err != nil {
				t.Fatal(err)
			}
			got, tp, err := document.FromFountain(buf.String())
			if err != nil {
				t.Fatal(err)
			}
			// Fountain has no shots: they come back as action.
			want := scriptDoc(b, document.Section)
			for i := range want {
				if want[i].Type == document.Shot {
					want[i].Type = document.Action
				}
			}
			want = want.Normalize()
			if len(got) != len(want) {
				t.Fatalf("read back %d blocks, want %d", len(got), len(want))
			}
			for i := range want {
				g, _ := json.Marshal(got[i])
				w, _ := json.Marshal(want[i])
				if !bytes.Equal(g, w) {
					t.Fatalf("block %d read back as %s, want %s", i, g, w)
				}
			}
			if g, w := fmt.Sprint(tp), fmt.Sprint(titleFields(b)); g != w {
				t.Errorf("title page read back as %s, want %s", g, w)
			}
		})
	}
}

// TestFountainJS parses our Fountain with fountain-js, an independent parser,
// and checks that it finds the elements of our document.
func TestFountainJS(t *testing.T) {
	dir := fountainJS(t)
	node := testenv.Tool(t, "node")
	script, err := filepath.Abs(filepath.Join("testdata", "fountain_counts.js"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range books {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.book()
			path := filepath.Join(t.TempDir(), tc.name+".fountain")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteFountain(f, b); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(node, script, path)
			cmd.Env = append(os.Environ(), FountainJSEnv+"="+dir)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("node %s: %v\n%s", script, err, stderr(err))
			}
			var res struct {
				Version string
				Title   string
				Counts  map[string]int
			}
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("decode %s: %v", out, err)
			}
			t.Logf("fountain-js %s: %v", res.Version, res.Counts)
			got := elementCounts{
				SceneHeadings: res.Counts["scene_heading"], Characters: res.Counts["character"],
				Dialogues: res.Counts["dialogue"], Parentheticals: res.Counts["parenthetical"],
				Transitions: res.Counts["transition"], Dual: res.Counts["dual_dialogue_begin"],
				Centered: res.Counts["centered"],
			}
			if want := countElements(scriptDoc(b, document.Section), true); got != want {
				t.Errorf("fountain-js found %+v, want %+v", got, want)
			}
			if res.Title != b.Title {
				t.Errorf("fountain-js read the title %q, want %q", res.Title, b.Title)
			}
		})
	}
}

func stderr(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(ee.Stderr)
	}
	return ""
}
