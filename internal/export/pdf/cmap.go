package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// coverage is the set of Basic Multilingual Plane characters a TrueType font
// has glyphs for. fpdf draws a character the font lacks as an empty box and
// indexes its width table out of range for characters past U+FFFF, so the
// layout checks every character against this set before it reaches fpdf.
type coverage [0x10000 / 64]uint64

func (c *coverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c[r>>6]&(1<<(uint(r)&63)) != 0
}

func (c *coverage) add(r uint32) {
	if r < 0x10000 {
		c[r>>6] |= 1 << (r & 63)
	}
}

// parseCoverage reads the Unicode cmap of a TrueType font (format 4 or 12).
func parseCoverage(ttf []byte) (*coverage, error) {
	be := binary.BigEndian
	if len(ttf) < 12 {
		return nil, errors.New("font: too short")
	}
	numTables := int(be.Uint16(ttf[4:]))
	var cmap []byte
	for i := range numTables {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, errors.New("font: table directory past the end")
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			off, n := int(be.Uint32(ttf[rec+8:])), int(be.Uint32(ttf[rec+12:]))
			if off < 0 || n < 4 || off+n > len(ttf) {
				return nil, errors.New("font: cmap table out of range")
			}
			cmap = ttf[off : off+n]
		}
	}
	if cmap == nil {
		return nil, errors.New("font: no cmap table")
	}
	// Prefer the full-repertoire subtable (format 12), then the BMP one.
	var best []byte
	bestRank := 0
	for i := range int(be.Uint16(cmap[2:])) {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			return nil, errors.New("font: cmap records past the end")
		}
		platform, encoding := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:])
		off := int(be.Uint32(cmap[rec+4:]))
		if off+4 > len(cmap) {
			continue
		}
		rank := 0
		switch {
		case platform == 3 && encoding == 10, platform == 0 && encoding >= 4:
			rank = 2
		case platform == 3 && encoding == 1, platform == 0:
			rank = 1
		}
		if rank > bestRank {
			best, bestRank = cmap[off:], rank
		}
	}
	if best == nil {
		return nil, errors.New("font: no Unicode cmap subtable")
	}
	var c coverage
	switch f := be.Uint16(best); f {
	case 4:
		return &c, c.format4(best)
	case 12:
		return &c, c.format12(best)
	default:
		return nil, fmt.Errorf("font: cmap subtable format %d is not supported", f)
	}
}

func (c *coverage) format4(t []byte) error {
	be := binary.BigEndian
	if len(t) < 14 {
		return errors.New("font: short cmap format 4")
	}
	seg := int(be.Uint16(t[6:])) / 2
	ends, starts := 14, 16+2*seg
	deltas, ranges := starts+2*seg, starts+4*seg
	if ranges+2*seg > len(t) {
		return errors.New("font: cmap format 4 segments past the end")
	}
	for i := range seg {
		end := uint32(be.Uint16(t[ends+2*i:]))
		start := uint32(be.Uint16(t[starts+2*i:]))
		delta := uint32(be.Uint16(t[deltas+2*i:]))
		ro := int(be.Uint16(t[ranges+2*i:]))
		for ch := start; ch <= end && ch != 0xFFFF; ch++ {
			g := (ch + delta) & 0xFFFF
			if ro != 0 {
				at := ranges + 2*i + ro + 2*int(ch-start)
				if at+2 > len(t) {
					break
				}
				if g = uint32(be.Uint16(t[at:])); g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			if g != 0 {
				c.add(ch)
			}
		}
	}
	return nil
}

func (c *coverage) format12(t []byte) error {
	be := binary.BigEndian
	if len(t) < 16 {
		return errors.New("font: short cmap format 12")
	}
	n := int(be.Uint32(t[12:]))
	if n < 0 || 16+12*n > len(t) {
		return errors.New("font: cmap format 12 groups past the end")
	}
	for i := range n {
		g := t[16+12*i:]
		start, end, glyph := be.Uint32(g), be.Uint32(g[4:]), be.Uint32(g[8:])
		for ch := start; ch <= end && ch < 0x10000; ch++ {
			if glyph+(ch-start) != 0 {
				c.add(ch)
			}
		}
	}
	return nil
}
