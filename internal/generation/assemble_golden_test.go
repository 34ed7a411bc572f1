package generation

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateAssembleGolden = flag.Bool("update-assemble", false, "rewrite testdata/assemble_*.golden from the assembler's output")

// TestAssembleGolden pins the rendered prompt and manifest of a few requests on
// the small book, so that a change to the layout shows as a diff. Rewrite them
// with: go test ./internal/generation -run Golden -update-assemble
func TestAssembleGolden(t *testing.T) {
	ms, bible := smallBook()
	tests := []struct {
		name string
		in   Input
	}{
		{"scene", Input{Mode: ModeScene, Chapter: 2, Scene: 2}},
		{"rewrite", Input{Mode: ModeRewrite, Chapter: 2, Scene: 1, Selection: "The storm broke over the Keep.",
			Instruction: "Make it louder.", Pinned: []string{"tomas"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Manuscript, tt.in.Bible = ms, bible
			tt.in.Summaries = map[string]string{"c1": "Mara met Tomas, who sold his boat.", "s21": "The storm broke."}
			p, err := Assemble(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, s := range p.Request.System {
				b.WriteString("=== system " + string(rune('1'+i)) + "\n" + s.Text + "\n")
			}
			for _, m := range p.Request.Messages {
				b.WriteString("=== " + m.Role + "\n" + m.Text + "\n")
			}
			manifest, err := json.MarshalIndent(p.Manifest, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString("=== manifest\n" + string(manifest) + "\n")
			path := filepath.Join("testdata", "assemble_"+tt.name+".golden")
			if *updateAssembleGolden {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update-assemble to create it)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s differs from the assembler's output; got:\n%s", path, got)
			}
		})
	}
}
