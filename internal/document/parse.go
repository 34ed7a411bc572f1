package document

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authorworks/authorworks/internal/errs"
)

// Parse decodes and validates a document from its JSON form, strictly: it
// rejects anything the schema does not describe (unknown block types,
// attributes and marks, values of the wrong type, marks whose value is not
// true, unsafe link URLs, nesting the schema does not allow, empty children,
// control characters and invalid UTF-8 in text, duplicate keys) and documents
// over the size limits. The error is an *errs.Error of kind Invalid whose
// Field locates the fault, like "content[3].children[0].url".
//
// An empty array is a valid empty document; null is not. The result is
// normalised (see Normalize).
func Parse(raw []byte) (Doc, error) {
	r := reader{data: raw}
	d, err := r.doc(docLoc())
	if err != nil {
		return nil, err
	}
	return d.Normalize(), nil
}

// reader is a strict JSON decoder specialised to the document schema. It never
// descends into a value the schema does not expect, so hostile nesting costs
// nothing, and it counts blocks, inline nodes and text as it goes so that an
// oversized document is rejected early.
type reader struct {
	data      []byte
	pos       int
	blocks    int
	inlines   int
	textBytes int
}

// JSON keys; a bit per key detects duplicates.
const (
	kType uint32 = 1 << iota
	kID
	kChildren
	kText
	kURL
	kAlign
	kIndent
	kListStyleType
	kListStart
	kFileID
	kAlt
	kCaption
	kSceneNumber
	kDual
	kDepth
	kAI
	kMarks // first mark bit; markNames[i] uses kMarks << i
)

// blockAttrs are the keys that only blocks take.
const blockAttrs = kAlign | kIndent | kListStyleType | kListStart | kFileID | kAlt | kCaption | kSceneNumber | kDual | kDepth

func keyBit(k string) uint32 {
	switch k {
	case "type":
		return kType
	case "id":
		return kID
	case "children":
		return kChildren
	case "text":
		return kText
	case "url":
		return kURL
	case "align":
		return kAlign
	case "indent":
		return kIndent
	case "listStyleType":
		return kListStyleType
	case "listStart":
		return kListStart
	case "file_id":
		return kFileID
	case "alt":
		return kAlt
	case "caption":
		return kCaption
	case "scene_number":
		return kSceneNumber
	case "dual":
		return kDual
	case "depth":
		return kDepth
	case "ai":
		return kAI
	}
	for i, m := range markNames {
		if m.name == k {
			return kMarks << i
		}
	}
	return 0
}

func (r *reader) doc(l loc) (Doc, error) {
	switch c := r.peek(); c {
	case '[':
	case 0:
		return nil, errs.Field("content", "content is empty: send a JSON array of blocks ([] for an empty document)")
	case 'n':
		return nil, errs.Field("content", "content must be a JSON array of blocks, not null ([] is an empty document)")
	default:
		return nil, errs.Field("content", "content must be a JSON array of blocks, got %s", kind(c))
	}
	r.pos++
	d := Doc{}
	if r.peek() == ']' {
		r.pos++
	} else {
		for i := 0; ; i++ {
			r.blocks++
			if r.blocks > MaxBlocks {
				return nil, tooManyBlocks()
			}
			b, err := r.block(l.at(i))
			if err != nil {
				return nil, err
			}
			d = append(d, b)
			more, err := r.comma(']')
			if err != nil {
				return nil, err
			}
			if !more {
				break
			}
		}
	}
	if r.peek() != 0 {
		return nil, r.syntax("unexpected data after the document")
	}
	return d, nil
}

// node holds the keys read from one JSON object of the document.
type node struct {
	seen    uint32
	typ     string
	id      string
	text    string
	url     string
	ai      string
	block   Block
	marks   marks
	inlines []Inline
	leaves  []Leaf
}

