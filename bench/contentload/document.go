//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
)

// vocabulary is what the chapters are written in: common English words, so the
// text compresses and counts like prose.
var vocabulary = strings.Fields(`the of and to a in that it was he she for on with as his her at by
they from had not but this be were have which one all their there would we an what when your can
said so out them some into him time has more could two then way only its now over little people
first well after very before through back where much must long down still should house light door
eye hand night morning river stone road window voice face street garden letter answer silence
winter summer city field heart mind world water fire wind rain shadow moment word thought story
walked looked turned waited listened remembered opened closed carried followed whispered smiled
laughed watched began stopped knew felt heard saw found left kept held brought told asked slowly
quietly almost again never always perhaps nothing something everything nobody somebody old young
cold warm dark bright quiet small great strange empty heavy soft sharp distant careful sudden`)

// markerText stands where the per-save marker goes until the document is split.
const markerText = "MARKERMARKER"

// document is the chapter text every save sends: a Plate document of paragraphs
// with some bold and italic runs. Its first paragraph starts "Revision <n>.", so
// each save with a new n changes the text (and so records a version) without
// changing its size or word count.
type document struct {
	head, tail []byte // the JSON array, split where the revision number goes
	words      int    // words of text, counted as strings.Fields counts them
	paragraphs int
	marked     int // text leaves with bold or italic
}

type leaf struct {
	Text   string `json:"text"`
	Bold   bool   `json:"bold,omitempty"`
	Italic bool   `json:"italic,omitempty"`
}

type block struct {
	Type     string `json:"type"`
	Children []leaf `json:"children"`
}

// newDocument writes words words (the revision marker's two included) in
// paragraphs paragraphs, the same for every run: the generator's seed is fixed.
func newDocument(words, paragraphs int) (*document, error) {
	if paragraphs < 1 || words < 2*paragraphs+2 {
		return nil, errors.New("-words must be at least twice -paragraphs, plus 2")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	blocks := make([]block, paragraphs)
	left := words - 2 // "Revision <n>." is two
	for i := range blocks {
		n := left / (paragraphs - i)
		left -= n
		var leaves []leaf
		if i == 0 {
			leaves = append(leaves, leaf{Text: "Revision " + markerText + ". "})
		}
		blocks[i] = block{Type: "p", Children: append(leaves, paragraph(rng, n)...)}
	}
	raw, err := json.Marshal(blocks)
	if err != nil {
		return nil, err
	}
	head, tail, ok := bytes.Cut(raw, []byte(markerText))
	if !ok {
		return nil, errors.New("document: marker lost in encoding")
	}
	d := &document{head: head, tail: tail, paragraphs: paragraphs}
	for _, b := range blocks {
		for _, l := range b.Children {
			d.words += len(strings.Fields(l.Text))
			if l.Bold || l.Italic {
				d.marked++
			}
		}
	}
	return d, nil
}

// paragraph writes n words in sentences of 6 to 20 words, about one word in
// twelve bold, italic or both, in runs of one to four words.
func paragraph(rng *rand.Rand, n int) []leaf {
	var (
		out      []leaf
		cur      strings.Builder
		curMarks leaf // the marks of the run in cur
		runLeft  int  // words left in a marked run
		sentence = 6 + rng.IntN(15)
		capital  = true
	)
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, leaf{Text: cur.String(), Bold: curMarks.Bold, Italic: curMarks.Italic})
			cur.Reset()
		}
	}
	for w := range n {
		var marks leaf
		if runLeft == 0 && rng.IntN(12) == 0 {
			runLeft = 1 + rng.IntN(4)
			switch rng.IntN(5) {
			case 0, 1:
				marks.Bold = true
			case 2, 3:
				marks.Italic = true
			default:
				marks.Bold, marks.Italic = true, true
			}
		} else if runLeft > 0 {
			marks = curMarks
		}
		if marks != curMarks {
			flush()
			curMarks = marks
		}
		word := vocabulary[rng.IntN(len(vocabulary))]
		if capital {
			word = strings.ToUpper(word[:1]) + word[1:]
		}
		sentence--
		capital = w == n-1 || sentence == 0
		switch {
		case capital:
			word += "."
			sentence = 6 + rng.IntN(15)
		case rng.IntN(10) == 0:
			word += ","
		}
		cur.WriteString(word)
		if w < n-1 {
			cur.WriteByte(' ')
		}
		if runLeft > 0 {
			runLeft--
			if runLeft == 0 {
				flush()
				curMarks = leaf{}
			}
		}
	}
	flush()
	return out
}

// content returns the document with revision number n.
func (d *document) content(n int) json.RawMessage {
	b := make([]byte, 0, len(d.head)+len(d.tail)+20)
	b = append(b, d.head...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, d.tail...)
}

// saveBody returns the body of PUT /api/chapters/{id} that saves revision n of
// the document over the chapter's version.
func (d *document) saveBody(version, n int) []byte {
	b := make([]byte, 0, len(d.head)+len(d.tail)+64)
	b = append(b, `{"version":`...)
	b = strconv.AppendInt(b, int64(version), 10)
	b = append(b, `,"content":`...)
	b = append(b, d.head...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, d.tail...)
	return append(b, '}')
}
