package importer

import (
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
)

// Format is a manuscript file format Parse reads.
type Format string

// The formats.
const (
	DOCX      Format = "docx"     // Word 2007+ (.docx, .docm, .dotx)
	ODT       Format = "odt"      // OpenDocument text (.odt, .ott)
	Markdown  Format = "markdown" // CommonMark with GitHub strikethrough
	PlainText Format = "text"     // UTF-8 (or UTF-16 with a BOM) text
	Fountain  Format = "fountain" // Fountain 1.1 screenplay
	FDX       Format = "fdx"      // Final Draft XML screenplay
)

// Formats lists every format Parse reads, for validating a format a client
// names.
var Formats = []Format{DOCX, ODT, Markdown, PlainText, Fountain, FDX}

// The content types of a manuscript, which are story content types of the
// content service. Imports never guess "play": a stage play in Fountain or
// FDX reads as a screenplay, and the writer can change the type.
const (
	Novel      = "novel"
	Screenplay = "screenplay"
)

// Default limits: see Options.
const (
	DefaultMaxFileBytes  = 50 << 20
	DefaultMaxPartBytes  = 64 << 20
	DefaultMaxEntries    = 1000
	DefaultMaxRatio      = 200
	DefaultMaxChars      = 5_000_000
	DefaultMaxParagraphs = 200_000
	DefaultMaxChapters   = 2000
	DefaultMaxDepth      = 256
	DefaultMaxElements   = 2_000_000
)

// Options tune Parse. The zero value of each limit means its default.
type Options struct {
	// Name is the uploaded file's name. Its base name without the extension
	// is the manuscript's title when the file names none.
	Name string
	// SplitScenes makes every scene heading of a screenplay start a chapter,
	// instead of one chapter per act.
	SplitScenes bool

	// MaxFileBytes is the largest file accepted (50 MiB).
	MaxFileBytes int64
	// MaxPartBytes is the largest uncompressed size of the text part of a
	// zip container, word/document.xml or content.xml (64 MiB); the other
	// parts read (relationships, styles, metadata) get at most 8 MiB.
	MaxPartBytes int64
	// MaxEntries is the most entries a zip container may hold (1,000).
	MaxEntries int
	// MaxRatio is the largest compression ratio allowed for a part once
	// more than 1 MiB of it has been decompressed (200:1; XML compresses
	// about 5–20:1, a zip bomb about 1,000:1).
	MaxRatio int
	// MaxChars is the most characters of text a manuscript may hold
	// (5,000,000: about 900,000 words).
	MaxChars int
	// MaxParagraphs is the most paragraphs a manuscript may hold (200,000).
	MaxParagraphs int
	// MaxChapters is the most chapters a manuscript may hold (2,000).
	MaxChapters int
	// MaxDepth is the deepest XML element nesting accepted (256).
	MaxDepth int
	// MaxElements is the most XML elements read from one part (2,000,000;
	// a 150,000-word novel from Word has a few hundred thousand). It bounds
	// the time spent on markup that holds no text.
	MaxElements int
}

func (o Options) withDefaults() Options {
	def64 := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def64(&o.MaxFileBytes, DefaultMaxFileBytes)
	def64(&o.MaxPartBytes, DefaultMaxPartBytes)
	def(&o.MaxEntries, DefaultMaxEntries)
	def(&o.MaxRatio, DefaultMaxRatio)
	def(&o.MaxChars, DefaultMaxChars)
	def(&o.MaxParagraphs, DefaultMaxParagraphs)
	def(&o.MaxChapters, DefaultMaxChapters)
	def(&o.MaxDepth, DefaultMaxDepth)
	def(&o.MaxElements, DefaultMaxElements)
	return o
}

// Manuscript is an imported manuscript, ready to become a story.
type Manuscript struct {
	// Title is the book's title (see the package documentation).
	Title string
	// ContentType is Novel or Screenplay.
	ContentType string
	// Chapters are in reading order; there is at least one.
	Chapters []Chapter
	// Warnings tell the writer what was not carried over or was guessed,
	// in sentences fit to show them.
	Warnings []string
}

// Chapter is one chapter (an act, or a scene, of a script).
type Chapter struct {
	Title string
	// Doc is normalised and valid (document.Doc.Validate passes).
	Doc document.Doc
	// Words is Doc.WordCount().
	Words int
}

// Words is the word count of all chapters.
func (m *Manuscript) Words() int {
	n := 0
	for _, c := range m.Chapters {
		n += c.Words
	}
	return n
}

// Parse reads a manuscript of the given format from r, which holds size
// bytes. Every failure is an *errs.Error whose message can be shown to the
// writer: TooLarge when a limit of opts is exceeded, UnsupportedMedia when
// the file is not of the format, Invalid when it is damaged or its text is
// not UTF-8.
func Parse(r io.ReaderAt, size int64, format Format, opts Options) (*Manuscript, error) {
	o := opts.withDefaults()
	if size < 0 {
		return nil, errs.E(errs.Invalid, "The file size is unknown.")
	}
	if size > o.MaxFileBytes {
		return nil, errs.E(errs.TooLarge, "This file is %s; manuscripts can be at most %s.", byteSize(size), byteSize(o.MaxFileBytes))
	}
	if size == 0 {
		return nil, errs.E(errs.Invalid, "This file is empty.")
	}
	j := &job{o: o}
	var m *Manuscript
	var err error
	switch format {
	case DOCX:
		m, err = j.docx(r, size)
	case ODT:
		m, err = j.odt(r, size)
	case Markdown, PlainText, Fountain:
		var src string
		if src, err = j.readText(r, size); err == nil {
			switch format {
			case Markdown:
				m, err = j.markdown(src)
			case PlainText:
				m, err = j.plainText(src)
			default:
				m, err = j.fountain(src)
			}
		}
	case FDX:
		m, err = j.fdx(r, size)
	default:
		return nil, errs.Field("format", "format %q is not one of docx, odt, markdown, text, fountain, fdx", format)
	}
	if err != nil {
		return nil, err
	}
	if m.Title == "" {
		m.Title = cleanTitle(titleFromName(o.Name))
	}
	m.Warnings = j.warn.list()
	return m, nil
}

// titleFromName is the base name of a file without its extension.
func titleFromName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" {
		return ""
	}
	return strings.TrimSuffix(name, path.Ext(name))
}

// job holds the state of one Parse: the options, what has been produced so
// far (to enforce the limits as it grows) and the warnings.
type job struct {
	o     Options
	chars int
	paras int
	warn  warnings
}

// addText counts n more characters of text against MaxChars.
func (j *job) addText(n int) error {
	j.chars += n
	if j.chars > j.o.MaxChars {
		return errs.E(errs.TooLarge, "This manuscript holds more than %s characters of text, the most one import can take. Split it into several files.", count(j.o.MaxChars))
	}
	return nil
}

// addPara counts one more paragraph against MaxParagraphs.
func (j *job) addPara() error {
	j.paras++
	if j.paras > j.o.MaxParagraphs {
		return errs.E(errs.TooLarge, "This manuscript holds more than %s paragraphs, the most one import can take. Split it into several files.", count(j.o.MaxParagraphs))
	}
	return nil
}

// warnings collects distinct warnings, at most maxWarnings of them.
type warnings struct {
	msgs []string
	seen map[string]bool
}

const maxWarnings = 20

func (w *warnings) add(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if w.seen[msg] || len(w.msgs) >= maxWarnings {
		return
	}
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	w.seen[msg] = true
	w.msgs = append(w.msgs, msg)
}

func (w *warnings) list() []string {
	if w.msgs == nil {
		return []string{}
	}
	return w.msgs
}
