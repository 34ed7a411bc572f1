package document

import (
	"encoding/json"
	"errors"
	"math/rand"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/errs"
)

// wantInvalid checks that err is an Invalid *errs.Error on field whose
// message contains every fragment.
func wantInvalid(t *testing.T, err error, field string, fragments ...string) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want an *errs.Error", err, err)
	}
	if e.Kind != errs.Invalid {
		t.Errorf("kind = %v, want Invalid", e.Kind)
	}
	if e.Field != field {
		t.Errorf("field = %q, want %q (message %q)", e.Field, field, e.Message)
	}
	for _, f := range fragments {
		if !strings.Contains(e.Message, f) {
			t.Errorf("message %q does not mention %q", e.Message, f)
		}
	}
}

func TestParseRejects(t *testing.T) {
	const leaf = `{"text":"x"}`
	many := func(n int, item string) string {
		return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
	}
	tests := []struct {
		name      string
		raw       string
		field     string
		fragments []string
	}{
		{"unknown block type", `[{"type":"marquee","children":[` + leaf + `]}]`,
			"content[0].type", []string{`"marquee" is not a block type`, "allowed types are p, h1"}},
		{"link as a block", `[{"type":"a","url":"https://x.org","children":[` + leaf + `]}]`,
			"content[0].type", []string{"links are inline"}},
		{"missing type", `[{"children":[` + leaf + `]}]`,
			"content[0].type", []string{"is required"}},
		{"unknown attribute", `[{"type":"p","style":"color:red","children":[` + leaf + `]}]`,
			"content[0].style", []string{"is not a block attribute", "align, indent"}},
		{"attribute not allowed on the type", `[{"type":"action","align":"center","children":[` + leaf + `]}]`,
			"content[0].align", []string{"not allowed on action blocks"}},
		{"unknown mark", `[{"type":"p","children":[{"text":"x","color":"red"}]}]`,
			"content[0].children[0].color", []string{"is not a known mark", "bold, italic"}},
		{"mark not true", `[{"type":"p","children":[{"text":"x","bold":false}]}]`,
			"content[0].children[0].bold", []string{"must be true when present, got false"}},
		{"mark of wrong type", `[{"type":"p","children":[{"text":"x","italic":"yes"}]}]`,
			"content[0].children[0].italic", []string{"must be true when present, got a string"}},
		{"mark on a block", `[{"type":"p","bold":true,"children":[` + leaf + `]}]`,
			"content[0].bold", []string{"marks belong on the text leaves"}},
		{"ai not a uuid", `[{"type":"p","children":[{"text":"x","ai":"gpt"}]}]`,
			"content[0].children[0].ai", []string{"must be a UUID"}},
		{"javascript link", `[{"type":"p","children":[{"type":"a","url":"javascript:alert(1)","children":[` + leaf + `]}]}]`,
			"content[0].children[0].url", []string{"javascript: scheme", "http, https or mailto"}},
		{"upper-case javascript link", `[{"type":"p","children":[{"type":"a","url":"JavaScript:alert(1)","children":[` + leaf + `]}]}]`,
			"content[0].children[0].url", []string{"javascript: scheme"}},
		{"data link", `[{"type":"p","children":[{"type":"a","url":"data:text/html;base64,PHNjcmlwdD4=","children":[` + leaf + `]}]}]`,
			"content[0].children[0].url", []string{"data: scheme"}},
		{"vbscript link", `[{"type":"p","children":[{"type":"a","url":"vbscript:msgbox","children":[` + leaf + `]}]}]`,
			"content[0].children[0].url", []string{"vbscript: scheme"}},
		{"relative link", `[{"type":"p","children":[{"type":"a","url":"/chapters/7","children":[` + leaf + `]}]}]`,
			"content[0].children[0].url", []string{`"/chapters/7" is relative`, "absolute"}},
		{"protocol-relative link", `[{"type":"p","children":[{"type":"a","url":"//evil.example","children":[` + leaf + `]}]}]`,
			"content[0].children[0].url", []string{"is relative"}},
		{"link with a space", `[{"type":"p","children":[{"type":"a","url":"https://x.org/a b","children":[` + leaf + `]}]}]`,
			"content[0].children[0].url", []string{"percent-encode"}},
		{"link too long", `[{"type":"p","children":[{"type":"a","url":"https://x.org/` + strings.Repeat("a", MaxURLLen) + `","children":[` + leaf + `]}]}]`,
			"content[0].children[0].url", []string{"at most 2000"}},
		{"link without url", `[{"type":"p","children":[{"type":"a","children":[` + leaf + `]}]}]`,
			"content[0].children[0].url", []string{"is required"}},
		{"img with url instead of file_id", `[{"type":"img","url":"https://x.org/cat.png","children":[{"text":""}]}]`,
			"content[0].url", []string{"not allowed on blocks", "images take a file_id"}},
		{"img without file_id", `[{"type":"img","alt":"cat","children":[{"text":""}]}]`,
			"content[0].file_id", []string{"is required", "UUID"}},
		{"bad file_id", `[{"type":"img","file_id":"../../etc/passwd","children":[{"text":""}]}]`,
			"content[0].file_id", []string{"must be a UUID"}},
		{"img with text", `[{"type":"img","file_id":"` + testUUID + `","children":[{"text":"hi"}]}]`,
			"content[0].children", []string{"exactly one empty text leaf"}},
		{"alt too long", `[{"type":"img","file_id":"` + testUUID + `","alt":"` + strings.Repeat("a", MaxAltLen+1) + `","children":[{"text":""}]}]`,
			"content[0].alt", []string{"at most 500"}},
		{"bad align", `[{"type":"p","align":"middle","children":[` + leaf + `]}]`,
			"content[0].align", []string{`"middle" is not an alignment`, "left, center, right or justify"}},
		{"indent out of range", `[{"type":"p","indent":7,"children":[` + leaf + `]}]`,
			"content[0].indent", []string{"from 0 to 6, got 7"}},
		{"negative indent", `[{"type":"p","indent":-1,"children":[` + leaf + `]}]`,
			"content[0].indent", []string{"from 0 to 6, got -1"}},
		{"fractional indent", `[{"type":"p","indent":1.5,"children":[` + leaf + `]}]`,
			"content[0].indent", []string{"must be an integer, got 1.5"}},
		{"indent as string", `[{"type":"p","indent":"2","children":[` + leaf + `]}]`,
			"content[0].indent", []string{"must be an integer, got a string"}},
		{"bad list style", `[{"type":"p","indent":1,"listStyleType":"square","children":[` + leaf + `]}]`,
			"content[0].listStyleType", []string{"disc or decimal"}},
		{"list style without indent", `[{"type":"p","listStyleType":"disc","children":[` + leaf + `]}]`,
			"content[0].listStyleType", []string{"needs an indent"}},
		{"list start zero", `[{"type":"p","indent":1,"listStyleType":"decimal","listStart":0,"children":[` + leaf + `]}]`,
			"content[0].listStart", []string{"from 1 to"}},
		{"section depth out of range", `[{"type":"section","depth":4,"children":[` + leaf + `]}]`,
			"content[0].depth", []string{"from 1 to 3"}},
		{"bad scene number", `[{"type":"scene_heading","scene_number":"<b>1</b>","children":[` + leaf + `]}]`,
			"content[0].scene_number", []string{"only letters, digits"}},
		{"bad id", `[{"type":"p","id":"a b","children":[` + leaf + `]}]`,
			"content[0].id", []string{"letters, digits"}},
		{"id too long", `[{"type":"p","id":"` + strings.Repeat("a", 65) + `","children":[` + leaf + `]}]`,
			"content[0].id", []string{"1 to 64"}},
		{"link inside a link", `[{"type":"p","children":[{"type":"a","url":"https://x.org","children":[{"type":"a","url":"https://y.org","children":[` + leaf + `]}]}]}]`,
			"content[0].children[0].children[0].type", []string{"a link cannot contain another link"}},
		{"block inside a block", `[{"type":"p","children":[{"type":"p","children":[` + leaf + `]}]}]`,
			"content[0].children[0].type", []string{"blocks cannot be nested"}},
		{"children inside a link's leaf", `[{"type":"p","children":[{"type":"a","url":"https://x.org","children":[{"text":"x","children":[]}]}]}]`,
			"content[0].children[0].children[0].children", []string{"nests elements too deeply"}},
		{"leaf with children", `[{"type":"p","children":[{"text":"x","children":[` + leaf + `]}]}]`,
			"content[0].children[0].children", []string{"not allowed on text leaves"}},
		{"unknown inline type", `[{"type":"p","children":[{"type":"mention","children":[` + leaf + `]}]}]`,
			"content[0].children[0].type", []string{`"mention" is not an inline type`}},
		{"marks on a link", `[{"type":"p","children":[{"type":"a","url":"https://x.org","bold":true,"children":[` + leaf + `]}]}]`,
			"content[0].children[0]", []string{"links take no marks"}},
		{"empty children", `[{"type":"p","children":[]}]`,
			"content[0].children", []string{"must not be empty", `{"text":""}`}},
		{"missing children", `[{"type":"p"}]`,
			"content[0].children", []string{"is required"}},
		{"empty link children", `[{"type":"p","children":[{"type":"a","url":"https://x.org","children":[]}]}]`,
			"content[0].children[0].children", []string{"must not be empty"}},
		{"leaf without text", `[{"type":"p","children":[{"bold":true}]}]`,
			"content[0].children[0].text", []string{"is required"}},
		{"text on a block", `[{"type":"p","text":"x","children":[` + leaf + `]}]`,
			"content[0].text", []string{"holds its text in children"}},
		{"duplicate key", `[{"type":"p","type":"h1","children":[` + leaf + `]}]`,
			"content[0].type", []string{"appears twice"}},
		{"non-array", `{"type":"p"}`, "content", []string{"must be a JSON array", "got an object"}},
		{"string", `"hello"`, "content", []string{"must be a JSON array", "got a string"}},
		{"null", `null`, "content", []string{"not null", "[] is an empty document"}},
		{"empty input", ``, "content", []string{"is empty"}},
		{"block not an object", `["hello"]`, "content[0]", []string{"must be a block object"}},
		{"child not an object", `[{"type":"p","children":["hello"]}]`, "content[0].children[0]", []string{"must be an object"}},
		{"text with NUL", `[{"type":"p","children":[{"text":"a\u0000b"}]}]`,
			"content[0].children[0].text", []string{"control character U+0000"}},
		{"text with escape character", `[{"type":"p","children":[{"text":"a\u001bb"}]}]`,
			"content[0].children[0].text", []string{"control character U+001B"}},
		{"text with carriage return", `[{"type":"p","children":[{"text":"a\rb"}]}]`,
			"content[0].children[0].text", []string{"control character U+000D", "line feeds and tabs"}},
		{"invalid UTF-8", "[{\"type\":\"p\",\"children\":[{\"text\":\"a\xff\xfeb\"}]}]",
			"content[0].children[0].text", []string{"not valid UTF-8"}},
		{"unpaired surrogate", `[{"type":"p","children":[{"text":"a\ud800b"}]}]`,
			"content[0].children[0].text", []string{"unpaired UTF-16 surrogate"}},
		{"syntax error", `[{"type":"p",}]`, "content", []string{"not valid JSON", "byte"}},
		{"trailing data", `[] []`, "content", []string{"unexpected data after the document"}},
		{"too many blocks", many(MaxBlocks+1, `{"type":"p","children":[{"text":""}]}`),
			"content", []string{"more than 20000 blocks"}},
		{"too much text", many(21, `{"type":"p","children":[{"text":"`+strings.Repeat("a", 99_999)+`"}]}`),
			"content", []string{"more than 2000000 bytes of text"}},
		{"block too long", `[{"type":"p","children":[{"text":"` + strings.Repeat("é", MaxBlockChars) + `"},{"text":"x","bold":true}]}]`,
			"content", []string{"content[0] holds 100001 characters", "at most 100000"}},
		{"too many inline nodes", `[{"type":"p","children":` + many(MaxInlines+1, `{"text":""}`) + `}]`,
			"content", []string{"more than 200000 inline nodes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.raw))
			if err == nil {
				t.Fatalf("Parse accepted it: %s", docJSON(t, d))
			}
			wantInvalid(t, err, tt.field, tt.fragments...)
		})
	}
}

