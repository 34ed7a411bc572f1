package document

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/errs"
)

// loc locates a node for error messages: "content[3].children[0].children[1]".
// It is built into a string only when an error is reported.
type loc struct {
	base  string // "content", or the name of a standalone value ("block", …)
	array bool   // base is the document array: its index prints as base[i]
	idx   [3]int
	n     int
}

func docLoc() loc { return loc{base: "content", array: true} }

func (l loc) at(i int) loc {
	l.idx[l.n] = i
	l.n++
	return l
}

func (l loc) String() string {
	var b strings.Builder
	b.WriteString(l.base)
	for k := 0; k < l.n; k++ {
		if k == 0 && l.array {
			fmt.Fprintf(&b, "[%d]", l.idx[k])
			continue
		}
		fmt.Fprintf(&b, ".children[%d]", l.idx[k])
	}
	return b.String()
}

func (l loc) key(k string) string { return l.String() + "." + k }

// Validate reports whether d satisfies every rule Parse enforces: known block
// types, attributes allowed for each type and within range, safe link URLs,
// well-formed UUIDs, text without control characters, and the size limits.
// Documents built in Go (by converters or AI features) should be validated
// before they are stored. The error is an *errs.Error of kind Invalid.
func (d Doc) Validate() error {
	if len(d) > MaxBlocks {
		return tooManyBlocks()
	}
	var inlines, textBytes int
	for i := range d {
		l := docLoc().at(i)
		if err := d[i].validate(l); err != nil {
			return err
		}
		n, tb, chars := d[i].counts()
		inlines += n
		textBytes += tb
		if inlines > MaxInlines {
			return tooManyInlines()
		}
		if textBytes > MaxTextBytes {
			return tooMuchText()
		}
		if chars > MaxBlockChars {
			return blockTooLong(l, chars)
		}
	}
	return nil
}

// counts returns the number of inline nodes, text bytes and text characters of b.
func (b *Block) counts() (inlines, textBytes, chars int) {
	for _, in := range b.Children {
		inlines++
		if in.Link != nil {
			for _, lf := range in.Link.Children {
				inlines++
				textBytes += len(lf.Text)
				chars += utf8.RuneCountInString(lf.Text)
			}
			continue
		}
		textBytes += len(in.Leaf.Text)
		chars += utf8.RuneCountInString(in.Leaf.Text)
	}
	return
}

func tooManyBlocks() error {
	return errs.Field("content", "content has more than %d blocks; split the text into several chapters or scenes", MaxBlocks)
}

func tooManyInlines() error {
	return errs.Field("content", "content has more than %d inline nodes (text leaves and links)", MaxInlines)
}

func tooMuchText() error {
	return errs.Field("content", "content holds more than %d bytes of text; split the text into several chapters or scenes", MaxTextBytes)
}

func blockTooLong(l loc, chars int) error {
	return errs.Field("content", "content: %s holds %d characters of text; a block may hold at most %d", l, chars, MaxBlockChars)
}

// validate checks the attribute values (those that are set), the shape and the
// children of a block.
func (b *Block) validate(l loc) error {
	if !knownBlockType(b.Type) {
		if b.Type == "" {
			return fieldErr(l.key("type"), "is required; allowed types are "+blockTypeList())
		}
		return unknownBlockType(l, string(b.Type))
	}
	checks := [...]struct {
		key     string
		problem string
	}{
		{"id", ifSet(b.ID != "", func() string { return idProblem(b.ID) })},
		{"align", ifSet(b.Align != "", func() string { return alignProblem(string(b.Align)) })},
		{"indent", ifSet(b.Indent != 0, func() string { return indentProblem(b.Indent) })},
		{"listStyleType", ifSet(b.ListStyleType != "", func() string { return listStyleProblem(string(b.ListStyleType)) })},
		{"listStart", ifSet(b.ListStart != 0, func() string { return listStartProblem(b.ListStart) })},
		{"file_id", ifSet(b.FileID != "", func() string { return uuidProblem(b.FileID, fileIDWhat) })},
		{"alt", ifSet(b.Alt != "", func() string { return longTextProblem(b.Alt, MaxAltLen) })},
		{"caption", ifSet(b.Caption != "", func() string { return longTextProblem(b.Caption, MaxCaptionLen) })},
		{"scene_number", ifSet(b.SceneNumber != "", func() string { return sceneNumberProblem(b.SceneNumber) })},
		{"depth", ifSet(b.Depth != 0, func() string { return depthProblem(b.Depth) })},
	}
	for _, c := range checks {
		if c.problem != "" {
			return fieldErr(l.key(c.key), c.problem)
		}
	}
	if len(b.Children) == 0 {
		return emptyChildren(l)
	}
	if err := b.checkShape(l); err != nil {
		return err
	}
	for j, in := range b.Children {
		cl := l.at(j)
		if in.Link == nil {
			if err := in.Leaf.validate(cl); err != nil {
				return err
			}
			continue
		}
		if err := in.Link.validate(cl); err != nil {
			return err
		}
	}
	return nil
}

