package document

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// ftCarried restricts a document to what Fountain carries, as Fountain
// documents it: the result is what FromFountain(d.Fountain(tp)) must return.
func ftCarried(d Doc) Doc {
	var out Doc
	speech := false
	for _, b := range d.Normalize() {
		t := b.Type
		switch t {
		case Character:
			speech = true
		case Parenthetical, Dialogue:
			if !speech {
				t = Action
			}
		case Note:
		default:
			speech = false
		}
		children := b.Children
		switch t {
		case Shot, StageDirection, Paragraph, Heading1, Heading2, Heading3, Blockquote:
			t = Action
		case ActHeading:
			t = Section
		case SceneBreak, Image:
			if b.blockText() == "" {
				continue
			}
			t, children = Action, []Inline{Text(b.blockText())}
		}
		nb := Block{Type: t}
		switch t {
		case SceneHeading:
			nb.SceneNumber = b.SceneNumber
		case Character:
			nb.Dual = b.Dual
		case Section:
			nb.Depth = max(1, b.Depth)
		}
		opt := 0
		switch t {
		case SceneHeading, Character, Transition, Section, Synopsis, Parenthetical:
			opt = optSingle
		case Dialogue, Centered:
			opt = optTrim
		}
		if t == Parenthetical {
			children = parenthesize(children)
		}
		var lines [][]Inline
		for _, line := range ftText(children, opt) {
			var l []Inline
			for _, c := range line {
				lf := Leaf{Text: string(c.r)}
				lf.setMarks(c.m)
				l = append(l, Inline{Leaf: lf})
			}
			lines = append(lines, l)
		}
		for i, l := range lines {
			if i > 0 {
				nb.Children = append(nb.Children, Text("\n"))
			}
			nb.Children = append(nb.Children, l...)
		}
		if n := len(out); t == Dialogue && n > 0 && out[n-1].Type == Dialogue {
			out[n-1].Children = append(append(out[n-1].Children, Text("\n")), nb.Children...)
			continue
		}
		out = append(out, nb)
	}
	return out.Normalize()
}

func randFtLeaf(r *rand.Rand, pool []string) Inline {
	lf := randLeaf(r, pool)
	return Inline{Leaf: lf}
}

func randFtInlines(r *rand.Rand, pool []string) []Inline {
	var out []Inline
	for n := 1 + r.Intn(4); n > 0; n-- {
		out = append(out, randFtLeaf(r, pool))
	}
	return out
}

// randScreenplay generates a valid document of screenplay blocks.
func randScreenplay(r *rand.Rand) Doc {
	caps := []string{"BOB", "DR. WREN", "MARA (V.O.)", "O'NEIL (CONT'D)", "R2D2", "ÉLODIE", "INT. BOB", "CUT TO:", "bob", "McCLANE", "A ^", "X"}
	var d Doc
	for n := r.Intn(10); n >= 0; n-- {
		switch k := r.Intn(16); k {
		case 0, 1:
			b := Block{Type: SceneHeading, Children: randFtInlines(r, append([]string{"INT. HOUSE - DAY", "EXT. ", "I/E CAR"}, ftTricky...))}
			if r.Intn(3) == 0 {
				b.SceneNumber = []string{"1", "12A", "I-1-A", "3.5"}[r.Intn(4)]
			}
			d = append(d, b)
		case 2, 3:
			d = append(d, Block{Type: Action, Children: randFtInlines(r, ftTricky)})
		case 4, 5, 6:
			d = append(d, Block{Type: Character, Dual: r.Intn(4) == 0, Children: []Inline{{Leaf: Leaf{Text: caps[r.Intn(len(caps))], Bold: r.Intn(5) == 0}}}})
			for m := r.Intn(4); m > 0; m-- {
				switch r.Intn(5) {
				case 0:
					ch := append([]Inline{Text("(")}, randFtInlines(r, ftTricky)...)
					d = append(d, Block{Type: Parenthetical, Children: append(ch, Text(")"))})
				case 1:
					d = append(d, Block{Type: Note, Children: randFtInlines(r, ftTricky)})
				default:
					d = append(d, Block{Type: Dialogue, Children: randFtInlines(r, ftTricky)})
				}
			}
		case 7:
			d = append(d, Block{Type: Transition, Children: randFtInlines(r, append([]string{"CUT TO:", "FADE OUT."}, ftTricky...))})
		case 8:
			d = append(d, Block{Type: Centered, Children: randFtInlines(r, ftTricky)})
		case 9:
			d = append(d, Block{Type: Lyrics, Children: randFtInlines(r, ftTricky)})
		case 10:
			d = append(d, Block{Type: PageBreak, Children: []Inline{{}}})
		case 11:
			d = append(d, Block{Type: Section, Depth: r.Intn(4), Children: randFtInlines(r, ftTricky)})
		case 12:
			d = append(d, Block{Type: Synopsis, Children: randFtInlines(r, ftTricky)})
		case 13:
			d = append(d, Block{Type: Note, Children: randFtInlines(r, ftTricky)})
		case 14:
			d = append(d, Block{Type: Shot, Children: randFtInlines(r, ftTricky)})
		default:
			d = append(d, Block{Type: []BlockType{Dialogue, Parenthetical}[r.Intn(2)], Children: randFtInlines(r, ftTricky)})
		}
	}
	return d
}

