//go:build linux

package main

import (
	"encoding/json"
	"testing"

	docmodel "github.com/authorworks/authorworks/internal/document"
)

func TestDocumentIsValidAndCountsAsAsked(t *testing.T) {
	d, err := newDocument(5000, 60)
	if err != nil {
		t.Fatal(err)
	}
	if d.words != 5000 {
		t.Errorf("words: got %d, want 5000", d.words)
	}
	parsed, err := docmodel.Parse(d.content(123456))
	if err != nil {
		t.Fatalf("the server's parser rejects the document: %v", err)
	}
	if len(parsed) != 60 {
		t.Errorf("paragraphs: got %d, want 60", len(parsed))
	}
	if got := parsed.WordCount(); got != 5000 {
		t.Errorf("the server's word count: got %d, want 5000", got)
	}
	if d.marked == 0 {
		t.Error("no bold or italic runs")
	}

	var body struct {
		Version int             `json:"version"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(d.saveBody(7, 8), &body); err != nil {
		t.Fatalf("save body: %v", err)
	}
	if body.Version != 7 || string(body.Content) != string(d.content(8)) {
		t.Errorf("save body: got version %d and other content, want version 7 and revision 8", body.Version)
	}
}

func TestDataVersion(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want int
		ok   bool
	}{
		{"chapter", `{"data":{"id":"x","metadata":{"version":9},"version":4,"content":[{"type":"p"}]},"error":null}`, 4, true},
		{"data after other keys", `{"meta":{"version":2},"data":{"version":3}}`, 3, true},
		{"no version", `{"data":{"id":"x"}}`, 0, false},
		{"error", `{"data":null,"error":{"code":"VERSION_CONFLICT"}}`, 0, false},
		{"not JSON", `<html>`, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dataVersion([]byte(tc.body))
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("dataVersion(%s) = %d, %v; want %d, ok %v", tc.body, got, err, tc.want, tc.ok)
			}
		})
	}
}