// object reads one JSON object at depth 0 (a block), 1 (a block's child) or 2
// (a link's child), checking each value's type and range as it is read.
func (r *reader) object(l loc, depth int) (node, error) {
	var n node
	switch c := r.peek(); c {
	case '{':
	case 0:
		return n, r.syntax("unexpected end of input")
	default:
		if depth == 0 {
			return n, fieldErr(l.String(), fmt.Sprintf(`must be a block object like {"type":"p","children":[{"text":""}]}, got %s`, kind(c)))
		}
		return n, fieldErr(l.String(), fmt.Sprintf(`must be an object (a text leaf like {"text":"…"} or a link), got %s`, kind(c)))
	}
	r.pos++
	if r.peek() == '}' {
		r.pos++
		return n, nil
	}
	for {
		if r.peek() != '"' {
			return n, r.syntax("expected an object key")
		}
		k, err := r.str()
		if err != nil {
			if errors.Is(err, errBadUTF8) || errors.Is(err, errSurrogate) {
				return n, fieldErr(l.String(), "has a key that is not valid UTF-8")
			}
			return n, err
		}
		if r.peek() != ':' {
			return n, r.syntax("expected ':'")
		}
		r.pos++
		bit := keyBit(k)
		switch {
		case bit == 0:
			return n, unknownKey(l, k, depth, n.seen&kType != 0)
		case n.seen&bit != 0:
			return n, fieldErr(l.key(k), "appears twice in the same object")
		case depth > 0 && bit&blockAttrs != 0:
			return n, fieldErr(l.key(k), "is a block attribute; it is not allowed on text leaves or links")
		case depth == 0 && (bit >= kMarks || bit == kAI):
			return n, fieldErr(l.key(k), "is a mark: marks belong on the text leaves in children, not on blocks")
		case depth == 0 && bit == kText:
			return n, fieldErr(l.key(k), `is not allowed on blocks: a block holds its text in children, as text leaves like {"text":"…"}`)
		case depth == 0 && bit == kURL:
			return n, fieldErr(l.key(k), `is not allowed on blocks: only links (type "a", inside a block's children) take a url, and images take a file_id`)
		}
		n.seen |= bit
		problem, err := r.value(&n, l, bit, depth)
		if err != nil {
			return n, err
		}
		if problem != "" {
			return n, fieldErr(l.key(k), problem)
		}
		more, err := r.comma('}')
		if err != nil {
			return n, err
		}
		if !more {
			return n, nil
		}
	}
}

func unknownKey(l loc, k string, depth int, isElement bool) error {
	f := l.key(k)
	switch {
	case depth == 0:
		return fieldErr(f, "is not a block attribute; blocks take type, id, children and, depending on the type, align, indent, listStyleType, listStart, file_id, alt, caption, scene_number, dual or depth")
	case isElement:
		return fieldErr(f, "is not a link attribute; links take only type, id, url and children")
	}
	return fieldErr(f, fmt.Sprintf("is not a known mark; text leaves take text, the marks %s (each true when set), and ai (a generation UUID)", markList()))
}

func markList() string {
	s := make([]string, len(markNames))
	for i, m := range markNames {
		s[i] = m.name
	}
	return strings.Join(s, ", ")
}

// value reads the value of the key with bit into n. It returns a problem with
// the value (to be reported against the key), or a syntax error.
func (r *reader) value(n *node, l loc, bit uint32, depth int) (string, error) {
	switch {
	case bit >= kMarks:
		switch c := r.peek(); c {
		case 't':
			n.marks |= marks(bit / kMarks)
			return "", r.literal("true")
		case 'f':
			if err := r.literal("false"); err != nil {
				return "", err
			}
			return "must be true when present, got false; leave the mark out to turn it off", nil
		case 0:
			return "", r.syntax("unexpected end of input")
		default:
			return fmt.Sprintf("must be true when present, got %s", kind(c)), nil
		}
	case bit == kChildren:
		if p, err := r.want('[', "an array"); p != "" || err != nil {
			return p, err
		}
		if depth >= 2 {
			return "nests elements too deeply: a link may contain only text leaves", nil
		}
		return "", r.children(n, l, depth)
	case bit == kIndent || bit == kListStart || bit == kDepth:
		if p, err := r.want('0', "an integer"); p != "" || err != nil {
			return p, err
		}
		v, p, err := r.integer()
		if p != "" || err != nil {
			return p, err
		}
		switch bit {
		case kIndent:
			n.block.Indent = v
			return indentProblem(v), nil
		case kListStart:
			n.block.ListStart = v
			return listStartProblem(v), nil
		default:
			n.block.Depth = v
			return depthProblem(v), nil
		}
	case bit == kDual:
		switch c := r.peek(); c {
		case 't':
			n.block.Dual = true
			return "", r.literal("true")
		case 'f':
			return "", r.literal("false")
		case 0:
			return "", r.syntax("unexpected end of input")
		default:
			return fmt.Sprintf("must be a boolean, got %s", kind(c)), nil
		}
	}
	// Every other key holds a string.
	if p, err := r.want('"', "a string"); p != "" || err != nil {
		return p, err
	}
	s, err := r.str()
	switch {
	case errors.Is(err, errBadUTF8):
		return "is not valid UTF-8", nil
	case errors.Is(err, errSurrogate):
		return "contains an unpaired UTF-16 surrogate escape", nil
	case err != nil:
		return "", err
	}
	switch bit {
	case kType:
		n.typ = s
		return typeProblem(s, depth), nil
	case kID:
		n.id = s
		return idProblem(s), nil
	case kText:
		n.text = s
		r.textBytes += len(s)
		if r.textBytes > MaxTextBytes {
			return "", tooMuchText()
		}
		return textProblem(s), nil
	case kURL:
		n.url = s
		return urlProblem(s), nil
	case kAI:
		n.ai = s
		return uuidProblem(s, aiWhat), nil
	case kAlign:
		n.block.Align = Align(s)
		return alignProblem(s), nil
	case kListStyleType:
		n.block.ListStyleType = ListStyle(s)
		return listStyleProblem(s), nil
	case kFileID:
		n.block.FileID = s
		return uuidProblem(s, fileIDWhat), nil
	case kAlt:
		n.block.Alt = s
		return longTextProblem(s, MaxAltLen), nil
	case kCaption:
		n.block.Caption = s
		return longTextProblem(s, MaxCaptionLen), nil
	case kSceneNumber:
		n.block.SceneNumber = s
		return sceneNumberProblem(s), nil
	}
	return "", nil
}

