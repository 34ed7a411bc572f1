package epub

import (
	"bytes"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/export/xhtml/xhtmltest"
)

var update = flag.Bool("update-epub", false, "rewrite the EPUB golden files in testdata")

// fixtures are the books every structural test runs on.
func fixtures(tb testing.TB) map[string]*export.Book {
	return map[string]*export.Book{
		"novel":        novelWithCover(tb),
		"screenplay":   exporttest.Screenplay(),
		"play":         exporttest.Play(),
		"kitchen-sink": xhtmltest.KitchenSink(tb),
		"synthetic":    exporttest.Synthetic(3000, 4),
	}
}

// dump is a readable, toolchain-independent form of an EPUB for golden files:
// each entry's name, compression and text (binary entries by hash, the cover
// by name), rather than deflate bytes a new Go release may change.
func dump(tb testing.TB, data []byte, b *export.Book) string {
	tb.Helper()
	entries, files := unzip(tb, data)
	var s strings.Builder
	for _, f := range entries {
		method := "deflate"
		if f.Method == 0 {
			method = "store"
		}
		fmt.Fprintf(&s, "=== %s (%s)\n", f.Name, method)
		body := files[f.Name]
		switch {
		case b.Cover != nil && bytes.Equal(body, b.Cover.Data):
			s.WriteString("[Book.Cover.Data]\n")
		case strings.HasSuffix(f.Name, ".png"), strings.HasSuffix(f.Name, ".jpg"), strings.HasSuffix(f.Name, ".gif"):
			fmt.Fprintf(&s, "[binary, sha256 %x]\n", sha256.Sum256(body))
		default:
			s.Write(body)
			if !bytes.HasSuffix(body, []byte("\n")) {
				s.WriteString("\n[no newline at end]\n")
			}
		}
	}
	return s.String()
}

func TestGolden(t *testing.T) {
	books := fixtures(t)
	for _, name := range []string{"novel", "screenplay", "play", "kitchen-sink"} {
		t.Run(name, func(t *testing.T) {
			got := dump(t, write(t, books[name]), books[name])
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update-epub to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the output (run go test -update-epub after checking):\n%s", path, firstDiff(got, string(want)))
			}
		})
	}
}

// firstDiff describes the first line where got and want differ.
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

func TestDeterministic(t *testing.T) {
	for name, b := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			if !bytes.Equal(write(t, b), write(t, b)) {
				t.Error("two writes of the same book differ")
			}
		})
	}
}

// TestContainer checks the OCF rules on the zip: the mimetype entry first,
// stored, without an extra field (read from the local header itself), and
// every entry dated Book.Modified.
func TestContainer(t *testing.T) {
	for name, b := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			data := write(t, b)
			const local = "PK\x03\x04"
			if len(data) < 58 || string(data[:4]) != local {
				t.Fatal("the file does not start with a zip local header")
			}
			method := int(data[8]) | int(data[9])<<8
			nameLen := int(data[26]) | int(data[27])<<8
			extraLen := int(data[28]) | int(data[29])<<8
			flags := int(data[6]) | int(data[7])<<8
			if got := string(data[30 : 30+nameLen]); got != "mimetype" {
				t.Fatalf("first entry is %q, want mimetype", got)
			}
			if method != 0 || extraLen != 0 || flags&0x8 != 0 {
				t.Errorf("mimetype: method %d, extra field %d bytes, flags %#x; want stored, no extra field, no data descriptor", method, extraLen, flags)
			}
			if got := string(data[30+nameLen : 30+nameLen+20]); got != MediaType {
				t.Errorf("mimetype content %q, want %q", got, MediaType)
			}
			entries, files := unzip(t, data)
			for _, f := range entries {
				if f.Name == "mimetype" {
					if len(f.Extra) != 0 {
						t.Errorf("mimetype has a %d-byte extra field in the central directory", len(f.Extra))
					}
					continue
				}
				if !f.Modified.Equal(b.Modified) {
					t.Errorf("%s dated %v, want %v", f.Name, f.Modified, b.Modified)
				}
			}
			var c struct {
				Rootfiles []struct {
					FullPath  string `xml:"full-path,attr"`
					MediaType string `xml:"media-type,attr"`
				} `xml:"rootfiles>rootfile"`
			}
			if err := xml.Unmarshal(files["META-INF/container.xml"], &c); err != nil {
				t.Fatalf("container.xml: %v", err)
			}
			if len(c.Rootfiles) != 1 || c.Rootfiles[0].FullPath != "EPUB/package.opf" || c.Rootfiles[0].MediaType != "application/oebps-package+xml" {
				t.Errorf("container.xml rootfiles = %+v", c.Rootfiles)
			}
		})
	}
}

