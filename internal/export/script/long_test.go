package script

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
)

// longScreenplay is a deterministic feature-length screenplay of three acts
// and 105 scenes: action of one to seven sentences, speeches of one to twelve
// sentences and some monologues of up to forty, parentheticals (also in the
// middle of a speech), transitions, shots, dual dialogue, scene numbers in
// the second act, a forced page break, marks, and sections, synopses and notes
// that do not print. It exists to exercise page breaks.
func longScreenplay() *export.Book {
	rng := rand.New(rand.NewPCG(2026, 11))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	sentence := func() string {
		n := 4 + rng.IntN(12)
		w := make([]string, n)
		for i := range w {
			w[i] = pick(longWords)
		}
		w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
		return strings.Join(w, " ") + pick([]string{".", ".", ".", "?", "!", "..."})
	}
	sentences := func(n int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = sentence()
		}
		return strings.Join(s, " ")
	}
	block := func(t document.BlockType, s string) document.Block {
		return document.Block{Type: t, Children: []document.Inline{document.Text(s)}}
	}
	var chapters []export.Chapter
	scene := 0
	for act := 1; act <= 3; act++ {
		var d document.Doc
		for range 35 {
			scene++
			if rng.IntN(10) == 0 {
				d = append(d, block(document.Synopsis, sentence()))
			}
			h := block(document.SceneHeading, fmt.Sprintf("%s %s - %s", pick([]string{"INT.", "EXT.", "INT./EXT."}), pick(longPlaces), pick(longTimes)))
			if act == 2 {
				h.SceneNumber = fmt.Sprint(scene)
			}
			d = append(d, h)
			if scene == 53 {
				// A page break before the second half (the block after it opens a page).
				d = append(d[:len(d)-1], document.Block{Type: document.PageBreak, Children: []document.Inline{document.Text("")}}, h)
			}
			beats := 2 + rng.IntN(5)
			for b := 0; b < beats; b++ {
				switch r := rng.IntN(10); {
				case r < 3:
					a := block(document.Action, sentences(1+rng.IntN(7)))
					if rng.IntN(4) == 0 {
						a.Children = append(a.Children, document.Text(" "),
							document.Inline{Leaf: document.Leaf{Text: "The lamp goes out.", Italic: true}},
							document.Text(" "),
							document.Inline{Leaf: document.Leaf{Text: "Nobody moves.", Bold: true, Underline: true}})
					}
					d = append(d, a)
				case r == 3 && rng.IntN(3) == 0:
					d = append(d, block(document.Shot, "CLOSE ON "+strings.ToUpper(pick(longThings))))
				case r == 4 && rng.IntN(4) == 0:
					d = append(d,
						block(document.Character, pick(longCast)),
						block(document.Dialogue, sentences(1+rng.IntN(3))),
						document.Block{Type: document.Character, Dual: true, Children: []document.Inline{document.Text(pick(longCast))}},
						block(document.Dialogue, sentences(1+rng.IntN(3))))
				default:
					cue := pick(longCast)
					if rng.IntN(6) == 0 {
						cue += pick([]string{" (V.O.)", " (O.S.)"})
					}
					d = append(d, block(document.Character, cue))
					if rng.IntN(3) == 0 {
						d = append(d, block(document.Parenthetical, "("+pick(longManners)+")"))
					}
					n := 1 + rng.IntN(6)
					if rng.IntN(10) == 0 {
						n = 8 + rng.IntN(20)
					}
					d = append(d, block(document.Dialogue, sentences(n)))
					if rng.IntN(5) == 0 {
						d = append(d, block(document.Parenthetical, "("+pick(longManners)+")"),
							block(document.Dialogue, sentences(1+rng.IntN(8))))
					}
					if rng.IntN(15) == 0 {
						d = append(d, block(document.Note, "Tighten this."))
					}
				}
			}
			if rng.IntN(4) == 0 {
				d = append(d, block(document.Transition, pick([]string{"CUT TO:", "DISSOLVE TO:", "SMASH CUT TO:", "MATCH CUT TO:"})))
			}
		}
		if act == 3 {
			d = append(d, block(document.Transition, "FADE OUT."), block(document.Centered, "THE END"))
		}
		chapters = append(chapters, export.Chapter{Number: act, Title: fmt.Sprintf("Act %d", act), Doc: d})
	}
	b := exporttest.Screenplay()
	b.Title, b.Chapters, b.WordCount = "The Long Tide", chapters, 0
	for _, c := range chapters {
		if err := c.Doc.Validate(); err != nil {
			panic(fmt.Sprintf("longScreenplay: %v", err))
		}
		b.WordCount += c.Doc.WordCount()
	}
	return b
}

var (
	longWords = strings.Fields(`the harbour tide lamp map captain island road fog salt crate coat door window
		night morning rain water ink father causeway light silence promise letter boat rope gull stone bell
		she he they said walked turned waited watched listened remembered decided ran held kept lost found opened
		slowly quietly again never always almost only still already before after under over across between`)
	longPlaces = []string{"HARBOUR OFFICE", "CAUSEWAY", "LIGHTHOUSE", "CAFE ELISE", "MARA'S FLAT",
		"CUSTOMS HOUSE", "FISH MARKET", "CHAPEL", "LOW ROAD", "JONAH'S BOAT"}
	longTimes   = []string{"DAY", "NIGHT", "DAWN", "DUSK", "CONTINUOUS", "LATER"}
	longCast    = []string{"MARA", "JONAH", "ELISE", "THE CAPTAIN", "TOM", "HARBOURMASTER"}
	longManners = []string{"quietly", "to Jonah", "not looking up", "beat", "laughing despite herself", "calling from the stairs"}
	longThings  = []string{"the map", "the crate", "the lamp", "the bell rope", "her burned hand"}
)
