package html

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/export/xhtml/xhtmltest"
)

var update = flag.Bool("update-html", false, "rewrite the HTML golden files in testdata")

func fixtures(tb testing.TB) map[string]*export.Book {
	return map[string]*export.Book{
		"novel":        exporttest.Novel(),
		"screenplay":   exporttest.Screenplay(),
		"play":         exporttest.Play(),
		"kitchen-sink": xhtmltest.KitchenSink(tb),
		"synthetic":    exporttest.Synthetic(3000, 4),
	}
}

func write(tb testing.TB, b *export.Book) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, b); err != nil {
		tb.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	books := fixtures(t)
	for _, name := range []string{"novel", "screenplay", "play"} {
		t.Run(name, func(t *testing.T) {
			got := write(t, books[name])
			path := filepath.Join("testdata", name+".html")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update-html to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the output (run go test -update-html after checking):\n%s", path, firstDiff(string(got), string(want)))
			}
		})
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %q\nwant: %q", i+1, gl, wl)
		}
	}
	return "(no line differs)"
}

// page is what the structural tests read from a page: parsed strictly as XML
// (the polyglot form of HTML5), so parsing also proves it well-formed.
type page struct {
	lang, title string
	ids         map[string]bool
	tocLinks    []link
	headings    map[string]string // element id → text
	paragraphs  []string
	meta        map[string]string
}

type link struct{ href, text string }

func parse(t *testing.T, doc []byte) *page {
	t.Helper()
	if !bytes.HasPrefix(doc, []byte("<!DOCTYPE html>\n")) {
		t.Error("page does not start with <!DOCTYPE html>")
	}
	p := &page{ids: map[string]bool{}, headings: map[string]string{}, meta: map[string]string{}}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []xml.StartElement
	var text *string
	textDepth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("page is not well-formed: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e)
			id := attr(e, "id")
			if id != "" {
				if p.ids[id] {
					t.Errorf("id %q is used twice", id)
				}
				p.ids[id] = true
			}
			switch e.Name.Local {
			case "html":
				p.lang = attr(e, "lang")
				if got := attrNS(e, "http://www.w3.org/XML/1998/namespace", "lang"); got != p.lang {
					t.Errorf("xml:lang %q differs from lang %q", got, p.lang)
				}
			case "meta":
				if n := attr(e, "name"); n != "" {
					p.meta[n] = attr(e, "content")
				}
			case "a":
				if inside(stack, "nav") && text == nil {
					p.tocLinks = append(p.tocLinks, link{href: attr(e, "href")})
					text, textDepth = &p.tocLinks[len(p.tocLinks)-1].text, len(stack)
				}
			case "title", "h2", "p":
				if text == nil {
					var s string
					text, textDepth = &s, len(stack)
				}
			}
		case xml.EndElement:
			if text != nil && len(stack) == textDepth {
				switch e.Name.Local {
				case "title":
					p.title = *text
				case "h2":
					p.headings[attr(stack[len(stack)-1], "id")] = *text
				case "p":
					p.paragraphs = append(p.paragraphs, *text)
				}
				text = nil
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if text != nil {
				*text += string(e)
			}
		}
	}
	return p
}

func attr(e xml.StartElement, local string) string { return attrNS(e, "", local) }