// opf is the part of the package document the tests read.
type opf struct {
	Version  string `xml:"version,attr"`
	UniqueID string `xml:"unique-identifier,attr"`
	Metadata struct {
		Identifiers []struct {
			ID    string `xml:"id,attr"`
			Value string `xml:",chardata"`
		} `xml:"http://purl.org/dc/elements/1.1/ identifier"`
		Titles       []string `xml:"http://purl.org/dc/elements/1.1/ title"`
		Creators     []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
		Languages    []string `xml:"http://purl.org/dc/elements/1.1/ language"`
		Descriptions []string `xml:"http://purl.org/dc/elements/1.1/ description"`
		Subjects     []string `xml:"http://purl.org/dc/elements/1.1/ subject"`
		Metas        []struct {
			Property string `xml:"property,attr"`
			Refines  string `xml:"refines,attr"`
			Value    string `xml:",chardata"`
		} `xml:"meta"`
	} `xml:"metadata"`
	Manifest []struct {
		ID         string `xml:"id,attr"`
		Href       string `xml:"href,attr"`
		MediaType  string `xml:"media-type,attr"`
		Properties string `xml:"properties,attr"`
	} `xml:"manifest>item"`
	Spine []struct {
		IDRef string `xml:"idref,attr"`
	} `xml:"spine>itemref"`
}

// metas returns the values of the package metadata meta elements with a
// property (and no refines).
func (p *opf) metas(property string) []string {
	var v []string
	for _, m := range p.Metadata.Metas {
		if m.Property == property && m.Refines == "" {
			v = append(v, m.Value)
		}
	}
	return v
}

func readOPF(t *testing.T, files map[string][]byte) *opf {
	t.Helper()
	var p opf
	if err := xml.Unmarshal(files["EPUB/package.opf"], &p); err != nil {
		t.Fatalf("package.opf: %v", err)
	}
	return &p
}

