package xhtml

import (
	"testing"

	"github.com/authorworks/authorworks/internal/document"
)

// FuzzAppendDoc renders whatever documents Markdown and Fountain import
// produces and requires well-formed markup every time.
func FuzzAppendDoc(f *testing.F) {
	for _, seed := range []string{
		"# Title\n\nA *b **c** d* [e](https://x.org/?a&b) `f<g>`\\\nh ~~i~~",
		"1. a\n   - b\n     1. c\n\n   cont\n- d\n\n> q\n> - in quote\n\n***\n\n![alt & <b>](authorworks-file:6f1c2a9e-4b7d-4e0a-9c3f-2d8e5a1b7c40 \"cap\")",
		"- [ ] x\n  > y\n\n    code <z>\n\n<div>raw & html</div>",
		"INT. HOUSE - DAY #1#\n\nMARA\n(beat)\nHi.\n\nWREN ^\nHo.\n\n> CUT TO:\n\n===\n\n~la la\n\n>CENTRE<\n\n# Act\n\n= syn\n\n[[note]]",
		"\x00\xff\r\n\uFFFE\u0085",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, src string, script bool) {
		var d document.Doc
		var err error
		if script {
			d, _, err = document.FromFountain(src)
		} else {
			d, err = document.FromMarkdown(src)
		}
		if err != nil {
			return // over the document limits
		}
		for _, level := range []int{1, 2, 3} {
			wellFormed(t, render(d, level))
		}
	})
}