func randTitlePage(r *rand.Rand) TitlePage {
	keys := []string{"Title", "Credit", "Author", "Source", "Draft date", "Contact", "Notes_2", "x-custom"}
	values := []string{"", "Brick & Steel", "written by", "Mara Wren", "1/20/2026", "Harbour Office\n12 Quay Street\nPenzance", "**BOLD** _under_", "a: b", "Title: not a key"}
	var tp TitlePage
	for n := r.Intn(4); n > 0; n-- {
		tp = append(tp, TitleField{Key: keys[r.Intn(len(keys))], Value: values[r.Intn(len(values))]})
	}
	return tp
}

func TestFountainRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewSource(20260121))
	for i := 0; i < 300; i++ {
		d := randScreenplay(r)
		if err := d.Validate(); err != nil {
			t.Fatalf("generator made an invalid document: %v\n%s", err, docJSON(t, d))
		}
		tp := randTitlePage(r)
		src := d.Fountain(tp)
		got, gotTP, err := FromFountain(src)
		if err != nil {
			t.Fatalf("doc %d: FromFountain: %v", i, err)
		}
		if want := ftCarried(d); !sameDoc(got, want) {
			raw, _ := d.MarshalJSON()
			t.Fatalf("doc %d: round trip differs\ndoc: %s\nfountain:\n%q\n%s", i, raw, src, docDiff(got, want))
		}
		if len(tp) == 0 {
			tp = nil
		}
		if !reflect.DeepEqual(gotTP, tp) {
			t.Fatalf("doc %d: title page %q, want %q\nfountain:\n%s", i, gotTP, tp, src)
		}
	}
}

type fountainGolden struct {
	TitlePage TitlePage `json:"title_page"`
	Content   Doc       `json:"content"`
}

func TestFountainGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "fountain", "*.fountain"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".out.fountain") {
			continue
		}
		n++
		name := strings.TrimSuffix(filepath.Base(f), ".fountain")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			d, tp, err := FromFountain(string(src))
			if err != nil {
				t.Fatalf("FromFountain: %v", err)
			}
			raw, err := json.MarshalIndent(fountainGolden{tp, d}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("fountain", name+".json"), append(raw, '\n'))
			out := d.Fountain(tp)
			golden(t, filepath.Join("fountain", name+".out.fountain"), []byte(out))
			back, backTP, err := FromFountain(out)
			if err != nil {
				t.Fatalf("FromFountain(Fountain()): %v", err)
			}
			if !sameDoc(back, d) {
				t.Errorf("Fountain round trip differs\n%s", docDiff(back, d))
			}
			if !reflect.DeepEqual(backTP, tp) {
				t.Errorf("title page %q, want %q", backTP, tp)
			}
		})
	}
	if n == 0 {
		t.Fatal("no golden Fountain files")
	}
}