// plateDoc is a document as Plate saves it: ids on elements, marks, links with
// the empty leaves Slate keeps around inlines, indent lists, provenance.
const plateDoc = `[
  {"type":"h1","id":"h-1","align":"center","children":[{"text":"Chapter One"}]},
  {"children":[{"text":"It was "},{"text":"not","italic":true},{"text":" the "},{"text":"first","bold":true,"italic":true},
    {"text":" storm, said "},{"text":"","bold":true},
    {"type":"a","id":"lnk-9","url":"https://en.wikipedia.org/wiki/Beaufort_scale","children":[{"text":"the almanac"}]},
    {"text":"."}], "type":"p", "id":"p-1"},
  {"type":"p","id":"p-2","indent":1,"listStyleType":"decimal","children":[{"text":"Close the shutters."}]},
  {"type":"p","id":"p-3","indent":1,"listStyleType":"decimal","listStart":2,"children":[{"text":"Light the lamp."}]},
  {"type":"p","id":"p-4","indent":2,"listStyleType":"disc","children":[{"text":"Check the wick","ai":"5f0c7a2e-1d3b-4c9a-8e7f-0a1b2c3d4e5f"},{"text":" twice","ai":"5f0c7a2e-1d3b-4c9a-8e7f-0a1b2c3d4e5f"}]},
  {"type":"blockquote","id":"q-1","children":[{"text":"Storms are "},{"text":"honest","underline":true,"highlight":true},{"text":"."}]},
  {"type":"scene_break","id":"sb","children":[{"text":""}]},
  {"type":"img","id":"img-1","file_id":"6f1c2a9e-4b7d-4e0a-9c3f-2d8e5a1b7c40","alt":"The lighthouse","caption":"Plate 1","children":[{"text":""}]},
  {"type":"p","children":[{"text":"H"},{"text":"2","subscript":true},{"text":"O and E=mc"},{"text":"2","superscript":true},{"text":" and "},{"text":"x := 1","code":true},{"text":" and "},{"text":"no","strikethrough":true}]},
  {"type":"p","children":[{"text":"mail "},{"text":""},{"type":"a","url":"mailto:keeper@example.org","children":[{"text":"the keeper"}]},{"text":""}]}
]`

