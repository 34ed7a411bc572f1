package aitest

import (
	"net/http"
	"strings"
	"time"
)

// Block is one content block of a recorded request: a system block, or one block
// of a message's content.
type Block struct {
	Type string // "text", or the block's type for images, tool results and the like
	Text string // the text of a text block; empty for other types
	// Cache is set when the block carried cache_control, TTL to its lifetime
	// (5m unless the marker said "1h"; zero without a marker).
	Cache bool
	TTL   time.Duration
}

// Message is one turn of a recorded request. Content sent as a plain string is
// recorded as one text block.
type Message struct {
	Role   string
	Blocks []Block
}

// Text returns the message's text blocks joined without separators.
func (m Message) Text() string {
	var b strings.Builder
	for _, bl := range m.Blocks {
		b.WriteString(bl.Text)
	}
	return b.String()
}

// ParsedRequest is what a fake understood of one request to its generation
// endpoint. Requests that were refused before parsing (413) carry only N, Path,
// Header, BodyBytes and Status.
type ParsedRequest struct {
	N         int // request number, from 0, in order of arrival
	Path      string
	Header    http.Header
	BodyBytes int
	// Fields lists the top-level JSON keys of the body, sorted, so a test can
	// assert that a parameter was or was not sent.
	Fields []string

	Model string
	// System holds the system prompt: the Anthropic system blocks, or the OpenAI
	// messages with role system or developer.
	System        []Block
	Messages      []Message
	MaxTokens     int // 0 when absent; OpenAI's max_completion_tokens counts too
	StopSequences []string
	Stream        bool
	// AutoCache is set when an Anthropic request carried a top-level
	// cache_control, which puts a breakpoint on the last block.
	AutoCache bool
	// Temperature and IncludeUsage are read from OpenAI requests only; the
	// Anthropic fake refuses temperature.
	Temperature  *float64
	IncludeUsage bool

	// Status is the HTTP status the fake answered with: 0 in the copy passed to
	// a Script or Reply function, which runs before the answer, and when the
	// client left before any answer (during FaultStallHeaders).
	Status int
}

// LastUserText returns the text of the last user message, or "" when there is none.
func (r ParsedRequest) LastUserText() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Text()
		}
	}
	return ""
}

// CacheMarkers counts the cache_control markers of the request, the automatic
// one included.
func (r ParsedRequest) CacheMarkers() int {
	n := 0
	if r.AutoCache {
		n++
	}
	for _, b := range r.System {
		if b.Cache {
			n++
		}
	}
	for _, m := range r.Messages {
		for _, b := range m.Blocks {
			if b.Cache {
				n++
			}
		}
	}
	return n
}