func attrNS(e xml.StartElement, space, local string) string {
	for _, a := range e.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func inside(stack []xml.StartElement, local string) bool {
	for _, e := range stack {
		if e.Name.Local == local {
			return true
		}
	}
	return false
}

// TestStructure checks every fixture: well-formed, the book's language and
// title, and a table of contents whose links name every chapter in order and
// point at the section holding that chapter's heading.
func TestStructure(t *testing.T) {
	for name, b := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			p := parse(t, write(t, b))
			if p.lang != b.Language {
				t.Errorf("lang %q, want %q", p.lang, b.Language)
			}
			if p.title != b.Title {
				t.Errorf("title %q, want %q", p.title, b.Title)
			}
			if p.meta["author"] != b.Author || p.meta["description"] != b.Description {
				t.Errorf("meta author %q, description %q; want %q, %q", p.meta["author"], p.meta["description"], b.Author, b.Description)
			}
			if len(p.tocLinks) != len(b.Chapters) {
				t.Fatalf("contents has %d links, want %d", len(p.tocLinks), len(b.Chapters))
			}
			for i, c := range b.Chapters {
				title := strings.TrimSpace(c.Title)
				if title == "" {
					title = fmt.Sprintf("Chapter %d", c.Number)
				}
				id := fmt.Sprintf("chapter-%d", i+1)
				if want := (link{"#" + id, title}); p.tocLinks[i] != want {
					t.Errorf("contents link %d = %+v, want %+v", i, p.tocLinks[i], want)
				}
				if !p.ids[id] {
					t.Errorf("no element has id %q, the anchor of chapter %d", id, i+1)
				}
				if got := p.headings[id+"-title"]; got != title {
					t.Errorf("chapter %d heading %q, want %q", i+1, got, title)
				}
			}
		})
	}
}

func TestEscaping(t *testing.T) {
	b := xhtmltest.KitchenSink(t)
	doc := write(t, b)
	p := parse(t, doc)
	if p.title != b.Title || p.meta["author"] != b.Author || p.meta["description"] != b.Description {
		t.Errorf("title %q, author %q, description %q; want %q, %q, %q", p.title, p.meta["author"], p.meta["description"], b.Title, b.Author, b.Description)
	}
	for _, want := range []string{
		b.Subtitle,
		`It was not the first storm, said the almanac & "the <keeper>" — or mailto:ada@example.com.`,
		`[A grey door marked "<12>" & bolted]`,
	} {
		if !slices.Contains(p.paragraphs, want) {
			t.Errorf("no paragraph reads %q", want)
		}
	}
	for _, raw := range []string{"<keeper>", "<12>", "<b>", "<Tale>", `"Deluxe"`} {
		if bytes.Contains(doc, []byte(raw)) {
			t.Errorf("page holds %s unescaped", raw)
		}
	}
}

func TestCoverEmbedded(t *testing.T) {
	b := exporttest.Novel()
	b.Cover = xhtmltest.CoverImage(t, 60, 90, "image/png")
	doc := write(t, b)
	parse(t, doc)
	if !bytes.Contains(doc, []byte(`<img class="cover" src="data:image/png;base64,`)) ||
		!bytes.Contains(doc, []byte(`alt="Cover of The Salt Road by Ada Marsh" width="60" height="90"/>`)) {
		t.Error("the cover is not embedded as a data: URL with its alt text and size")
	}
}

func TestWriteRejects(t *testing.T) {
	if err := Write(io.Discard, nil); err == nil {
		t.Error("Write(nil) succeeded")
	}
	b := exporttest.Novel()
	b.Language = "en GB"
	if err := Write(io.Discard, b); err == nil || !strings.Contains(err.Error(), "language") {
		t.Errorf("Write with language %q = %v, want a language error", b.Language, err)
	}
}

func TestWriteDefaults(t *testing.T) {
	b := &export.Book{Chapters: []export.Chapter{{Number: 1}}}
	p := parse(t, write(t, b))
	if p.lang != "und" || p.title != "Untitled" {
		t.Errorf("lang %q, title %q; want und, Untitled", p.lang, p.title)
	}
	if len(p.tocLinks) != 1 || p.tocLinks[0].text != "Chapter 1" {
		t.Errorf("contents %+v, want Chapter 1", p.tocLinks)
	}
	empty := parse(t, write(t, &export.Book{Title: "Nothing yet"}))
	if len(empty.tocLinks) != 0 {
		t.Errorf("a book without chapters has contents %+v", empty.tocLinks)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWritePassesOnWriteErrors(t *testing.T) {
	if err := Write(failWriter{}, exporttest.Novel()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Write = %v, want the writer's error", err)
	}
}
