package fonts

import (
	"encoding/binary"
	"os"
	"strings"
	"testing"
)

// sfntTables returns the table tags of a TrueType or OpenType file.
func sfntTables(t *testing.T, data []byte) map[string]bool {
	t.Helper()
	if len(data) < 12 {
		t.Fatalf("font file of %d bytes is too short", len(data))
	}
	tags := map[string]bool{}
	n := int(binary.BigEndian.Uint16(data[4:]))
	for i := range n {
		tags[string(data[12+16*i:16+16*i])] = true
	}
	return tags
}

func TestSerifIsTrueType(t *testing.T) {
	for _, tt := range []struct {
		name         string
		bold, italic bool
	}{{"regular", false, false}, {"italic", false, true}, {"bold", true, false}, {"bold italic", true, true}} {
		t.Run(tt.name, func(t *testing.T) {
			data := Serif(tt.bold, tt.italic)
			if v := binary.BigEndian.Uint32(data); v != 0x00010000 {
				t.Errorf("sfnt version = %#x, want 0x00010000 (TrueType)", v)
			}
			tags := sfntTables(t, data)
			if !tags["glyf"] || tags["CFF "] {
				t.Errorf("tables %v: want glyf outlines and no CFF, which fpdf cannot embed", tags)
			}
		})
	}
	if &Serif(true, true)[0] != &Serif(false, true)[0] {
		t.Error("Serif(true, true) is not the italic, as documented")
	}
}

func TestSerifLicence(t *testing.T) {
	b, err := os.ReadFile("LICENSE-EBGaramond.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SIL OPEN FONT LICENSE Version 1.1", "Georg Duffner", "EBGaramond12-Regular.ttf"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("LICENSE-EBGaramond.txt does not mention %q", want)
		}
	}
}
