// Package document owns the one content model of AuthorWorks: the JSON
// document that holds the text of every chapter and scene, in the shape the
// Plate.js (Slate) editor edits natively.
//
// A document is a JSON array of block elements. Each block is an object
// {"type": ..., "children": [...], ...attributes}; a block's children are text
// leaves {"text": ..., ...marks} and link elements {"type": "a", "url": ...,
// "children": [text leaves]}. Parse validates a document strictly against this
// schema, so stored content holds no markup, scripts or URLs that could be
// injected into a page: everything that reaches a renderer is plain text,
// a closed set of marks, a vetted http/https/mailto URL or a stored-file id.
//
// The package also derives plain text and word counts from a document, and
// converts documents to and from Markdown (prose) and Fountain (screenplays).
// docs/document-model.md describes the schema for API clients.
package document

// Doc is a document: the ordered blocks of a chapter or scene. It marshals to
// the canonical JSON array (never null; [] when empty).
type Doc []Block

// BlockType names the kind of a block element; its value is the JSON "type".
type BlockType string

// Prose blocks.
const (
	Paragraph  BlockType = "p"
	Heading1   BlockType = "h1"
	Heading2   BlockType = "h2"
	Heading3   BlockType = "h3"
	Blockquote BlockType = "blockquote"
	SceneBreak BlockType = "scene_break"
	Image      BlockType = "img"
)

// Screenplay blocks. SceneHeading, Character, Parenthetical and Dialogue are
// shared with stage plays.
const (
	SceneHeading  BlockType = "scene_heading"
	Action        BlockType = "action"
	Character     BlockType = "character"
	Parenthetical BlockType = "parenthetical"
	Dialogue      BlockType = "dialogue"
	Transition    BlockType = "transition"
	Shot          BlockType = "shot"
	Centered      BlockType = "centered"
	Lyrics        BlockType = "lyrics"
	PageBreak     BlockType = "page_break"
	Section       BlockType = "section"
	Synopsis      BlockType = "synopsis"
	Note          BlockType = "note"
)

// Stage play blocks (besides the shared screenplay ones).
const (
	ActHeading     BlockType = "act_heading"
	StageDirection BlockType = "stage_direction"
)

// LinkType is the JSON "type" of the one inline element, a link.
const LinkType = "a"

// Align is the horizontal alignment of a paragraph or heading.
type Align string

// The alignments.
const (
	AlignLeft    Align = "left"
	AlignCenter  Align = "center"
	AlignRight   Align = "right"
	AlignJustify Align = "justify"
)

// ListStyle is the list marker of a paragraph in Plate's indent lists.
type ListStyle string

// The list styles.
const (
	ListDisc    ListStyle = "disc"
	ListDecimal ListStyle = "decimal"
)

// Limits that Parse and Validate enforce. Exceeding one is an Invalid error on
// the field "content".
const (
	// MaxBlocks is the most blocks a document may hold.
	MaxBlocks = 20_000
	// MaxTextBytes is the most bytes of text (UTF-8) all leaves may hold together.
	MaxTextBytes = 2_000_000
	// MaxBlockChars is the most characters (code points) of text in one block.
	MaxBlockChars = 100_000
	// MaxInlines is the most inline nodes (text leaves and links, counted
	// separately) a document may hold. It bounds documents made of many empty
	// leaves, which the text limits do not.
	MaxInlines = 200_000
)

// Limits on attribute values.
const (
	MaxIDLen          = 64
	MaxURLLen         = 2000
	MaxAltLen         = 500
	MaxCaptionLen     = 1000
	MaxSceneNumberLen = 10
	MaxIndent         = 6
	// MaxListStart is the largest list number; CommonMark list markers have at
	// most nine digits, so larger numbers could not be written as Markdown.
	MaxListStart = 999_999_999
	MaxDepth     = 3
)

