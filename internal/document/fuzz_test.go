package document

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/authorworks/authorworks/internal/errs"
)

// checkInvalid fails unless err is an Invalid *errs.Error naming a field.
func checkInvalid(t *testing.T, err error) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Field == "" || e.Message == "" {
		t.Fatalf("error %v (%T) is not an Invalid *errs.Error with a field", err, err)
	}
}

// checkDoc runs the derived views of a valid document and checks that its JSON
// parses back to it.
func checkDoc(t *testing.T, d Doc) {
	t.Helper()
	if err := d.Validate(); err != nil {
		t.Fatalf("Validate: %v\n%s", err, docJSON(t, d))
	}
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse(json(d)): %v\n%s", err, raw)
	}
	if !sameDoc(back, d) {
		t.Fatalf("Parse(json(d)) != d\n%s", docDiff(back, d))
	}
	_ = d.PlainText()
	_ = d.WordCount()
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		plateDoc, `[]`, `null`, `{}`, `[{"type":"p","children":[{"text":""}]}]`,
		`[{"type":"p","children":[{"type":"a","url":"javascript:x","children":[{"text":"x"}]}]}]`,
		`[{"type":"img","file_id":"` + testUUID + `","children":[{"text":""}]}]`,
		`[{"type":"character","dual":true,"children":[{"text":"BOB"}]},{"type":"section","depth":2,"children":[{"text":"\u00e9\ud83d\ude00"}]}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := Parse(raw)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		checkDoc(t, d)
		md := d.Markdown()
		back, err := FromMarkdown(md)
		if err != nil {
			t.Fatalf("FromMarkdown(Markdown()): %v", err)
		}
		if want := mdCarried(d); !sameDoc(back, want) {
			t.Fatalf("Markdown round trip differs\nmarkdown:\n%q\n%s", md, docDiff(back, want))
		}
		ft := d.Fountain(nil)
		back, tp, err := FromFountain(ft)
		if err != nil {
			t.Fatalf("FromFountain(Fountain()): %v", err)
		}
		if want := ftCarried(d); !sameDoc(back, want) || tp != nil {
			t.Fatalf("Fountain round trip differs (title page %q)\nfountain:\n%q\n%s", tp, ft, docDiff(back, want))
		}
	})
}

func FuzzFromMarkdown(f *testing.F) {
	for _, s := range []string{
		"# Title\n\nSome *text* with **bold** and `code`.\n\n- a\n  - b\n1. c\n\n> quote\n\n---\n\n[link](https://x.org) ![img](authorworks-file:" + testUUID + ")",
		"<script>alert(1)</script>", "\\*not\\* &amp; &#0; &#x110000;", "-\n  1. x", "[`]:`](https://x.org)",
		"a\\\\\nb", "***a*b**", "1) a\n2) b\n\n3. c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d, err := FromMarkdown(src)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		checkDoc(t, d)
		md := d.Markdown()
		back, err := FromMarkdown(md)
		if err != nil {
			t.Fatalf("FromMarkdown(Markdown()): %v", err)
		}
		if want := mdCarried(d); !sameDoc(back, want) {
			t.Fatalf("Markdown round trip differs\nmarkdown:\n%q\n%s", md, docDiff(back, want))
		}
	})
}

func FuzzFromFountain(f *testing.F) {
	for _, s := range []string{
		"Title: X\nAuthor: Y\n\nINT. HOUSE - DAY #1#\n\nBOB\n(beat)\nHi.\n\nALICE ^\nHi.\n\nCUT TO:\n\n>THE END<",
		"~la\n~la\n\n===\n\n# Act\n\n= syn\n\n[[note]]\n\n/* bone */!LOUD\nquiet", "*a **b** c* _u_ ***x***",
		"@mc\n  \n(x)", ".\n\n!\n\n@\n\n>", "[[a\n  \nb]]", "x /* y", "\\*\\_\\[[ \\/*",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d, tp, err := FromFountain(src)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		checkDoc(t, d)
		out := d.Fountain(tp)
		back, backTP, err := FromFountain(out)
		if err != nil {
			t.Fatalf("FromFountain(Fountain()): %v", err)
		}
		if want := ftCarried(d); !sameDoc(back, want) {
			t.Fatalf("Fountain round trip differs\nfountain:\n%q\n%s", out, docDiff(back, want))
		}
		if !reflect.DeepEqual(backTP, tp) {
			t.Fatalf("title page %q, want %q\nfountain:\n%q", backTP, tp, out)
		}
	})
}