func ifSet(set bool, problem func() string) string {
	if !set {
		return ""
	}
	return problem()
}

func (lk *Link) validate(l loc) error {
	if lk.ID != "" {
		if p := idProblem(lk.ID); p != "" {
			return fieldErr(l.key("id"), p)
		}
	}
	if lk.URL == "" {
		return fieldErr(l.key("url"), "is required: a link needs an http, https or mailto URL")
	}
	if p := urlProblem(lk.URL); p != "" {
		return fieldErr(l.key("url"), p)
	}
	if len(lk.Children) == 0 {
		return emptyChildren(l)
	}
	for k, lf := range lk.Children {
		if err := lf.validate(l.at(k)); err != nil {
			return err
		}
	}
	return nil
}

func (lf *Leaf) validate(l loc) error {
	if p := textProblem(lf.Text); p != "" {
		return fieldErr(l.key("text"), p)
	}
	if lf.AI != "" {
		if p := uuidProblem(lf.AI, aiWhat); p != "" {
			return fieldErr(l.key("ai"), p)
		}
	}
	return nil
}

// fieldErr reports that field has a problem; problem reads as a predicate of
// the field ("must be …", "is …").
func fieldErr(field, problem string) error {
	return errs.Field(field, "%s %s", field, problem)
}

func emptyChildren(l loc) error {
	return fieldErr(l.key("children"), `must not be empty: an element needs at least one text leaf, such as {"text":""}`)
}

func unknownBlockType(l loc, t string) error {
	if t == LinkType {
		return fieldErr(l.key("type"), `is "a", a link: links are inline and must sit in a block's children, e.g. {"type":"p","children":[{"type":"a",…}]}`)
	}
	return fieldErr(l.key("type"), fmt.Sprintf("%q is not a block type; allowed types are %s", t, blockTypeList()))
}