func TestFountainElements(t *testing.T) {
	b := func(t BlockType, s string) Block { return blk(t, s) }
	tests := []struct {
		name string
		src  string
		want Doc
		tp   TitlePage
	}{
		{"title page", "Title: Brick\nAuthor: Me\nContact:\n    1 Quay St\n    Penzance\n\nHe waits.", Doc{b(Action, "He waits.")},
			TitlePage{{"Title", "Brick"}, {"Author", "Me"}, {"Contact", "1 Quay St\nPenzance"}}},
		{"scene heading with number", "INT. LIGHTHOUSE - NIGHT #12A#", Doc{{Type: SceneHeading, SceneNumber: "12A", Children: []Inline{Text("INT. LIGHTHOUSE - NIGHT")}}}, nil},
		{"forced scene heading", ".FLASHBACK", Doc{b(SceneHeading, "FLASHBACK")}, nil},
		{"ellipsis is action", "...and then", Doc{b(Action, "...and then")}, nil},
		{"character and dialogue", "MARA (V.O.)\nHello.\n(beat)\nAnyone?\n  \nNo.", Doc{
			b(Character, "MARA (V.O.)"), b(Dialogue, "Hello."), b(Parenthetical, "(beat)"), b(Dialogue, "Anyone?\n\nNo."),
		}, nil},
		{"dual dialogue", "BRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.", Doc{
			b(Character, "BRICK"), b(Dialogue, "Screw retirement."),
			{Type: Character, Dual: true, Children: []Inline{Text("STEEL")}}, b(Dialogue, "Screw retirement."),
		}, nil},
		{"forced character", "@McCLANE\nYippee.", Doc{b(Character, "McCLANE"), b(Dialogue, "Yippee.")}, nil},
		{"caps line without dialogue is action", "BOOM.\n\nIt falls.", Doc{b(Action, "BOOM."), b(Action, "It falls.")}, nil},
		{"transition", "He leaves.\n\nCUT TO:\n\nEXT. SEA - DAY", Doc{b(Action, "He leaves."), b(Transition, "CUT TO:"), b(SceneHeading, "EXT. SEA - DAY")}, nil},
		{"forced transition and centered", "> Burn to white.\n\n>THE END<", Doc{b(Transition, "Burn to white."), b(Centered, "THE END")}, nil},
		{"lyrics", "~Willy Wonka!\n~Willy Wonka!", Doc{b(Lyrics, "Willy Wonka!\nWilly Wonka!")}, nil},
		{"page break, section, synopsis", "# Act One\n\n= The keeper arrives.\n\n===\n\n## Sequence", Doc{
			{Type: Section, Depth: 1, Children: []Inline{Text("Act One")}}, b(Synopsis, "The keeper arrives."),
			{Type: PageBreak, Children: []Inline{{}}}, {Type: Section, Depth: 2, Children: []Inline{Text("Sequence")}},
		}, nil},
		{"notes", "[[A note\nover two lines]]\n\nShe runs [[check]] fast.", Doc{b(Note, "A note\nover two lines"), b(Action, "She runs  fast.")}, nil},
		{"boneyard", "Keep this. /* cut\nall of this */Keep that.", Doc{b(Action, "Keep this. Keep that.")}, nil},
		{"emphasis", "*i* **b** ***bi*** _u_ \\*not\\*", Doc{p(
			Inline{Leaf: Leaf{Text: "i", Italic: true}}, Text(" "), Inline{Leaf: Leaf{Text: "b", Bold: true}}, Text(" "),
			Inline{Leaf: Leaf{Text: "bi", Bold: true, Italic: true}}, Text(" "), Inline{Leaf: Leaf{Text: "u", Underline: true}}, Text(" *not*"),
		)}, nil},
		{"forced action keeps indentation", "!INT. NOT A HEADING\n    indented", Doc{b(Action, "INT. NOT A HEADING\n    indented")}, nil},
		{"crlf and control characters", "Hello\r\nworld\x00.", Doc{b(Action, "Hello\nworld.")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, tp, err := FromFountain(tt.src)
			if err != nil {
				t.Fatalf("FromFountain: %v", err)
			}
			want := tt.want
			if tt.name == "emphasis" {
				want[0].Type = Action
			}
			if !sameDoc(d, want.Normalize()) {
				t.Errorf("FromFountain(%q)\n%s", tt.src, docDiff(d, want.Normalize()))
			}
			if !reflect.DeepEqual(tp, tt.tp) {
				t.Errorf("title page %q, want %q", tp, tt.tp)
			}
		})
	}
}

func TestFountainForcing(t *testing.T) {
	tests := []struct {
		doc  Doc
		want string
	}{
		{Doc{blk(Action, "THE HOUSE EXPLODES.\nDebris everywhere.")}, "!THE HOUSE EXPLODES.\nDebris everywhere.\n"},
		{Doc{blk(Action, "INT. is how it starts")}, "!INT. is how it starts\n"},
		{Doc{blk(Action, "Note: the sea")}, "!Note: the sea\n"},
		{Doc{blk(Action, "@home")}, "!@home\n"},
		{Doc{blk(SceneHeading, "THE FLASHBACK")}, ".THE FLASHBACK\n"},
		{Doc{blk(Character, "McCLANE"), blk(Dialogue, "(not a parenthetical)")}, "@McCLANE\n\\(not a parenthetical)\n"},
		{Doc{blk(Transition, "Dissolve to:")}, ">Dissolve to:\n"},
		{Doc{blk(Action, "a * b _c_ [[d]] /* e */")}, "a \\* b \\_c\\_ \\[[d]] /\\* e \\*/\n"},
	}
	for _, tt := range tests {
		if got := tt.doc.Fountain(nil); got != tt.want {
			t.Errorf("Fountain() = %q, want %q", got, tt.want)
		}
	}
}

func ExampleDoc_Fountain() {
	d := Doc{
		{Type: SceneHeading, SceneNumber: "1", Children: []Inline{Text("INT. LIGHTHOUSE - NIGHT")}},
		{Type: Action, Children: []Inline{Text("Wind. "), {Leaf: Leaf{Text: "Something", Italic: true}}, Text(" knocks.")}},
		{Type: Character, Children: []Inline{Text("MARA")}},
		{Type: Parenthetical, Children: []Inline{Text("(whispering)")}},
		{Type: Dialogue, Children: []Inline{Text("Who's there?")}},
	}
	fmt.Print(d.Fountain(TitlePage{{Key: "Title", Value: "The Keeper"}}))
	// Output:
	// Title: The Keeper
	//
	// INT. LIGHTHOUSE - NIGHT #1#
	//
	// Wind. *Something* knocks.
	//
	// MARA
	// (whispering)
	// Who's there?
}