func TestParseAcceptsPlateDocument(t *testing.T) {
	d := mustParse(t, plateDoc)
	if len(d) != 10 {
		t.Fatalf("got %d blocks, want 10", len(d))
	}
	h := d[0]
	if h.Type != Heading1 || h.ID != "h-1" || h.Align != AlignCenter {
		t.Errorf("heading = %+v", h)
	}
	para := d[1]
	if para.ID != "p-1" || len(para.Children) != 7 {
		t.Errorf("paragraph: id %q, %d children (the empty bold leaf is dropped), want 7:\n%s", para.ID, len(para.Children), docJSON(t, Doc{para}))
	}
	if lk := para.Children[5].Link; lk == nil || lk.ID != "lnk-9" || lk.URL != "https://en.wikipedia.org/wiki/Beaufort_scale" {
		t.Errorf("link = %+v", para.Children[5])
	}
	item := d[3]
	if item.Indent != 1 || item.ListStyleType != ListDecimal || item.ListStart != 2 {
		t.Errorf("list item = %+v", item)
	}
	ai := d[4].Children
	if len(ai) != 1 || ai[0].Leaf.Text != "Check the wick twice" || ai[0].Leaf.AI != "5f0c7a2e-1d3b-4c9a-8e7f-0a1b2c3d4e5f" {
		t.Errorf("leaves with the same provenance should merge: %+v", ai)
	}
	img := d[7]
	if img.FileID != "6f1c2a9e-4b7d-4e0a-9c3f-2d8e5a1b7c40" || img.Alt != "The lighthouse" || img.Caption != "Plate 1" {
		t.Errorf("image = %+v", img)
	}
	if got := d[9].Children; len(got) != 2 || got[1].Link == nil {
		t.Errorf("the empty leaves around a link should be dropped: %+v", got)
	}
	golden(t, "plate.json", []byte(docJSON(t, d)))
}

