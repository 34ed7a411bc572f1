package importer

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// syntheticNovel returns a 150,000-word, 40-chapter novel as Markdown and as
// a Word document shaped like Word's own (rsid attributes, a run per change
// of formatting, italic and bold words, centred "#" scene breaks).
func syntheticNovel(tb testing.TB) (md, docx []byte) {
	tb.Helper()
	vocab := strings.Fields("the a lamp keeper storm sea harbour light night rain door stair window wind ship rock cliff tide morning grey slow quiet voice hand heart")
	r := rand.New(rand.NewPCG(7, 7))
	var m, w strings.Builder
	for c := 1; c <= 40; c++ {
		fmt.Fprintf(&m, "# Chapter %d\n\n", c)
		fmt.Fprintf(&w, `<w:p w:rsidR="00AB12CD" w:rsidRDefault="00AB12CD"><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Chapter %d</w:t></w:r></w:p>`, c)
		for n := 0; n < 3750; {
			k := 40 + r.IntN(80)
			words := make([]string, k)
			for i := range words {
				words[i] = vocab[r.IntN(len(vocab))]
			}
			n += k
			fmt.Fprintf(&m, "%s *%s* %s **%s** %s.\n\n", strings.Join(words[:3], " "), words[3], strings.Join(words[4:10], " "), words[10], strings.Join(words[11:], " "))
			fmt.Fprintf(&w, `<w:p w:rsidR="00AB12CD" w:rsidRDefault="00AB12CD" w:rsidP="00AB12CD"><w:pPr><w:spacing w:line="480" w:lineRule="auto"/><w:ind w:firstLine="720"/></w:pPr>`+
				`<w:r w:rsidRPr="00AB12CD"><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:sz w:val="24"/></w:rPr><w:t xml:space="preserve">%s </w:t></w:r>`+
				`<w:r><w:rPr><w:i/><w:sz w:val="24"/></w:rPr><w:t>%s</w:t></w:r>`+
				`<w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t xml:space="preserve"> %s </w:t></w:r>`+
				`<w:r><w:rPr><w:b/><w:sz w:val="24"/></w:rPr><w:t>%s</w:t></w:r>`+
				`<w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t xml:space="preserve"> %s.</w:t></w:r></w:p>`,
				strings.Join(words[:3], " "), words[3], strings.Join(words[4:10], " "), words[10], strings.Join(words[11:], " "))
			if r.IntN(100) < 3 {
				m.WriteString("#\n\n")
				w.WriteString(`<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>#</w:t></w:r></w:p>`)
			}
		}
	}
	return []byte(m.String()), minimalDOCX(tb, wordBody(w.String()))
}

// BenchmarkParse imports a 150,000-word, 40-chapter novel.
//
//	go test -run '^$' -bench Parse -benchmem ./internal/importer/
func BenchmarkParse(b *testing.B) {
	md, docx := syntheticNovel(b)
	for _, bc := range []struct {
		name   string
		src    []byte
		format Format
	}{
		{"docx", docx, DOCX},
		{"markdown", md, Markdown},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				m := mustParse(b, bc.src, bc.format, Options{})
				if len(m.Chapters) != 40 || m.Words() < 150_000 {
					b.Fatalf("%d chapters, %d words", len(m.Chapters), m.Words())
				}
			}
		})
	}
}
