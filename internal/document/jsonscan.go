package document

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/errs"
)

// The JSON primitives of reader: whitespace, literals, strings and integers.

func (r *reader) syntax(what string) error {
	if r.pos >= len(r.data) {
		return errs.Field("content", "content is not valid JSON: %s at the end of the input", what)
	}
	return errs.Field("content", "content is not valid JSON: %s at byte %d", what, r.pos)
}

func (r *reader) ws() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end of the input.
func (r *reader) peek() byte {
	r.ws()
	if r.pos >= len(r.data) {
		return 0
	}
	return r.data[r.pos]
}

// kind describes the JSON value starting with c, for messages.
func kind(c byte) string {
	switch {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	}
	return "not a JSON value"
}

func (r *reader) literal(lit string) error {
	if len(r.data)-r.pos < len(lit) || string(r.data[r.pos:r.pos+len(lit)]) != lit {
		return r.syntax("invalid literal")
	}
	r.pos += len(lit)
	return nil
}

// comma consumes the separator after an array element or object member. It
// reports whether the container continues.
func (r *reader) comma(end byte) (bool, error) {
	switch r.peek() {
	case ',':
		r.pos++
		return true, nil
	case end:
		r.pos++
		return false, nil
	}
	return false, r.syntax("expected ',' or '" + string(end) + "'")
}

// errBadUTF8 reports a string that is not valid UTF-8; callers name the field.
var errBadUTF8 = errs.E(errs.Invalid, "not valid UTF-8")

// errSurrogate reports a \u escape of an unpaired UTF-16 surrogate.
var errSurrogate = errs.E(errs.Invalid, "unpaired surrogate")

// str reads a JSON string. Encoding faults are errBadUTF8 or errSurrogate, which
// the caller turns into an error naming the field.
func (r *reader) str() (string, error) {
	if r.peek() != '"' {
		return "", r.syntax("expected a string")
	}
	r.pos++
	start := r.pos
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case c == '"':
			s := r.data[start:r.pos]
			r.pos++
			if !utf8.Valid(s) {
				return "", errBadUTF8
			}
			return string(s), nil
		case c == '\\':
			return r.strSlow(start)
		case c < 0x20:
			return "", r.syntax("control character in a string")
		}
		r.pos++
	}
	return "", r.syntax("unterminated string")
}

// strSlow decodes a string with escapes; r.pos is at the first backslash.
func (r *reader) strSlow(start int) (string, error) {
	buf := make([]byte, 0, r.pos-start+16)
	buf = append(buf, r.data[start:r.pos]...)
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case c == '"':
			r.pos++
			if !utf8.Valid(buf) {
				return "", errBadUTF8
			}
			return string(buf), nil
		case c < 0x20:
			return "", r.syntax("control character in a string")
		case c != '\\':
			buf = append(buf, c)
			r.pos++
			continue
		}
		if r.pos+1 >= len(r.data) {
			return "", r.syntax("unterminated string")
		}
		e := r.data[r.pos+1]
		r.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			u, ok := r.hex4()
			if !ok {
				return "", r.syntax(`invalid \u escape`)
			}
			ru := rune(u)
			if utf16.IsSurrogate(ru) {
				lo, ok2 := rune(0), false
				if r.pos+1 < len(r.data) && r.data[r.pos] == '\\' && r.data[r.pos+1] == 'u' {
					r.pos += 2
					var v uint16
					v, ok2 = r.hex4()
					lo = rune(v)
				}
				if !ok2 || ru >= 0xdc00 {
					return "", errSurrogate
				}
				ru = utf16.DecodeRune(ru, lo)
				if ru == utf8.RuneError {
					return "", errSurrogate
				}
			}
			buf = utf8.AppendRune(buf, ru)
		default:
			r.pos--
			return "", r.syntax("invalid escape in a string")
		}
	}
	return "", r.syntax("unterminated string")
}

func (r *reader) hex4() (uint16, bool) {
	if len(r.data)-r.pos < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(r.data[r.pos:r.pos+4]), 16, 16)
	if err != nil {
		return 0, false
	}
	r.pos += 4
	return uint16(v), true
}

// integer reads a JSON number that must be an integer. A fraction or exponent
// is reported as a problem string, a syntax error as an error.
func (r *reader) integer() (int, string, error) {
	start := r.pos
	if r.pos < len(r.data) && r.data[r.pos] == '-' {
		r.pos++
	}
	digits := r.pos
	r.skipDigits()
	if r.pos == digits || r.data[digits] == '0' && r.pos-digits > 1 {
		return 0, "", r.syntax("invalid number")
	}
	frac := false
	if r.pos < len(r.data) && r.data[r.pos] == '.' {
		frac = true
		r.pos++
		if d := r.pos; r.skipDigits() == d {
			return 0, "", r.syntax("invalid number")
		}
	}
	if r.pos < len(r.data) && (r.data[r.pos] == 'e' || r.data[r.pos] == 'E') {
		frac = true
		r.pos++
		if r.pos < len(r.data) && (r.data[r.pos] == '+' || r.data[r.pos] == '-') {
			r.pos++
		}
		if d := r.pos; r.skipDigits() == d {
			return 0, "", r.syntax("invalid number")
		}
	}
	num := r.data[start:r.pos]
	switch {
	case frac:
		return 0, fmt.Sprintf("must be an integer, got %s", num), nil
	case r.pos-digits > 18:
		return 0, fmt.Sprintf("is out of range: %s", num), nil
	}
	n, _ := strconv.Atoi(string(num)) // at most 18 digits: it fits
	return n, "", nil
}

func (r *reader) skipDigits() int {
	for r.pos < len(r.data) && r.data[r.pos] >= '0' && r.data[r.pos] <= '9' {
		r.pos++
	}
	return r.pos
}

// want checks that the next value is of the JSON kind starting with c ('0'
// stands for numbers, 't' for booleans); it returns a problem string when it is
// not.
func (r *reader) want(c byte, what string) (string, error) {
	got := r.peek()
	switch {
	case got == 0:
		return "", r.syntax("unexpected end of input")
	case got == c, c == '0' && (got == '-' || got >= '0' && got <= '9'), c == 't' && got == 'f':
		return "", nil
	}
	return fmt.Sprintf("must be %s, got %s", what, kind(got)), nil
}