func TestCanonicalJSONRoundTrip(t *testing.T) {
	docs := []Doc{mustParse(t, plateDoc), {}}
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 100; i++ {
		docs = append(docs, randProseDoc(r).Normalize(), randScreenplay(r).Normalize())
	}
	for i, d := range docs {
		raw, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(raw)
		if err != nil {
			t.Fatalf("doc %d: Parse(json(d)): %v\n%s", i, err, raw)
		}
		if !sameDoc(back, d) {
			t.Fatalf("doc %d: Parse(json(d)) != d\n%s", i, docDiff(back, d))
		}
		raw2, _ := json.Marshal(back)
		if string(raw2) != string(raw) {
			t.Fatalf("doc %d: marshalling is not canonical:\n%s\n%s", i, raw, raw2)
		}
	}
}

func TestMarshalEmpty(t *testing.T) {
	for _, d := range []Doc{nil, {}} {
		raw, err := json.Marshal(d)
		if err != nil || string(raw) != "[]" {
			t.Errorf("json.Marshal(%#v) = %s, %v; want []", d, raw, err)
		}
	}
	d := mustParse(t, " [ ] ")
	if d == nil || len(d) != 0 {
		t.Errorf("Parse([]) = %#v, want an empty, non-nil document", d)
	}
}

func TestMarshalEscapesMarkup(t *testing.T) {
	d := Doc{p(Text("<script>&\u2028"))}
	raw, _ := json.Marshal(d)
	if want := `[{"type":"p","children":[{"text":"\u003cscript\u003e\u0026\u2028"}]}]`; string(raw) != want {
		t.Errorf("got %s, want %s", raw, want)
	}
}

