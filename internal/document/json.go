package document

import (
	"strconv"
	"unicode/utf8"
)

// MarshalJSON writes the canonical JSON array: blocks in order, keys in a fixed
// order, absent attributes and unset marks omitted, <, > and & escaped.
func (d Doc) MarshalJSON() ([]byte, error) {
	buf := make([]byte, 0, 64*len(d)+2)
	return d.appendJSON(buf), nil
}

// UnmarshalJSON parses a document with Parse: strictly, normalising, with
// errors located under "content".
func (d *Doc) UnmarshalJSON(raw []byte) error {
	v, err := Parse(raw)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes the block in the Plate shape.
func (b Block) MarshalJSON() ([]byte, error) { return b.appendJSON(nil), nil }

// UnmarshalJSON decodes and validates one block as Parse would (errors are
// located under "block"). It does not normalise.
func (b *Block) UnmarshalJSON(raw []byte) error {
	r := reader{data: raw}
	v, err := r.block(loc{base: "block"})
	if err != nil {
		return err
	}
	if r.peek() != 0 {
		return r.syntax("unexpected data after the block")
	}
	*b = v
	return nil
}

// MarshalJSON writes the inline as a text leaf or a link.
func (in Inline) MarshalJSON() ([]byte, error) { return in.appendJSON(nil), nil }

// UnmarshalJSON decodes and validates one text leaf or link (errors are located
// under "inline").
func (in *Inline) UnmarshalJSON(raw []byte) error {
	r := reader{data: raw}
	v, err := r.inline(loc{base: "inline"})
	if err != nil {
		return err
	}
	if r.peek() != 0 {
		return r.syntax("unexpected data after the inline")
	}
	*in = v
	return nil
}

// MarshalJSON writes the text leaf with its marks.
func (lf Leaf) MarshalJSON() ([]byte, error) { return lf.appendJSON(nil), nil }

// UnmarshalJSON decodes and validates one text leaf (errors are located under
// "leaf").
func (lf *Leaf) UnmarshalJSON(raw []byte) error {
	r := reader{data: raw}
	l := loc{base: "leaf"}
	n, err := r.object(l, 1)
	if err != nil {
		return err
	}
	if n.seen&kType != 0 {
		return fieldErr(l.key("type"), "is not allowed: a text leaf has no type")
	}
	v, err := n.leaf(l)
	if err != nil {
		return err
	}
	if r.peek() != 0 {
		return r.syntax("unexpected data after the leaf")
	}
	*lf = v
	return nil
}

func (d Doc) appendJSON(buf []byte) []byte {
	buf = append(buf, '[')
	for i := range d {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = d[i].appendJSON(buf)
	}
	return append(buf, ']')
}

func (b *Block) appendJSON(buf []byte) []byte {
	buf = append(buf, `{"type":`...)
	buf = appendString(buf, string(b.Type))
	str := func(key, v string) {
		if v != "" {
			buf = append(buf, ',', '"')
			buf = append(buf, key...)
			buf = append(buf, '"', ':')
			buf = appendString(buf, v)
		}
	}
	num := func(key string, v int) {
		if v != 0 {
			buf = append(buf, ',', '"')
			buf = append(buf, key...)
			buf = append(buf, '"', ':')
			buf = strconv.AppendInt(buf, int64(v), 10)
		}
	}
	str("id", b.ID)
	str("align", string(b.Align))
	num("indent", b.Indent)
	str("listStyleType", string(b.ListStyleType))
	num("listStart", b.ListStart)
	str("file_id", b.FileID)
	str("alt", b.Alt)
	str("caption", b.Caption)
	str("scene_number", b.SceneNumber)
	if b.Dual {
		buf = append(buf, `,"dual":true`...)
	}
	num("depth", b.Depth)
	buf = append(buf, `,"children":[`...)
	for i := range b.Children {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = b.Children[i].appendJSON(buf)
	}
	return append(buf, ']', '}')
}

func (in *Inline) appendJSON(buf []byte) []byte {
	if in.Link == nil {
		return in.Leaf.appendJSON(buf)
	}
	buf = append(buf, `{"type":"a"`...)
	if in.Link.ID != "" {
		buf = append(buf, `,"id":`...)
		buf = appendString(buf, in.Link.ID)
	}
	buf = append(buf, `,"url":`...)
	buf = appendString(buf, in.Link.URL)
	buf = append(buf, `,"children":[`...)
	for i := range in.Link.Children {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = in.Link.Children[i].appendJSON(buf)
	}
	return append(buf, ']', '}')
}

func (lf *Leaf) appendJSON(buf []byte) []byte {
	buf = append(buf, `{"text":`...)
	buf = appendString(buf, lf.Text)
	m := lf.marks()
	for _, mk := range markNames {
		if m&mk.bit != 0 {
			buf = append(buf, ',', '"')
			buf = append(buf, mk.name...)
			buf = append(buf, `":true`...)
		}
	}
	if lf.AI != "" {
		buf = append(buf, `,"ai":`...)
		buf = appendString(buf, lf.AI)
	}
	return append(buf, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does
// (including <, > and &, and U+2028 and U+2029); invalid UTF-8 becomes U+FFFD.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\t':
				buf = append(buf, '\\', 't')
			case '\r':
				buf = append(buf, '\\', 'r')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
