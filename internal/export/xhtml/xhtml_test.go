package xhtml

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
)

func md(t *testing.T, src string) document.Doc {
	t.Helper()
	d, err := document.FromMarkdown(src)
	if err != nil {
		t.Fatalf("FromMarkdown(%q): %v", src, err)
	}
	return d
}

func fountain(t *testing.T, src string) document.Doc {
	t.Helper()
	d, _, err := document.FromFountain(src)
	if err != nil {
		t.Fatalf("FromFountain(%q): %v", src, err)
	}
	return d
}

func render(d document.Doc, level int) string {
	return string(AppendDoc(nil, d, Options{HeadingLevel: level}))
}

// wellFormed fails the test unless s parses as XML inside a root element.
func wellFormed(t *testing.T, s string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader("<root>" + s + "</root>"))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, s)
		}
	}
}

func TestAppendDoc(t *testing.T) {
	tests := []struct {
		name string
		doc  func(t *testing.T) document.Doc
		want string
	}{
		{"marks nest and stay open across leaves",
			func(t *testing.T) document.Doc { return md(t, "a *b **c** d* ~~e~~ `f<g>`") },
			"<p>a <em>b <strong>c</strong> d</em> <s>e</s> <code>f&lt;g&gt;</code></p>\n"},
		{"every mark",
			func(*testing.T) document.Doc {
				return document.Doc{{Type: document.Paragraph, Children: []document.Inline{
					{Leaf: document.Leaf{Text: "x", Underline: true, Superscript: true}},
					{Leaf: document.Leaf{Text: "y", Subscript: true, Highlight: true, AI: "5f0c7a2e-1d3b-4c9a-8e7f-0a1b2c3d4e5f"}},
				}}}
			},
			"<p><u><sup>x</sup></u><mark><sub>y</sub></mark></p>\n"},
		{"links keep their marks inside and close outer ones",
			func(t *testing.T) document.Doc {
				return md(t, `*see [the **map**](https://example.org/?a=1&b=2) now*`)
			},
			`<p><em>see </em><a href="https://example.org/?a=1&amp;b=2"><em>the <strong>map</strong></em></a><em> now</em></p>` + "\n"},
		{"a link without text shows its URL",
			func(*testing.T) document.Doc {
				return document.Doc{{Type: document.Paragraph, Children: []document.Inline{
					document.Text("mail "),
					{Link: &document.Link{URL: "mailto:ada@example.com?subject=Tom&Jerry", Children: []document.Leaf{{}}}},
				}}}
			},
			`<p>mail <a href="mailto:ada@example.com?subject=Tom&amp;Jerry">mailto:ada@example.com?subject=Tom&amp;Jerry</a></p>` + "\n"},
		{"line breaks",
			func(t *testing.T) document.Doc { return md(t, "one\\\ntwo") },
			"<p>one<br/>two</p>\n"},
		{"escaping",
			func(t *testing.T) document.Doc { return md(t, `5 \< 6 & "quotes" \<script\>`) },
			"<p>5 &lt; 6 &amp; &quot;quotes&quot; &lt;script&gt;</p>\n"},
		{"headings shift to the given level, alignment becomes a class",
			func(*testing.T) document.Doc {
				return document.Doc{
					{Type: document.Heading1, Children: []document.Inline{document.Text("Part")}},
					{Type: document.Heading3, Align: document.AlignCenter, Children: []document.Inline{document.Text("Aside")}},
					{Type: document.Paragraph, Align: document.AlignRight, Children: []document.Inline{document.Text("signed")}},
				}
			},
			"<h2>Part</h2>\n<h4 class=\"align-center\">Aside</h4>\n<p class=\"align-right\">signed</p>\n"},
		{"quotes merge, breaks, empty paragraphs dropped",
			func(t *testing.T) document.Doc { return md(t, "> one\n>\n> two\n\n***\n\nafter") },
			"<blockquote>\n<p>one</p>\n<p>two</p>\n</blockquote>\n<hr class=\"scene-break\"/>\n<p>after</p>\n"},
		{"nested lists with numbers and continuations",
			func(t *testing.T) document.Doc {
				d := md(t, "3. three\n4. four\n   - sub\n\n   more of four\n\n5. nine\n\ntext")
				d[4].ListStart = 9 // Plate numbers items itself; Markdown cannot skip
				return d
			},
			"<ol start=\"3\">\n<li>three</li>\n<li>four<ul>\n<li>sub</li>\n</ul>\n<p>more of four</p>\n</li>\n<li value=\"9\">nine</li>\n</ol>\n<p>text</p>\n"},
		{"list kinds switch at one level",
			func(t *testing.T) document.Doc { return md(t, "- a\n- b\n\n1. c") },
			"<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol>\n<li>c</li>\n</ol>\n"},
		{"indented paragraph outside a list",
			func(*testing.T) document.Doc {
				return document.Doc{{Type: document.Paragraph, Indent: 2, Children: []document.Inline{document.Text("aside")}}}
			},
			"<p class=\"indent-2\">aside</p>\n"},
		{"images become their description",
			func(*testing.T) document.Doc {
				return document.Doc{
					{Type: document.Image, FileID: "6f1c2a9e-4b7d-4e0a-9c3f-2d8e5a1b7c40", Alt: "A <grey> door", Caption: "Plate 4", Children: []document.Inline{{}}},
					{Type: document.Image, FileID: "6f1c2a9e-4b7d-4e0a-9c3f-2d8e5a1b7c40", Children: []document.Inline{{}}},
				}
			},
			"<figure class=\"image\"><p class=\"image-alt\">[A &lt;grey&gt; door]</p><figcaption>Plate 4</figcaption></figure>\n"},
		{"screenplay",
			func(t *testing.T) document.Doc {
				return fountain(t, "# Act One\n\n= The knock\n\nINT. HOUSE - DAY #12A#\n\nRain.\n\nMARA\n(quietly)\nWho?\n[[tense]]\n\nWREN ^\nMe.\n\n===\n\n> CUT TO:\n\n>THE END<")
			},
			`<h2 class="scene-heading"><span class="scene-number">12A</span> INT. HOUSE - DAY</h2>
<p class="action">Rain.</p>
<div class="dual-dialogue"><div class="speech"><p class="character">MARA</p>
<p class="parenthetical">(quietly)</p>
<p class="dialogue">Who?</p>
</div>
<div class="speech dual"><p class="character">WREN</p>
<p class="dialogue">Me.</p>
</div>
</div>
<div class="page-break"></div>
<p class="transition">CUT TO:</p>
<p class="centered">THE END</p>
`},
		{"stage play puts scenes under acts",
			func(*testing.T) document.Doc {
				return document.Doc{
					{Type: document.ActHeading, Children: []document.Inline{document.Text("ACT ONE")}},
					{Type: document.SceneHeading, Children: []document.Inline{document.Text("Scene 1")}},
					{Type: document.StageDirection, Children: []document.Inline{document.Text("Night.")}},
				}
			},
			"<h2 class=\"act-heading\">ACT ONE</h2>\n<h3 class=\"scene-heading\">Scene 1</h3>\n<p class=\"stage-direction\">Night.</p>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.doc(t)
			if err := d.Validate(); err != nil {
				t.Fatalf("invalid test document: %v", err)
			}
			got := render(d, 2)
			if got != tt.want {
				t.Errorf("AppendDoc =\n%s\nwant\n%s", got, tt.want)
			}
			wellFormed(t, got)
		})
	}
}