func TestUnmarshalJSON(t *testing.T) {
	var holder struct {
		Content Doc `json:"content"`
	}
	if err := json.Unmarshal([]byte(`{"content":[{"type":"p","children":[{"text":"a"},{"text":"b"}]}]}`), &holder); err != nil {
		t.Fatal(err)
	}
	if len(holder.Content) != 1 || holder.Content[0].Children[0].Leaf.Text != "ab" {
		t.Errorf("decoded %+v, want one normalised paragraph", holder.Content)
	}
	err := json.Unmarshal([]byte(`{"content":[{"type":"p","children":[{"type":"a","url":"javascript:x","children":[{"text":"a"}]}]}]}`), &holder)
	wantInvalid(t, err, "content[0].children[0].url", "javascript:")

	var b Block
	if err := json.Unmarshal([]byte(`{"type":"character","dual":true,"children":[{"text":"BOB"}]}`), &b); err != nil || !b.Dual {
		t.Errorf("Block.UnmarshalJSON = %+v, %v", b, err)
	}
	wantInvalid(t, json.Unmarshal([]byte(`{"type":"p","children":[{"text":"x","blink":true}]}`), &b), "block.children[0].blink", "not a known mark")

	var in Inline
	if err := json.Unmarshal([]byte(`{"type":"a","url":"https://x.org","children":[{"text":"x"}]}`), &in); err != nil || !in.IsLink() {
		t.Errorf("Inline.UnmarshalJSON = %+v, %v", in, err)
	}
	var lf Leaf
	if err := json.Unmarshal([]byte(`{"text":"x","code":true}`), &lf); err != nil || !lf.Code {
		t.Errorf("Leaf.UnmarshalJSON = %+v, %v", lf, err)
	}
	wantInvalid(t, json.Unmarshal([]byte(`{"text":"x","code":1}`), &lf), "leaf.code", "must be true")
}

