// Package exporttest holds the fixture books export tests and benchmarks share:
// a small novel, a screenplay and a stage play with every feature a writer
// uses, and a synthetic novel of any length.
package exporttest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
)

// Modified is the fixed modification time of the fixtures, so outputs are
// byte-stable for golden files.
var Modified = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func mustMarkdown(src string) document.Doc {
	d, err := document.FromMarkdown(src)
	if err != nil {
		panic(fmt.Sprintf("exporttest: fixture markdown: %v", err))
	}
	return d
}

func mustFountain(src string) document.Doc {
	d, _, err := document.FromFountain(src)
	if err != nil {
		panic(fmt.Sprintf("exporttest: fixture fountain: %v", err))
	}
	return d
}

// Novel is a three-chapter novel with italics, bold, dialogue, typographic
// quotes and dashes, accented letters, a blockquote and scene breaks.
func Novel() *export.Book {
	chapters := []export.Chapter{
		{Number: 1, Title: "The Salt Road", Doc: mustMarkdown(`The fog came in at dusk, as it always did in Port Aster, and with it came the smell of tar and *something older*.

Mara Quell counted the crates twice. “Eleven,” she said. “There were twelve this morning.”

“Then someone can’t count,” said Jonah — and laughed, though there was no warmth in it.

***

Later, alone in the harbour office, she unrolled the map. The ink had faded to the colour of weak tea, but the **island** was still there, exactly where her father had said it would be.`)},
		{Number: 2, Title: "Café Élise", Doc: mustMarkdown(`The café on the corner had been called Élise for forty years, though no one remembered who Élise had been.

> Whoever holds the map holds the harbour.

Mara read the line three times. Then she folded the note, put it in her coat, and ordered a second coffee she did not want.

***

By the time the lamps were lit, she had decided.`)},
		{Number: 3, Title: "Low Water", Doc: mustMarkdown(`At low water the causeway showed itself, black and glistening, for exactly forty-one minutes.

She ran.

Behind her the tide turned, patient as ever, and began to take the road back.`)},
	}
	return book("9f1c2a4e-6b1d-4c7e-9a43-2f7e1c0d5b11", "The Salt Road", "novel", chapters)
}

// Screenplay is a short screenplay with scene headings, action, cues with
// extensions, parentheticals, dialogue, a transition and dual dialogue.
func Screenplay() *export.Book {
	chapters := []export.Chapter{
		{Number: 1, Title: "Act One", Doc: mustFountain(`INT. HARBOUR OFFICE - NIGHT

Rain hammers the glass. MARA QUELL (40s, burned hand, no patience) counts crates by lamplight.

MARA
Eleven. There were twelve this morning.

JONAH (O.S.)
(calling from the stairs)
Then someone can't count.

Jonah enters, shaking water from his coat.

CUT TO:

EXT. CAUSEWAY - DAWN

The tide is out. The causeway glistens, black and wet.

MARA
Forty-one minutes.

JONAH ^
Forty, if you stop to talk.`)},
	}
	return book("3b7e8d21-0c5f-4f7a-8e92-6a1d4c2b9e03", "Low Water", "screenplay", chapters)
}

// Play is a short stage play: character names, speeches and stage directions.
func Play() *export.Book {
	chapters := []export.Chapter{
		{Number: 1, Title: "Act One", Doc: mustFountain(`INT. A KITCHEN - MORNING

A table, two chairs. ELISE stands at the window.

ELISE
He said he would come back at low water.

TOM
(not looking up)
He says a great many things.

ELISE crosses to the door, hesitates, and sits.`)},
	}
	return book("c2d4f6a8-1b3e-4d5f-8a7c-9e0b2d4f6a81", "The Kitchen at Low Water", "play", chapters)
}

func book(id, title, kind string, chapters []export.Chapter) *export.Book {
	b := &export.Book{ID: id, Title: title, Author: "Ada Marsh", Surname: "Marsh", Language: "en", Genre: "Literary",
		Description: "A smuggler sells a map she cannot read, and must steal it back before the tide turns.",
		ContentType: kind, Modified: Modified, Chapters: chapters,
		Contact: export.Contact{Name: "Ada Marsh", Address: []string{"12 Harbour Row", "Port Aster PA1 2BC"}, Email: "ada@example.com", Phone: "+44 20 7946 0000"}}
	for _, c := range chapters {
		b.WordCount += c.Doc.WordCount()
	}
	return b
}

var vocabulary = strings.Fields(`the harbour tide lamp map captain island road fog salt crate coat door window
	night morning rain water ink father island causeway light silence promise letter boat rope gull stone bell
	she he they said walked turned waited watched listened remembered decided ran held kept lost found opened
	slowly quietly again never always almost only still already before after under over across between`)

// Synthetic is a deterministic novel of about words words in chapters chapters,
// with paragraphs, dialogue, italics and a scene break in each chapter, for
// benchmarks.
func Synthetic(words, chapters int) *export.Book {
	rng := rand.New(rand.NewPCG(42, 7))
	per := words / chapters
	list := make([]export.Chapter, chapters)
	for c := range list {
		var md strings.Builder
		n := 0
		for n < per {
			para := 40 + rng.IntN(80)
			if n+para > per {
				para = per - n
			}
			if para <= 0 {
				break
			}
			if rng.IntN(5) == 0 {
				md.WriteString("“")
			}
			for i := 0; i < para; i++ {
				w := vocabulary[rng.IntN(len(vocabulary))]
				if i == 0 {
					w = strings.ToUpper(w[:1]) + w[1:]
				}
				if rng.IntN(40) == 0 {
					w = "*" + w + "*"
				}
				md.WriteString(w)
				if i == para-1 {
					md.WriteString(".")
				} else {
					md.WriteString(" ")
				}
			}
			md.WriteString("\n\n")
			n += para
			if n >= per/2 && n-para < per/2 {
				md.WriteString("***\n\n")
			}
		}
		list[c] = export.Chapter{Number: c + 1, Title: fmt.Sprintf("Chapter %d", c+1), Doc: mustMarkdown(md.String())}
	}
	return book("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "The Long Tide", "novel", list)
}