func TestPackageMetadata(t *testing.T) {
	for name, b := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			_, files := unzip(t, write(t, b))
			p := readOPF(t, files)
			md := p.Metadata
			if p.Version != "3.0" {
				t.Errorf("version %q, want 3.0", p.Version)
			}
			if len(md.Identifiers) != 1 || md.Identifiers[0].ID != p.UniqueID || md.Identifiers[0].Value != "urn:uuid:"+strings.ToLower(b.ID) {
				t.Errorf("identifiers %+v with unique-identifier %q, want one urn:uuid:%s", md.Identifiers, p.UniqueID, strings.ToLower(b.ID))
			}
			mod := p.metas("dcterms:modified")
			if want := b.Modified.UTC().Format(time.RFC3339); len(mod) != 1 || mod[0] != want {
				t.Errorf("dcterms:modified %q, want exactly one %q", mod, want)
			}
			if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`).MatchString(mod[0]) {
				t.Errorf("dcterms:modified %q is not CCYY-MM-DDThh:mm:ssZ", mod[0])
			}
			check := func(what string, got []string, want string) {
				t.Helper()
				if len(got) == 0 || got[0] != want {
					t.Errorf("%s = %q, want %q first", what, got, want)
				}
			}
			check("dc:title", md.Titles, b.Title)
			check("dc:creator", md.Creators, b.Author)
			check("dc:language", md.Languages, b.Language)
			check("dc:description", md.Descriptions, b.Description)
			check("dc:subject", md.Subjects, b.Genre)

			modes := []string{"textual"}
			features := []string{"structuralNavigation", "tableOfContents", "readingOrder"}
			if b.Cover != nil {
				modes = append(modes, "visual")
				features = append(features, "alternativeText")
			}
			for property, want := range map[string][]string{
				"schema:accessMode":           modes,
				"schema:accessModeSufficient": {"textual"},
				"schema:accessibilityFeature": features,
				"schema:accessibilityHazard":  {"none"},
				"dcterms:conformsTo":          {"EPUB Accessibility 1.1 - WCAG 2.1 Level AA"},
			} {
				if got := p.metas(property); !slices.Equal(got, want) {
					t.Errorf("%s = %q, want %q", property, got, want)
				}
			}
			if got := p.metas("schema:accessibilitySummary"); len(got) != 1 || got[0] == "" {
				t.Errorf("schema:accessibilitySummary = %q, want one", got)
			}
		})
	}
}

// TestManifestAndSpine checks that the manifest lists exactly the files of the
// publication, with the nav and cover properties, and that the spine reads
// cover, title page, contents, then the chapters in order.
func TestManifestAndSpine(t *testing.T) {
	for name, b := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			entries, _ := unzip(t, write(t, b))
			_, files := unzip(t, write(t, b))
			p := readOPF(t, files)
			inZip := map[string]bool{}
			for _, f := range entries {
				if rest, ok := strings.CutPrefix(f.Name, "EPUB/"); ok && rest != "package.opf" {
					inZip[rest] = true
				}
			}
			ids := map[string]string{}
			props := map[string]string{}
			for _, it := range p.Manifest {
				if !inZip[it.Href] {
					t.Errorf("manifest item %s is not in the zip", it.Href)
				}
				delete(inZip, it.Href)
				ids[it.ID] = it.Href
				if it.Properties != "" {
					props[it.Properties] = it.Href
				}
			}
			for f := range inZip {
				t.Errorf("%s is in the zip but not the manifest", f)
			}
			if props["nav"] != "nav.xhtml" {
				t.Errorf("nav property on %q, want nav.xhtml", props["nav"])
			}
			var want []string
			if b.Cover != nil {
				if _, ok := props["cover-image"]; !ok {
					t.Error("no manifest item has the cover-image property")
				}
				want = append(want, "cover.xhtml")
			}
			want = append(want, "title.xhtml", "nav.xhtml")
			for i := range b.Chapters {
				want = append(want, fmt.Sprintf("chapter-%03d.xhtml", i+1))
			}
			var got []string
			for _, it := range p.Spine {
				got = append(got, ids[it.IDRef])
			}
			if !slices.Equal(got, want) {
				t.Errorf("spine %q, want %q", got, want)
			}
		})
	}
}

// link is an <a> of a navigation list.
type link struct{ href, text string }

// navLinks returns the links inside the <nav> whose epub:type is kind.
func navLinks(t *testing.T, doc []byte, kind string) []link {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var links []link
	depth, inNav, inA := 0, 0, false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return links
		}
		if err != nil {
			t.Fatalf("nav.xhtml: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			if e.Name.Local == "nav" && attr(e, "http://www.idpf.org/2007/ops", "type") == kind {
				inNav = depth
			}
			if inNav > 0 && e.Name.Local == "a" {
				inA = true
				links = append(links, link{href: attr(e, "", "href")})
			}
		case xml.EndElement:
			if depth == inNav {
				inNav = 0
			}
			depth--
			inA = inA && e.Name.Local != "a"
		case xml.CharData:
			if inA {
				links[len(links)-1].text += string(e)
			}
		}
	}
}

func attr(e xml.StartElement, space, local string) string {
	for _, a := range e.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// texts returns the text of every element named local in an XHTML document,
// failing the test if the document is not well-formed.
func texts(t *testing.T, name string, doc []byte, local string) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var out []string
	in := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local == local {
				if in == 0 {
					out = append(out, "")
				}
				in++
			}
		case xml.EndElement:
			if e.Name.Local == local {
				in--
			}
		case xml.CharData:
			if in > 0 {
				out[len(out)-1] += string(e)
			}
		}
	}
}

func TestNavigation(t *testing.T) {
	for name, b := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			_, files := unzip(t, write(t, b))
			toc := navLinks(t, files["EPUB/nav.xhtml"], "toc")
			if len(toc) != len(b.Chapters) {
				t.Fatalf("toc has %d links, want %d (one per chapter)", len(toc), len(b.Chapters))
			}
			for i, c := range b.Chapters {
				title := strings.TrimSpace(c.Title)
				if title == "" {
					title = fmt.Sprintf("Chapter %d", c.Number)
				}
				want := link{fmt.Sprintf("chapter-%03d.xhtml", i+1), title}
				if toc[i] != want {
					t.Errorf("toc[%d] = %+v, want %+v", i, toc[i], want)
				}
				doc := files["EPUB/"+want.href]
				if h := texts(t, want.href, doc, "h1"); len(h) != 1 || h[0] != title {
					t.Errorf("%s headings h1 %q, want [%q]", want.href, h, title)
				}
				if tt := texts(t, want.href, doc, "title"); len(tt) != 1 || tt[0] != title {
					t.Errorf("%s <title> %q, want %q", want.href, tt, title)
				}
			}
			var kinds []string
			for _, l := range navLinks(t, files["EPUB/nav.xhtml"], "landmarks") {
				kinds = append(kinds, l.href)
			}
			want := []string{"title.xhtml", "nav.xhtml#toc", "chapter-001.xhtml"}
			if b.Cover != nil {
				want = append([]string{"cover.xhtml"}, want...)
			}
			if !slices.Equal(kinds, want) {
				t.Errorf("landmarks %q, want %q", kinds, want)
			}
			var ncx struct {
				Points []struct {
					Label   string `xml:"navLabel>text"`
					Content struct {
						Src string `xml:"src,attr"`
					} `xml:"content"`
				} `xml:"navMap>navPoint"`
			}
			if err := xml.Unmarshal(files["EPUB/toc.ncx"], &ncx); err != nil {
				t.Fatalf("toc.ncx: %v", err)
			}
			for i, pt := range ncx.Points {
				if i >= len(toc) || pt.Label != toc[i].text || pt.Content.Src != toc[i].href {
					t.Errorf("ncx navPoint %d = %+v, want the nav's %+v", i, pt, toc[min(i, len(toc)-1)])
				}
			}
			for fname, body := range files {
				if strings.HasSuffix(fname, ".xhtml") || strings.HasSuffix(fname, ".opf") || strings.HasSuffix(fname, ".ncx") {
					texts(t, fname, body, "html") // well-formed
				}
			}
		})
	}
}

// TestEscaping checks that markup characters in metadata, titles and text
// come back as the same text from an XML parser and never as markup.
func TestEscaping(t *testing.T) {
	b := xhtmltest.KitchenSink(t)
	_, files := unzip(t, write(t, b))
	p := readOPF(t, files)
	if got := p.Metadata.Titles; len(got) != 2 || got[0] != b.Title || got[1] != b.Subtitle {
		t.Errorf("dc:title = %q, want %q, %q", got, b.Title, b.Subtitle)
	}
	if got := p.Metadata.Creators; len(got) != 1 || got[0] != b.Author {
		t.Errorf("dc:creator = %q, want %q", got, b.Author)
	}
	title := files["EPUB/title.xhtml"]
	if got := texts(t, "title.xhtml", title, "h1"); len(got) != 1 || got[0] != b.Title {
		t.Errorf("title page h1 = %q, want %q", got, b.Title)
	}
	ch := files["EPUB/chapter-001.xhtml"]
	paras := texts(t, "chapter-001.xhtml", ch, "p")
	if want := `It was not the first storm, said the almanac & "the <keeper>" — or mailto:ada@example.com.`; !slices.Contains(paras, want) {
		t.Errorf("chapter 1 paragraphs %q\nlack %q", paras, want)
	}
	if want := `[A grey door marked "<12>" & bolted]`; !slices.Contains(paras, want) {
		t.Errorf("chapter 1 paragraphs lack the image description %q", want)
	}
	for _, raw := range []string{"<keeper>", "<12>", `<b>`, "<Tale>", "<Mystery>", `"Deluxe"`} {
		for name, body := range files {
			if bytes.Contains(body, []byte(raw)) {
				t.Errorf("%s holds %s unescaped", name, raw)
			}
		}
	}
	if !bytes.Contains(ch, []byte(`href="https://en.wikipedia.org/wiki/Beaufort_scale?a=1&amp;b=2"`)) {
		t.Error("chapter 1 lacks the link with its & escaped")
	}
}

func TestWriteRejects(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(b *export.Book)
		match string
	}{
		{"no id", func(b *export.Book) { b.ID = "" }, "not a UUID"},
		{"id not a uuid", func(b *export.Book) { b.ID = "story-12" }, "not a UUID"},
		{"no modification time", func(b *export.Book) { b.Modified = time.Time{} }, "modification time"},
		{"no chapters", func(b *export.Book) { b.Chapters = nil }, "no chapters"},
		{"bad language", func(b *export.Book) { b.Language = "english please" }, "language"},
		{"cover type", func(b *export.Book) { b.Cover = &export.Image{Data: []byte("x"), MediaType: "image/webp"} }, "image/webp"},
		{"empty cover", func(b *export.Book) { b.Cover = &export.Image{MediaType: "image/png"} }, "no data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := exporttest.Novel()
			tt.edit(b)
			var buf bytes.Buffer
			err := Write(&buf, b)
			if err == nil || !strings.Contains(err.Error(), tt.match) {
				t.Fatalf("Write = %v, want an error about %q", err, tt.match)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing on the book", buf.Len())
			}
		})
	}
	if err := Write(io.Discard, nil); err == nil {
		t.Error("Write(nil book) succeeded")
	}
}

func TestWriteDefaults(t *testing.T) {
	b := exporttest.Play()
	b.Title, b.Author, b.Language, b.Description, b.Genre = " ", "", "", "", ""
	b.Chapters[0].Title = ""
	b.Modified = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	_, files := unzip(t, write(t, b))
	p := readOPF(t, files)
	if got := p.Metadata.Titles; len(got) != 1 || got[0] != "Untitled" {
		t.Errorf("dc:title = %q, want Untitled", got)
	}
	if got := p.Metadata.Languages; len(got) != 1 || got[0] != "und" {
		t.Errorf("dc:language = %q, want und", got)
	}
	if n := len(p.Metadata.Creators) + len(p.Metadata.Descriptions) + len(p.Metadata.Subjects); n != 0 {
		t.Errorf("empty creator, description and subject wrote %d elements", n)
	}
	if got := p.metas("dcterms:modified"); len(got) != 1 || got[0] != "1970-01-01T00:00:00Z" {
		t.Errorf("dcterms:modified = %q", got)
	}
	if toc := navLinks(t, files["EPUB/nav.xhtml"], "toc"); len(toc) != 1 || toc[0].text != "Chapter 1" {
		t.Errorf("toc = %+v, want Chapter 1", toc)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWritePassesOnWriteErrors(t *testing.T) {
	err := Write(&failWriter{n: 1000}, exporttest.Synthetic(3000, 3))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Write = %v, want the writer's error", err)
	}
}
