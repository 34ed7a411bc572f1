package importer

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/authorworks/authorworks/internal/errs"
)

// xmlReader reads one XML part token by token, refusing what a manuscript
// never holds: a DOCTYPE or other directive (entity declarations: billion
// laughs, external entities), encodings other than UTF-8, and nesting deeper
// than MaxDepth. Its errors are *errs.Error values.
type xmlReader struct {
	d     *xml.Decoder
	depth int // elements open, counting the one just started
	max   int
	// elements counts the elements read, up to maxElements.
	elements, maxElements int
	// maxText is the most bytes text returns (four per character allowed).
	maxText int
	kind    string // what the file is, for messages: "Word document"
	part    string
}

func (j *job) newXML(r io.Reader, kind, part string) *xmlReader {
	d := xml.NewDecoder(r)
	d.Strict = true
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		return nil, errs.E(errs.Invalid, "This %s declares the text encoding %q; only UTF-8 is supported. Save it again from your word processor.", kind, label)
	}
	return &xmlReader{d: d, max: j.o.MaxDepth, maxElements: j.o.MaxElements, maxText: 4 * j.o.MaxChars, kind: kind, part: part}
}

// next returns the next token; io.EOF at the end of the part. CharData is
// only valid until the next call.
func (x *xmlReader) next() (xml.Token, error) {
	t, err := x.d.Token()
	if err != nil {
		return nil, x.fail(err)
	}
	switch t := t.(type) {
	case xml.StartElement:
		x.depth++
		if x.depth > x.max {
			return nil, errs.E(errs.Invalid, "This %s nests its XML more than %d levels deep, which no real document does. It was refused for safety.", x.kind, x.max)
		}
		x.elements++
		if x.elements > x.maxElements {
			return nil, errs.E(errs.TooLarge, "This %s holds more than %s XML elements in %s, far more than a manuscript needs. Split it into several files.", x.kind, count(x.maxElements), x.part)
		}
	case xml.EndElement:
		x.depth--
	case xml.Directive:
		what := "a declaration"
		if strings.HasPrefix(strings.TrimSpace(string(t)), "DOCTYPE") {
			what = "a DOCTYPE declaration"
		}
		return nil, errs.E(errs.Invalid, "This %s contains %s (in %s), which word processors never write and which can hide an XML entity attack. It was refused for safety.", x.kind, what, x.part)
	}
	return t, nil
}

// fail turns a decoder error into an *errs.Error.
func (x *xmlReader) fail(err error) error {
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return e
	}
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		if syn.Msg == "invalid UTF-8" {
			return &errs.Error{Kind: errs.Invalid, Err: err, Message: fmt.Sprintf("This %s contains text that is not valid UTF-8 (%s, line %d). Save it again from your word processor.", x.kind, x.part, syn.Line)}
		}
		return damaged(x.kind, fmt.Sprintf("%s is not well-formed XML at line %d: %s", x.part, syn.Line, syn.Msg), err)
	}
	return damaged(x.kind, x.part+" is not well-formed XML", err)
}

// skip consumes the rest of the element whose start was just read.
func (x *xmlReader) skip() error {
	depth := x.depth
	for x.depth >= depth {
		if _, err := x.next(); err != nil {
			return x.unexpectedEOF(err)
		}
	}
	return nil
}

// text consumes the rest of the element whose start was just read and
// returns its character data (that of child elements included).
func (x *xmlReader) text() (string, error) {
	depth := x.depth
	var b strings.Builder
	for x.depth >= depth {
		t, err := x.next()
		if err != nil {
			return "", x.unexpectedEOF(err)
		}
		if cd, ok := t.(xml.CharData); ok {
			if b.Len()+len(cd) > x.maxText {
				return "", errs.E(errs.TooLarge, "This %s holds more text than a manuscript can (%s characters). Split it into several files.", x.kind, count(x.maxText/4))
			}
			b.Write(cd)
		}
	}
	return b.String(), nil
}

func (x *xmlReader) unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return damaged(x.kind, x.part+" ends in the middle", nil)
	}
	return err
}

// attr returns the value of the attribute of start with the given local
// name, in any of the namespaces (none when spaces is empty).
func attr(start xml.StartElement, local string, spaces ...string) string {
	for _, a := range start.Attr {
		if a.Name.Local != local {
			continue
		}
		if len(spaces) == 0 {
			return a.Value
		}
		for _, s := range spaces {
			if a.Name.Space == s {
				return a.Value
			}
		}
	}
	return ""
}
