package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/export"
)

// render writes b and returns the .docx bytes.
func render(tb testing.TB, b *export.Book, opts Options) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, b, opts); err != nil {
		tb.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// entry is one part of a .docx package.
type entry struct {
	name string
	file *zip.File
	data string
}

// unzip returns the parts of a .docx in zip order.
func unzip(tb testing.TB, data []byte) []entry {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatalf("not a zip: %v", err)
	}
	var parts []entry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatalf("open %s: %v", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatalf("read %s: %v", f.Name, err)
		}
		parts = append(parts, entry{name: f.Name, file: f, data: string(b)})
	}
	return parts
}

// partData returns the named part, failing the test when it is missing.
func partData(tb testing.TB, parts []entry, name string) string {
	tb.Helper()
	for _, p := range parts {
		if p.name == name {
			return p.data
		}
	}
	tb.Fatalf("no part %s", name)
	return ""
}

// para is a paragraph of word/document.xml as a reader sees it.
type para struct {
	style string
	text  string   // w:br reads "\n", w:tab "\t"
	em    []string // text of runs in italics (or underlined)
	bold  []string
	links []string // relationship ids of hyperlinks
}

// paragraphs parses a WordprocessingML part into its paragraphs.
func paragraphs(tb testing.TB, doc string) []para {
	tb.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	var (
		out            []para
		cur            *para
		italic, bold   bool
		inText         bool
		runText        strings.Builder
		inRun, inField bool
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("document.xml is not well-formed: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				out = append(out, para{})
				cur = &out[len(out)-1]
			case "pStyle":
				cur.style = attr(t, "val")
			case "r":
				inRun, italic, bold = true, false, false
				runText.Reset()
			case "i":
				italic = inRun
			case "u":
				italic = italic || inRun && attr(t, "val") != "none"
			case "b":
				bold = inRun
			case "t":
				inText = true
			case "br":
				if attr(t, "type") != "page" {
					cur.text += "\n"
				}
			case "tab":
				if inRun {
					cur.text += "\t"
				}
			case "instrText":
				inField = true
			case "hyperlink":
				cur.links = append(cur.links, attr(t, "id"))
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "instrText":
				inField = false
			case "r":
				inRun = false
				if s := runText.String(); s != "" {
					if italic {
						cur.em = append(cur.em, s)
					}
					if bold {
						cur.bold = append(cur.bold, s)
					}
				}
			}
		case xml.CharData:
			if inText && !inField {
				cur.text += string(t)
				runText.Write(t)
			}
		}
	}
	return out
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// wellFormed fails the test when an XML part does not parse.
func wellFormed(tb testing.TB, name, data string) {
	tb.Helper()
	dec := xml.NewDecoder(strings.NewReader(data))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			tb.Fatalf("%s is not well-formed XML: %v", name, err)
		}
	}
}
