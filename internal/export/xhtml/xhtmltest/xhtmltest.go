// Package xhtmltest holds the fixtures the EPUB and HTML export tests share
// beyond exporttest's: a book that uses every block type, mark and awkward
// character, and generated cover images.
package xhtmltest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
)

// CoverImage draws a w×h cover (a dusk gradient with a horizon) and encodes
// it as PNG or JPEG.
func CoverImage(tb testing.TB, w, h int, mediaType string) *export.Image {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(20 + 60*y/h), uint8(40 + 80*y/h), uint8(90 + 120*y/h), 255}
			if y > h*2/3 {
				c = color.RGBA{15, 25, uint8(40 + 20*x/w), 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	var err error
	if mediaType == "image/jpeg" {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	} else {
		err = png.Encode(&buf, img)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return &export.Image{Data: buf.Bytes(), MediaType: mediaType, Width: w, Height: h}
}

func mustMarkdown(tb testing.TB, src string) document.Doc {
	tb.Helper()
	d, err := document.FromMarkdown(src)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// KitchenSink is a book with every block type and mark, markup characters in
// all its metadata, a chapter without a title, an empty chapter, a JPEG cover
// and a language other than English.
func KitchenSink(tb testing.TB) *export.Book {
	tb.Helper()
	prose := mustMarkdown(tb, "# Part One\n\n"+
		"It was *not* the **first** storm, said [the *almanac*](https://en.wikipedia.org/wiki/Beaufort_scale?a=1&b=2) & \"the \\<keeper\\>\" — or <mailto:ada@example.com>.\n\n"+
		"Struck ~~out~~, `code <x>`, and a hard\\\nbreak.\n\n"+
		"> Whoever holds the map\n>\n> holds the harbour.\n\n"+
		"- Trim the wick.\n  - Twice.\n\n  Then rest.\n- Wind the clock.\n\n"+
		"3. Three\n4. Four\n\n"+
		"***\n\n## A smaller heading\n\n### The smallest\n\nAfter the heading.\n\nA second paragraph.")
	prose = append(prose,
		document.Block{Type: document.Image, FileID: "6f1c2a9e-4b7d-4e0a-9c3f-2d8e5a1b7c40", Alt: `A grey door marked "<12>" & bolted`, Caption: "Plate 4", Children: []document.Inline{{}}},
		document.Block{Type: document.Image, FileID: "6f1c2a9e-4b7d-4e0a-9c3f-2d8e5a1b7c41", Children: []document.Inline{{}}},
		document.Block{Type: document.Paragraph, Align: document.AlignCenter, Children: []document.Inline{document.Text("Centred.")}},
		document.Block{Type: document.Paragraph, Indent: 2, Children: []document.Inline{document.Text("Indented.")}},
		document.Block{Type: document.Paragraph, Children: []document.Inline{
			{Leaf: document.Leaf{Text: "under", Underline: true}}, document.Text(" E=mc"),
			{Leaf: document.Leaf{Text: "2", Superscript: true}}, document.Text(" H"),
			{Leaf: document.Leaf{Text: "2", Subscript: true}}, document.Text("O "),
			{Leaf: document.Leaf{Text: "marked", Highlight: true, AI: "5f0c7a2e-1d3b-4c9a-8e7f-0a1b2c3d4e5f"}},
		}},
		document.Block{Type: document.Paragraph, Children: []document.Inline{{}}},
	)
	script, _, err := document.FromFountain(`# Act One

= The knock.

INT. LIGHTHOUSE - NIGHT #1#

Rain *hammers* the glass.
A knock.

!SILENCE.

MARA
(to herself)
That's the wind.
[[The knocks should feel polite.]]

WREN (O.S.) ^
It isn't.

~And the sea, the sea

===

> CUT TO:

>THE END<`)
	if err != nil {
		tb.Fatal(err)
	}
	script = append(script,
		document.Block{Type: document.Shot, Children: []document.Inline{document.Text("CLOSE ON the lamp")}},
		document.Block{Type: document.ActHeading, Children: []document.Inline{document.Text("ACT TWO")}},
		document.Block{Type: document.StageDirection, Children: []document.Inline{document.Text("Dawn.")}},
	)
	chapters := []export.Chapter{
		{Number: 1, Title: `Fish & Chips <"Deluxe">`, Doc: prose},
		{Number: 2, Title: "", Doc: script},
		{Number: 3, Title: "  Nothing here  ", Doc: document.Doc{}},
	}
	for _, c := range chapters {
		if err := c.Doc.Validate(); err != nil {
			tb.Fatalf("kitchen sink chapter %d: %v", c.Number, err)
		}
	}
	return &export.Book{
		ID: "0B8C4A1E-2F3D-4C5B-8A9E-7D6C5B4A3F21", Title: `Fish & Chips <"Deluxe"> 'n' Co`, Subtitle: "A <Tale> & More",
		Author: `Ada "A&B" Marsh`, Surname: "Marsh", Language: "fr-CA", Genre: "Crime & <Mystery>",
		Description: `Bold <b>not</b> & "quoted"`, ContentType: "novel", Cover: CoverImage(tb, 400, 600, "image/jpeg"),
		Modified: exporttest.Modified, Chapters: chapters,
	}
}