// Block is one block element. Attributes a block type does not allow must be
// left at their zero value, which also means "absent" in JSON.
type Block struct {
	Type BlockType
	// ID is the optional element id Plate assigns (1–64 characters of
	// letters, digits, '-', '_', ':' and '.').
	ID string

	// Align applies to p, h1, h2 and h3.
	Align Align
	// Indent (0–6), ListStyleType and ListStart (≥ 1) apply to p: Plate's
	// indent lists, where a list item is a paragraph with an indent level and
	// a list style, and ListStart is the item's number.
	Indent        int
	ListStyleType ListStyle
	ListStart     int

	// FileID (required), Alt and Caption apply to img. FileID names a stored
	// file; images never carry a URL.
	FileID  string
	Alt     string
	Caption string

	// SceneNumber applies to scene_heading.
	SceneNumber string
	// Dual marks a character cue as the second speaker of dual dialogue.
	Dual bool
	// Depth (1–3) applies to section; zero means absent.
	Depth int

	Children []Inline
}

// Inline is one child of a block: a text leaf, or a link when Link is set
// (then Leaf is unused and must be zero).
type Inline struct {
	Leaf Leaf
	Link *Link
}

// IsLink reports whether the inline is a link.
func (in Inline) IsLink() bool { return in.Link != nil }

// Link is an inline link element ("type": "a").
type Link struct {
	ID       string
	URL      string
	Children []Leaf
}

// Leaf is a run of text with its marks. A mark that is set is written as the
// JSON value true; AI, when set, is the UUID of the generation that wrote the
// text (its provenance).
type Leaf struct {
	Text          string
	Bold          bool
	Italic        bool
	Underline     bool
	Strikethrough bool
	Code          bool
	Superscript   bool
	Subscript     bool
	Highlight     bool
	AI            string
}

// Text returns an inline holding a text leaf without marks.
func Text(s string) Inline { return Inline{Leaf: Leaf{Text: s}} }

// marks is a bit set of the boolean marks of a leaf.
type marks uint16

const (
	markBold marks = 1 << iota
	markItalic
	markUnderline
	markStrikethrough
	markCode
	markSuperscript
	markSubscript
	markHighlight
)

// markNames lists the boolean marks in canonical order, with their bits.
var markNames = [...]struct {
	name string
	bit  marks
}{
	{"bold", markBold},
	{"italic", markItalic},
	{"underline", markUnderline},
	{"strikethrough", markStrikethrough},
	{"code", markCode},
	{"superscript", markSuperscript},
	{"subscript", markSubscript},
	{"highlight", markHighlight},
}

func (l Leaf) marks() marks {
	var m marks
	if l.Bold {
		m |= markBold
	}
	if l.Italic {
		m |= markItalic
	}
	if l.Underline {
		m |= markUnderline
	}
	if l.Strikethrough {
		m |= markStrikethrough
	}
	if l.Code {
		m |= markCode
	}
	if l.Superscript {
		m |= markSuperscript
	}
	if l.Subscript {
		m |= markSubscript
	}
	if l.Highlight {
		m |= markHighlight
	}
	return m
}

func (l *Leaf) setMarks(m marks) {
	l.Bold = m&markBold != 0
	l.Italic = m&markItalic != 0
	l.Underline = m&markUnderline != 0
	l.Strikethrough = m&markStrikethrough != 0
	l.Code = m&markCode != 0
	l.Superscript = m&markSuperscript != 0
	l.Subscript = m&markSubscript != 0
	l.Highlight = m&markHighlight != 0
}

// sameMarks reports whether two leaves carry the same marks and provenance.
func sameMarks(a, b Leaf) bool { return a.marks() == b.marks() && a.AI == b.AI }

// blockTypes lists every block type in the order the docs present them.
var blockTypes = []BlockType{
	Paragraph, Heading1, Heading2, Heading3, Blockquote, SceneBreak, Image,
	SceneHeading, Action, Character, Parenthetical, Dialogue, Transition, Shot,
	Centered, Lyrics, PageBreak, Section, Synopsis, Note,
	ActHeading, StageDirection,
}

func knownBlockType(t BlockType) bool {
	for _, k := range blockTypes {
		if k == t {
			return true
		}
	}
	return false
}

// isVoid reports whether blocks of type t hold no text: their children must be
// exactly one empty leaf.
func isVoid(t BlockType) bool { return t == SceneBreak || t == Image || t == PageBreak }
