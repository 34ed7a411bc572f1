package text

import (
	"bytes"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export/exporttest"
)

func TestMarkdownRoundTrips(t *testing.T) {
	b := exporttest.Novel()
	var out bytes.Buffer
	if err := WriteMarkdown(&out, b); err != nil {
		t.Fatal(err)
	}
	md := out.String()
	for _, want := range []string{"# The Salt Road\n", "## Chapter 2: Café Élise\n", "_something older_", "**island**", "> Whoever holds the map"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	back, err := document.FromMarkdown(md)
	if err != nil {
		t.Fatal(err)
	}
	// The title and chapter headings add words; the text's words all survive.
	if got, want := back.WordCount(), b.WordCount; got < want || got > want+20 {
		t.Errorf("markdown reads back as %d words, want about %d", got, want)
	}
}

func TestPlainText(t *testing.T) {
	var out bytes.Buffer
	if err := WritePlain(&out, exporttest.Novel()); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.HasPrefix(s, "The Salt Road\nby Ada Marsh\n") || strings.Contains(s, "*something") || !strings.Contains(s, "Chapter 3: Low Water") {
		t.Errorf("plain text:\n%s", s)
	}
}
