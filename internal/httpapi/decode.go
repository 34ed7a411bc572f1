package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/errs"
)

// DefaultMaxBody caps a JSON request body when the caller gives no limit.
const DefaultMaxBody = 1 << 20

// Decode reads one JSON object from r's body into dst. It rejects other content
// types, bodies over max bytes, malformed JSON, unknown fields, wrong types and
// trailing data, each with an *errs.Error whose message names the problem and, where
// there is one, the field.
func Decode(w http.ResponseWriter, r *http.Request, max int64, dst any) error {
	return decode(w, r, max, dst, false)
}

// DecodeOptional is Decode for routes whose body may be left out: an empty body
// leaves dst as it is.
func DecodeOptional(w http.ResponseWriter, r *http.Request, max int64, dst any) error {
	return decode(w, r, max, dst, true)
}

func decode(w http.ResponseWriter, r *http.Request, max int64, dst any, optional bool) error {
	if max <= 0 {
		max = DefaultMaxBody
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return errs.E(errs.UnsupportedMedia, "Content-Type must be application/json")
		}
	}
	if r.ContentLength > max {
		return errs.E(errs.TooLarge, "request body exceeds %d bytes", max)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		if tooLarge(err) {
			return errs.E(errs.TooLarge, "request body exceeds %d bytes", max)
		}
		return errs.E(errs.Invalid, "cannot read the request body")
	}
	// encoding/json would silently turn invalid UTF-8 into U+FFFD and store it.
	if !utf8.Valid(body) {
		return utf8Error(body)
	}
	switch trimmed := bytes.TrimSpace(body); {
	case len(trimmed) == 0 && optional:
		return nil
	case len(trimmed) == 0:
		return errs.E(errs.Invalid, "request body is empty; a JSON object is required")
	case string(trimmed) == "null":
		return errs.E(errs.Invalid, "request body must be a JSON object, not null")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return errs.E(errs.Invalid, "request body must hold a single JSON object")
	}
	return nil
}

// utf8Error names the top-level member whose raw value is not valid UTF-8, if any.
func utf8Error(body []byte) error {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) == nil {
		var bad []string
		for name, raw := range members {
			if !utf8.Valid(raw) {
				bad = append(bad, name)
			}
		}
		if len(bad) > 0 {
			slices.Sort(bad)
			return errs.Field(bad[0], "field %q is not valid UTF-8", bad[0])
		}
	}
	return errs.E(errs.Invalid, "request body is not valid UTF-8")
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

func decodeError(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errs.E(errs.Invalid, "request body is truncated JSON")
	case errors.As(err, &syn):
		return errs.E(errs.Invalid, "malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return errs.E(errs.Invalid, "request body must be a JSON object, not %s", typ.Value)
		}
		return errs.Field(typ.Field, "field %q must be %s, not %s", typ.Field, jsonTypeName(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.Field(name, "unknown field %q", name)
	default:
		return errs.E(errs.Invalid, "invalid JSON body: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	case "slice", "array":
		return "an array"
	case "map", "struct", "ptr":
		return "an object"
	}
	return "of another type"
}

// PathUUID returns the path value name as a canonical UUID string, or an Invalid
// error naming the parameter.
func PathUUID(r *http.Request, name string) (string, error) {
	raw := r.PathValue(name)
	id, err := uuid.Parse(raw)
	if err != nil || len(raw) != 36 {
		return "", errs.Field(name, "%s must be a UUID, got %q", name, truncate(raw, 64))
	}
	return id.String(), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return fmt.Sprintf("%s…", s[:n])
}