// typeProblem checks a "type" value for the depth it appears at.
func typeProblem(t string, depth int) string {
	switch {
	case depth == 0:
		if t == LinkType {
			return `is "a", a link: links are inline and must sit in a block's children, e.g. {"type":"p","children":[{"type":"a",…}]}`
		}
		if !knownBlockType(BlockType(t)) {
			return fmt.Sprintf("%q is not a block type; allowed types are %s", t, blockTypeList())
		}
	case t == LinkType:
		if depth == 2 {
			return "is \"a\": a link cannot contain another link; a link's children are text leaves"
		}
	case knownBlockType(BlockType(t)):
		return fmt.Sprintf("is %q, a block: blocks cannot be nested inside other elements; a block's children are text leaves and links", t)
	default:
		return fmt.Sprintf("%q is not an inline type; the only inline element is \"a\" (a link), and text leaves have no type", t)
	}
	return ""
}

// children reads the children array of an object at depth.
func (r *reader) children(n *node, l loc, depth int) error {
	r.pos++ // '['
	if r.peek() == ']' {
		r.pos++
		return nil
	}
	for i := 0; ; i++ {
		r.inlines++
		if r.inlines > MaxInlines {
			return tooManyInlines()
		}
		cl := l.at(i)
		if depth == 0 {
			in, err := r.inline(cl)
			if err != nil {
				return err
			}
			n.inlines = append(n.inlines, in)
		} else {
			c, err := r.object(cl, 2)
			if err != nil {
				return err
			}
			lf, err := c.leaf(cl)
			if err != nil {
				return err
			}
			n.leaves = append(n.leaves, lf)
		}
		more, err := r.comma(']')
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
}

// block reads one block object.
func (r *reader) block(l loc) (Block, error) {
	n, err := r.object(l, 0)
	if err != nil {
		return Block{}, err
	}
	b := n.block
	b.Type = BlockType(n.typ)
	b.ID = n.id
	b.Children = n.inlines
	switch {
	case n.seen&kType == 0:
		return b, fieldErr(l.key("type"), "is required; allowed types are "+blockTypeList())
	case n.seen&kChildren == 0:
		return b, fieldErr(l.key("children"), `is required: a block needs at least one text leaf, such as [{"text":""}]`)
	case len(b.Children) == 0:
		return b, emptyChildren(l)
	}
	if err := b.checkShape(l); err != nil {
		return b, err
	}
	if _, _, chars := b.counts(); chars > MaxBlockChars {
		return b, blockTooLong(l, chars)
	}
	return b, nil
}

// inline reads one child of a block: a text leaf or a link.
func (r *reader) inline(l loc) (Inline, error) {
	n, err := r.object(l, 1)
	if err != nil {
		return Inline{}, err
	}
	if n.seen&kType == 0 {
		lf, err := n.leaf(l)
		return Inline{Leaf: lf}, err
	}
	// A link: typeProblem has accepted only "a".
	switch {
	case n.seen&kText != 0:
		return Inline{}, fieldErr(l.key("text"), "is not allowed on links: a link holds its text in children, as text leaves")
	case n.seen&(kAI|^(kMarks-1)) != 0:
		return Inline{}, fieldErr(l.String(), "is a link, and links take no marks; put marks on the text leaves in its children")
	case n.seen&kURL == 0:
		return Inline{}, fieldErr(l.key("url"), "is required: a link needs an http, https or mailto URL")
	case n.seen&kChildren == 0:
		return Inline{}, fieldErr(l.key("children"), `is required: a link needs at least one text leaf, such as [{"text":"…"}]`)
	case len(n.leaves) == 0:
		return Inline{}, emptyChildren(l)
	}
	return Inline{Link: &Link{ID: n.id, URL: n.url, Children: n.leaves}}, nil
}

// leaf turns an object without a type into a text leaf.
func (n *node) leaf(l loc) (Leaf, error) {
	switch {
	case n.seen&kText == 0:
		return Leaf{}, fieldErr(l.key("text"), `is required: a text leaf is {"text":"…"} with optional marks, and an element needs a type`)
	case n.seen&kURL != 0:
		return Leaf{}, fieldErr(l.key("url"), `is not allowed on text leaves: only links (type "a") take a url`)
	case n.seen&kID != 0:
		return Leaf{}, fieldErr(l.key("id"), "is not allowed on text leaves: ids belong on elements")
	case n.seen&kChildren != 0:
		return Leaf{}, fieldErr(l.key("children"), "is not allowed on text leaves: a text leaf has no children, and an element needs a type")
	}
	lf := Leaf{Text: n.text, AI: n.ai}
	lf.setMarks(n.marks)
	return lf, nil
}
