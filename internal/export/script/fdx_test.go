package script

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/testenv"
)

// fdxFile is what a reader sees of an FDX file.
type fdxFile struct {
	XMLName      xml.Name `xml:"FinalDraft"`
	DocumentType string   `xml:"DocumentType,attr"`
	Template     string   `xml:"Template,attr"`
	Version      string   `xml:"Version,attr"`
	Content      struct {
		Paragraphs []fdxReadParagraph `xml:"Paragraph"`
	} `xml:"Content"`
	TitlePage struct {
		Content struct {
			Paragraphs []fdxReadParagraph `xml:"Paragraph"`
		} `xml:"Content"`
	} `xml:"TitlePage"`
}

type fdxReadParagraph struct {
	Type          string `xml:"Type,attr"`
	Number        string `xml:"Number,attr"`
	Alignment     string `xml:"Alignment,attr"`
	StartsNewPage string `xml:"StartsNewPage,attr"`
	Texts         []struct {
		Style string `xml:"Style,attr"`
		Value string `xml:",chardata"`
	} `xml:"Text"`
	Dual *struct {
		Paragraphs []fdxReadParagraph `xml:"Paragraph"`
	} `xml:"DualDialogue"`
}

func (p fdxReadParagraph) text() string {
	var b strings.Builder
	for _, t := range p.Texts {
		b.WriteString(t.Value)
	}
	return b.String()
}

func decodeFDX(t *testing.T, data []byte) fdxFile {
	t.Helper()
	var f fdxFile
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("FDX is not well-formed: %v", err)
	}
	// Nothing may follow the root element but white space.
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); !ok || len(bytes.TrimSpace(cd)) > 0 {
			t.Fatalf("FDX has %T after the root element", tok)
		}
	}
	return f
}

func countFDX(ps []fdxReadParagraph, c *elementCounts) {
	for _, p := range ps {
		if p.Dual != nil {
			c.Dual++
			countFDX(p.Dual.Paragraphs, c)
			continue
		}
		switch p.Type {
		case "Scene Heading":
			c.SceneHeadings++
		case "Character":
			c.Characters++
		case "Dialogue":
			c.Dialogues++
		case "Parenthetical":
			c.Parentheticals++
		case "Transition":
			c.Transitions++
		case "Action":
			if p.Alignment == "Center" {
				c.Centered++
			}
		}
	}
}

// TestFDX checks that the FDX is well-formed, has Final Draft's root and
// holds the elements of the document.
func TestFDX(t *testing.T) {
	for _, tc := range books {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.book()
			var buf bytes.Buffer
			if err := WriteFDX(&buf, b); err != nil {
				t.Fatal(err)
			}
			f := decodeFDX(t, buf.Bytes())
			if f.DocumentType != "Script" || f.Template != "No" || f.Version != "5" {
				t.Errorf("root attributes DocumentType=%q Template=%q Version=%q, want Script, No, 5", f.DocumentType, f.Template, f.Version)
			}
			var got elementCounts
			countFDX(f.Content.Paragraphs, &got)
			if want := countElements(scriptDoc(b, document.Section), false); got != want {
				t.Errorf("FDX holds %+v, want %+v", got, want)
			}
			var title []string
			for _, p := range f.TitlePage.Content.Paragraphs {
				if s := p.text(); s != "" {
					title = append(title, s)
				}
			}
			credit := "Written by"
			if b.ContentType == "play" {
				credit = "by"
			}
			if len(title) < 3 || title[0] != b.Title || title[1] != credit || title[2] != b.Author {
				t.Errorf("title page reads %q, want the title, %q and the author first", title, credit)
			}
		})
	}
}

// TestFDXEscapingAndStyles writes text that XML must escape, marks, a line
// break, a scene number and a page break, and reads them back.
func TestFDXEscapingAndStyles(t *testing.T) {
	hostile := `Tom & Jerry <3 "quotes" 'single' ]]> <!-- --> &amp;`
	b := exporttest.Screenplay()
	b.Title = hostile
	b.Chapters[0].Doc = document.Doc{
		{Type: document.SceneHeading, SceneNumber: "12A", Children: []document.Inline{document.Text("INT. <LAB> - NIGHT")}},
		{Type: document.Action, Children: []document.Inline{
			document.Text(hostile + "\nNext line "),
			{Leaf: document.Leaf{Text: "bold italic", Bold: true, Italic: true}},
			document.Text(" and "),
			{Leaf: document.Leaf{Text: "underlined", Underline: true}},
		}},
		{Type: document.PageBreak, Children: []document.Inline{document.Text("")}},
		{Type: document.Centered, Children: []document.Inline{document.Text("THE END")}},
	}
	var buf bytes.Buffer
	if err := WriteFDX(&buf, b); err != nil {
		t.Fatal(err)
	}
	f := decodeFDX(t, buf.Bytes())
	ps := f.Content.Paragraphs
	if len(ps) != 3 {
		t.Fatalf("got %d paragraphs, want 3", len(ps))
	}
	if ps[0].Number != "12A" || ps[0].text() != "INT. <LAB> - NIGHT" {
		t.Errorf("scene heading %q number %q, want %q number 12A", ps[0].text(), ps[0].Number, "INT. <LAB> - NIGHT")
	}
	type run struct{ style, text string }
	var got []run
	for _, r := range ps[1].Texts {
		got = append(got, run{r.Style, r.Value})
	}
	want := []run{{"", hostile + "\nNext line "}, {"Bold+Italic", "bold italic"}, {"", " and "}, {"Underline", "underlined"}}
	if len(got) != len(want) {
		t.Fatalf("action runs %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("action run %d is %q, want %q", i, got[i], want[i])
		}
	}
	if ps[2].StartsNewPage != "Yes" || ps[2].Alignment != "Center" || ps[2].text() != "THE END" {
		t.Errorf("after the page break: %+v, want centred THE END starting a new page", ps[2])
	}
	if title := f.TitlePage.Content.Paragraphs; !strings.Contains(buf.String(), "Tom &amp; Jerry &lt;3") || len(title) == 0 {
		t.Errorf("title not escaped in\n%s", buf.String())
	}
	xmllint(t, buf.Bytes())
}

// TestFDXXmllint checks the FDX files with libxml2's parser too.
func TestFDXXmllint(t *testing.T) {
	for _, tc := range books {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteFDX(&buf, tc.book()); err != nil {
				t.Fatal(err)
			}
			xmllint(t, buf.Bytes())
		})
	}
}

func xmllint(t *testing.T, data []byte) {
	t.Helper()
	bin := testenv.Tool(t, "xmllint")
	path := filepath.Join(t.TempDir(), "script.fdx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "--noout", path).CombinedOutput(); err != nil {
		t.Errorf("xmllint --noout: %v\n%s", err, out)
	}
}