func blockTypeList() string {
	s := make([]string, len(blockTypes))
	for i, t := range blockTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// attrsFor lists the attributes (besides type, id and children) each block type
// allows.
func attrsFor(t BlockType) string {
	switch t {
	case Paragraph:
		return "align, indent, listStyleType, listStart"
	case Heading1, Heading2, Heading3:
		return "align"
	case Image:
		return "file_id, alt, caption"
	case SceneHeading:
		return "scene_number"
	case Character:
		return "dual"
	case Section:
		return "depth"
	}
	return ""
}

// checkShape checks the rules that depend on the block type: which attributes
// are allowed, which are required, and the children of void blocks.
func (b *Block) checkShape(l loc) error {
	t := b.Type
	notAllowed := func(key string) error {
		if allowed := attrsFor(t); allowed != "" {
			return fieldErr(l.key(key), fmt.Sprintf("is not allowed on %s blocks, which take only %s (besides type, id and children)", t, allowed))
		}
		return fieldErr(l.key(key), fmt.Sprintf("is not allowed on %s blocks, which take no attributes besides type, id and children", t))
	}
	if b.Align != "" && t != Paragraph && t != Heading1 && t != Heading2 && t != Heading3 {
		return notAllowed("align")
	}
	if t != Paragraph {
		switch {
		case b.Indent != 0:
			return notAllowed("indent")
		case b.ListStyleType != "":
			return notAllowed("listStyleType")
		case b.ListStart != 0:
			return notAllowed("listStart")
		}
	}
	if b.ListStyleType != "" && b.Indent == 0 {
		return fieldErr(l.key("listStyleType"), fmt.Sprintf("needs an indent of 1 to %d: a list item is a paragraph with an indent level", MaxIndent))
	}
	if b.ListStart != 0 && b.ListStyleType == "" {
		return fieldErr(l.key("listStart"), "is only allowed on list items (paragraphs with a listStyleType)")
	}
	if t != Image {
		switch {
		case b.FileID != "":
			return notAllowed("file_id")
		case b.Alt != "":
			return notAllowed("alt")
		case b.Caption != "":
			return notAllowed("caption")
		}
	} else if b.FileID == "" {
		return fieldErr(l.key("file_id"), "is required: an image names a stored file by its UUID (images never take a URL)")
	}
	if b.SceneNumber != "" && t != SceneHeading {
		return notAllowed("scene_number")
	}
	if b.Dual && t != Character {
		return notAllowed("dual")
	}
	if b.Depth != 0 && t != Section {
		return notAllowed("depth")
	}
	if isVoid(t) {
		if len(b.Children) != 1 || b.Children[0].Link != nil || b.Children[0].Leaf != (Leaf{}) {
			return fieldErr(l.key("children"), fmt.Sprintf(`of a %s block must be exactly one empty text leaf: [{"text":""}]`, t))
		}
	}
	return nil
}

// The problem functions below return "" for a valid value, or what is wrong
// with it, phrased to follow the field name.

func idProblem(v string) string {
	if v == "" || len(v) > MaxIDLen {
		return fmt.Sprintf("must be 1 to %d characters long", MaxIDLen)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !isAlnum(c) && c != '-' && c != '_' && c != ':' && c != '.' {
			return "may contain only letters, digits, '-', '_', ':' and '.'"
		}
	}
	return ""
}

func alignProblem(v string) string {
	switch Align(v) {
	case AlignLeft, AlignCenter, AlignRight, AlignJustify:
		return ""
	}
	return fmt.Sprintf("%q is not an alignment; use left, center, right or justify", v)
}

func indentProblem(v int) string {
	if v < 0 || v > MaxIndent {
		return fmt.Sprintf("must be an integer from 0 to %d, got %d", MaxIndent, v)
	}
	return ""
}

func listStyleProblem(v string) string {
	switch ListStyle(v) {
	case ListDisc, ListDecimal:
		return ""
	}
	return fmt.Sprintf("%q is not a list style; use disc or decimal", v)
}

func listStartProblem(v int) string {
	if v < 1 || v > MaxListStart {
		return fmt.Sprintf("must be an integer from 1 to %d, got %d", MaxListStart, v)
	}
	return ""
}

func depthProblem(v int) string {
	if v < 1 || v > MaxDepth {
		return fmt.Sprintf("must be an integer from 1 to %d, got %d", MaxDepth, v)
	}
	return ""
}

func sceneNumberProblem(v string) string {
	if v == "" || len(v) > MaxSceneNumberLen {
		return fmt.Sprintf("must be 1 to %d characters long", MaxSceneNumberLen)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !isAlnum(c) && c != '-' && c != '.' {
			return "may contain only letters, digits, '-' and '.' (like 12, 12A or I-1-A)"
		}
	}
	return ""
}

const (
	fileIDWhat = "the id of a stored file"
	aiWhat     = "the id of the generation that wrote the text"
)

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// isUUID reports whether v is a UUID in the 8-4-4-4-12 hexadecimal form.
func isUUID(v string) bool {
	if len(v) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := v[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func uuidProblem(v, what string) string {
	if !isUUID(v) {
		return fmt.Sprintf("must be a UUID (%s) such as 0b7c9d3e-6f1a-4c2b-9e8d-1a2b3c4d5e6f", what)
	}
	return ""
}

// badRune returns the first rune of s that text may not contain (a control
// character other than line feed and tab), or -1. ok is false when s is not
// valid UTF-8.
func badRune(s string) (r rune, ok bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return rune(c), true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return r, false
		}
		if unicode.IsControl(r) {
			return r, true
		}
		i += size
	}
	return -1, true
}

func textProblem(v string) string {
	r, ok := badRune(v)
	switch {
	case !ok:
		return "is not valid UTF-8"
	case r >= 0:
		return fmt.Sprintf("contains the control character U+%04X; text may contain only printable characters, line feeds and tabs", r)
	}
	return ""
}

func longTextProblem(v string, max int) string {
	if p := textProblem(v); p != "" {
		return p
	}
	if n := utf8.RuneCountInString(v); n > max {
		return fmt.Sprintf("is %d characters long; at most %d are allowed", n, max)
	}
	return ""
}

// urlProblem allows absolute http and https URLs with a host, and mailto URLs.
func urlProblem(v string) string {
	if len(v) > MaxURLLen {
		return fmt.Sprintf("is %d bytes long; a link URL may be at most %d", len(v), MaxURLLen)
	}
	if r, ok := badRune(v); !ok || r >= 0 {
		return "contains a control character or invalid UTF-8"
	}
	if i := strings.IndexAny(v, " \t\n<>\"\\`{}|^"); i >= 0 {
		return fmt.Sprintf("contains %q, which a URL may not contain unencoded; percent-encode it (a space is %%20)", v[i])
	}
	u, err := url.Parse(v)
	if err != nil {
		return "is not a valid URL; use an absolute http, https or mailto URL"
	}
	switch scheme := strings.ToLower(u.Scheme); scheme {
	case "http", "https":
		if u.Host == "" || u.Opaque != "" {
			return "must be an absolute URL with a host, like https://example.com/page"
		}
		return ""
	case "mailto":
		if u.Opaque == "" && u.Path == "" {
			return "must name an address, like mailto:editor@example.com"
		}
		return ""
	case "":
		return fmt.Sprintf("%s is relative; links must be absolute http, https or mailto URLs", strconv.Quote(v))
	default:
		return fmt.Sprintf("uses the %s: scheme, which is not allowed; links must be http, https or mailto URLs (javascript:, data:, vbscript: and other schemes are rejected)", scheme)
	}
}

// urlOK reports whether v is a link URL that Parse accepts.
func urlOK(v string) bool { return urlProblem(v) == "" }