func TestValidate(t *testing.T) {
	if err := mustParse(t, plateDoc).Validate(); err != nil {
		t.Errorf("Validate(parsed document) = %v", err)
	}
	tests := []struct {
		name  string
		doc   Doc
		field string
	}{
		{"no type", Doc{{Children: []Inline{Text("")}}}, "content[0].type"},
		{"no children", Doc{{Type: Paragraph}}, "content[0].children"},
		{"unsafe link", Doc{p(Inline{Link: &Link{URL: "javascript:x", Children: []Leaf{{Text: "x"}}}})}, "content[0].children[0].url"},
		{"link without children", Doc{p(Inline{Link: &Link{URL: "https://x.org"}})}, "content[0].children[0].children"},
		{"control character", Doc{p(Text("\x07"))}, "content[0].children[0].text"},
		{"invalid UTF-8", Doc{p(Text("\xff"))}, "content[0].children[0].text"},
		{"bad ai", Doc{p(Inline{Leaf: Leaf{Text: "x", AI: "nope"}})}, "content[0].children[0].ai"},
		{"dual on a paragraph", Doc{{Type: Paragraph, Dual: true, Children: []Inline{Text("")}}}, "content[0].dual"},
		{"void with text", Doc{{Type: PageBreak, Children: []Inline{Text("x")}}}, "content[0].children"},
		{"too many blocks", make(Doc, MaxBlocks+1), "content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantInvalid(t, tt.doc.Validate(), tt.field)
		})
	}
}

func TestNormalize(t *testing.T) {
	bold := func(s string) Inline { return Inline{Leaf: Leaf{Text: s, Bold: true}} }
	ai := func(s string) Inline { return Inline{Leaf: Leaf{Text: s, AI: testUUID}} }
	link := Inline{Link: &Link{URL: "https://x.org", Children: []Leaf{{Text: "a"}, {Text: ""}, {Text: "b"}}}}
	tests := []struct {
		name string
		in   Block
		want Block
	}{
		{"merges same marks", p(bold("a"), bold("b"), Text("c")), p(bold("ab"), Text("c"))},
		{"keeps provenance apart", p(Text("a"), ai("b"), ai("c"), Text("d")), p(Text("a"), ai("bc"), Text("d"))},
		{"drops empty leaves", p(Text(""), bold("a"), Text(""), bold("b")), p(bold("ab"))},
		{"keeps one empty leaf", p(bold(""), Text("")), p(bold(""))},
		{"adds a leaf", Block{Type: Paragraph}, p(Text(""))},
		{"normalises link children", p(Text(""), link, Text("")), p(Inline{Link: &Link{URL: "https://x.org", Children: []Leaf{{Text: "ab"}}}})},
		{"void gets one empty leaf", Block{Type: SceneBreak, Children: []Inline{bold("")}}, Block{Type: SceneBreak, Children: []Inline{{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Doc{tt.in}
			before := docJSON(t, in)
			got := in.Normalize()
			if !sameDoc(got, Doc{tt.want}) {
				t.Errorf("Normalize\n%s", docDiff(got, Doc{tt.want}))
			}
			if after := docJSON(t, in); after != before {
				t.Errorf("Normalize modified its input")
			}
			if again := got.Normalize(); !sameDoc(again, got) {
				t.Errorf("Normalize is not idempotent\n%s", docDiff(again, got))
			}
		})
	}
}
