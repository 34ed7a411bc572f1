package document

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// chapterJSON builds a Plate document of about words words: paragraphs of
// 40 to 120 words with ids, some italic and bold runs, a link now and then,
// AI provenance on some paragraphs, headings and scene breaks.
func chapterJSON(tb testing.TB, words int) []byte {
	tb.Helper()
	vocab := strings.Fields(`the keeper lamp storm light ledger door stair knock sea grey wind
		she he it was not never always rain glass brass wick harbour board night morning
		don't couldn't well-known three evenly spaced below above turned counted waited`)
	r := rand.New(rand.NewSource(5000))
	var d Doc
	n := 0
	for i := 0; n < words; i++ {
		if i%25 == 0 {
			d = append(d, Block{Type: Heading2, ID: fmt.Sprintf("h%d", i), Children: []Inline{Text(fmt.Sprintf("Part %d", i/25+1))}})
		} else if i%12 == 0 {
			d = append(d, Block{Type: SceneBreak, ID: fmt.Sprintf("s%d", i), Children: []Inline{{}}})
			continue
		}
		b := Block{Type: Paragraph, ID: fmt.Sprintf("p%d", i)}
		length := 40 + r.Intn(80)
		var run []string
		for w := 0; w < length; w++ {
			run = append(run, vocab[r.Intn(len(vocab))])
			if w == length-1 || r.Intn(15) == 0 {
				lf := Leaf{Text: strings.Join(run, " ") + " "}
				switch r.Intn(6) {
				case 0:
					lf.Italic = true
				case 1:
					lf.Bold = true
				}
				if i%7 == 0 {
					lf.AI = testUUID
				}
				if r.Intn(10) == 0 {
					b.Children = append(b.Children, Inline{Link: &Link{ID: "l" + fmt.Sprint(i), URL: "https://example.org/notes/" + fmt.Sprint(i), Children: []Leaf{lf}}})
				} else {
					b.Children = append(b.Children, Inline{Leaf: lf})
				}
				run = run[:0]
			}
		}
		n += length
		d = append(d, b)
	}
	raw, err := json.Marshal(d)
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// BenchmarkSaveChapter measures what saving a chapter costs the server:
// parsing and validating its JSON, then deriving its word count and plain text.
func BenchmarkSaveChapter(b *testing.B) {
	raw := chapterJSON(b, 5000)
	d, err := Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	if w := d.WordCount(); w < 5000 || w > 5200 {
		b.Fatalf("chapter has %d words, want about 5000", w)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := Parse(raw)
		if err != nil {
			b.Fatal(err)
		}
		_ = d.WordCount()
		_ = d.PlainText()
	}
}

func BenchmarkMarkdown(b *testing.B) {
	d, err := Parse(chapterJSON(b, 5000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromMarkdown(d.Markdown()); err != nil {
			b.Fatal(err)
		}
	}
}