func TestAppendDocDefaultsHeadingLevel(t *testing.T) {
	d := document.Doc{{Type: document.Heading2, Children: []document.Inline{document.Text("x")}}}
	if got, want := render(d, 0), "<h3>x</h3>\n"; got != want {
		t.Errorf("level 0: got %q, want %q", got, want)
	}
	if got, want := render(d, 6), "<h6>x</h6>\n"; got != want {
		t.Errorf("level 6: got %q, want %q", got, want)
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain`, `plain`},
		{`<a href="x">&amp;</a>`, `&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;`},
		{"tab\tand\nline", "tab\tand\nline"},
		{"cr\r\nlf", "cr\nlf"},
		{"nul\x00bell\x07del\x7f", "nul\uFFFDbell\uFFFDdel\uFFFD"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"c1\u0085non\uFFFEchar\uFDD0", "c1\uFFFDnon\uFFFDchar\uFFFD"},
		{"Élise — “quoted” 日本 🙂", "Élise — “quoted” 日本 🙂"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		wellFormed(t, `<p title="`+Escape(tt.in)+`">`+Escape(tt.in)+`</p>`)
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "und", true},
		{"en", "en", true},
		{"en-GB", "en-GB", true},
		{"zh-Hant-TW", "zh-Hant-TW", true},
		{"es-419", "es-419", true},
		{"e", "", false},
		{"en_GB", "", false},
		{"en-", "", false},
		{`en"><script>`, "", false},
		{"12", "", false},
	}
	for _, tt := range tests {
		got, err := Language(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("Language(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestStylesheetEmbeds(t *testing.T) {
	css := Stylesheet()
	if strings.ContainsAny(css, "<&") {
		t.Error("stylesheet holds '<' or '&', which a polyglot <style> element cannot")
	}
	for _, class := range []string{".scene-break", ".chapter-title", "body.script", ".screenplay .dialogue", ".play .character", ".dual-dialogue", "blockquote", ".image-alt", ".page-break"} {
		if !strings.Contains(css, class) {
			t.Errorf("stylesheet has no rule for %s", class)
		}
	}
}

func TestBodyClass(t *testing.T) {
	for in, want := range map[string]string{"novel": "prose", "graphic_novel": "prose", "": "prose", "screenplay": "script screenplay", "play": "script play"} {
		if got := BodyClass(in); got != want {
			t.Errorf("BodyClass(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTitles(t *testing.T) {
	if got := BookTitle(&export.Book{Title: "  "}); got != "Untitled" {
		t.Errorf("BookTitle(blank) = %q, want Untitled", got)
	}
	if got := BookTitle(&export.Book{Title: " Low Water "}); got != "Low Water" {
		t.Errorf("BookTitle = %q, want Low Water", got)
	}
	tests := []struct {
		c    export.Chapter
		i    int
		want string
	}{
		{export.Chapter{Number: 4, Title: " The Salt Road "}, 0, "The Salt Road"},
		{export.Chapter{Number: 4}, 0, "Chapter 4"},
		{export.Chapter{}, 2, "Chapter 3"},
	}
	for _, tt := range tests {
		if got := ChapterTitle(tt.c, tt.i); got != tt.want {
			t.Errorf("ChapterTitle(%+v, %d) = %q, want %q", tt.c, tt.i, got, tt.want)
		}
	}
}
