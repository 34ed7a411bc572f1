package aitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// maxCacheMarkers is the Messages API's limit on cache_control markers.
const maxCacheMarkers = 4

// errInvalid is an invalid_request_error; its text is the message sent back.
type errInvalid string

func (e errInvalid) Error() string { return string(e) }

func invalidf(format string, args ...any) error { return errInvalid(fmt.Sprintf(format, args...)) }

// anthropicRules says what a parse must enforce beyond well-formed JSON.
type anthropicRules struct {
	generate        bool // a /v1/messages call: max_tokens and stream matter
	maxOutputTokens int
}

// parseAnthropic reads a Messages API body into a ParsedRequest and its cache
// segments, and refuses what the real API refuses. Header, N and the other
// transport fields are left for the caller.
func parseAnthropic(body []byte, rules anthropicRules) (ParsedRequest, []segment, error) {
	var req ParsedRequest
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return req, nil, invalidf("There was an error parsing the body of your request: %v", err)
	}
	for k := range fields {
		req.Fields = append(req.Fields, k)
	}
	slices.Sort(req.Fields)

	var wire struct {
		Model     string          `json:"model"`
		MaxTokens *int            `json:"max_tokens"`
		System    json.RawMessage `json:"system"`
		Messages  []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		StopSequences []string        `json:"stop_sequences"`
		Stream        bool            `json:"stream"`
		CacheControl  json.RawMessage `json:"cache_control"`
	}
	if err := json.Unmarshal(body, &wire); err != nil {
		return req, nil, invalidf("There was an error parsing the body of your request: %v", err)
	}
	req.Model, req.StopSequences, req.Stream = wire.Model, wire.StopSequences, wire.Stream
	if wire.MaxTokens != nil {
		req.MaxTokens = *wire.MaxTokens
	}

	var segs []segmentInput
	var err error
	req.System, segs, err = parseContent(wire.System, "system", -1, segs)
	if err != nil {
		return req, nil, fmt.Errorf("system: %w", err)
	}
	for i, m := range wire.Messages {
		if m.Role != "user" && m.Role != "assistant" {
			return req, nil, invalidf("messages.%d.role: Input should be 'user' or 'assistant'", i)
		}
		if len(bytes.TrimSpace(m.Content)) == 0 || string(m.Content) == "null" {
			return req, nil, invalidf("messages.%d.content: Field required", i)
		}
		var blocks []Block
		blocks, segs, err = parseContent(m.Content, m.Role, i, segs)
		if err != nil {
			return req, nil, fmt.Errorf("messages.%d.content: %w", i, err)
		}
		req.Messages = append(req.Messages, Message{Role: m.Role, Blocks: blocks})
	}
	if len(wire.CacheControl) > 0 && string(wire.CacheControl) != "null" {
		var cc any
		if err := json.Unmarshal(wire.CacheControl, &cc); err != nil {
			return req, nil, invalidf("cache_control: %v", err)
		}
		ttl, err := cacheTTL(cc)
		if err != nil {
			return req, nil, fmt.Errorf("cache_control: %w", err)
		}
		req.AutoCache = true
		if len(segs) > 0 && !segs[len(segs)-1].cache {
			segs[len(segs)-1].cache, segs[len(segs)-1].ttl = true, ttl
		}
	}

	switch {
	case req.Model == "":
		return req, nil, errInvalid("model: Field required")
	case len(req.Messages) == 0:
		return req, nil, errInvalid("messages: at least one message is required")
	}
	if rules.generate {
		for _, k := range []string{"temperature", "top_p", "top_k"} {
			if _, ok := fields[k]; ok {
				return req, nil, invalidf("%s: this parameter is not supported by this model or API version", k)
			}
		}
		switch {
		case wire.MaxTokens == nil:
			return req, nil, errInvalid("max_tokens: Field required")
		case req.MaxTokens < 1:
			return req, nil, invalidf("max_tokens: Input should be greater than or equal to 1, got %d", req.MaxTokens)
		case req.MaxTokens > rules.maxOutputTokens:
			return req, nil, invalidf("max_tokens: %d > %d, which is the maximum allowed number of output tokens for %s",
				req.MaxTokens, rules.maxOutputTokens, req.Model)
		}
	}
	if n := req.CacheMarkers(); n > maxCacheMarkers {
		return req, nil, invalidf("A maximum of %d blocks with cache_control may be provided. Found %d.", maxCacheMarkers, n)
	}
	if rules.generate && !req.Stream {
		return req, nil, errInvalid("aitest: the fake serves streaming requests only; set stream to true")
	}
	return req, chainSegments(req.Model, segs), nil
}

// parseContent reads a string or an array of content blocks, appending a segment
// per block to segs.
func parseContent(raw json.RawMessage, role string, msg int, segs []segmentInput) ([]Block, []segmentInput, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, segs, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, segs, errInvalid(err.Error())
		}
		canon, _ := json.Marshal(map[string]any{"type": "text", "text": s})
		segs = append(segs, segmentInput{role: role, msg: msg, canon: canon, tokens: Tokens(s)})
		return []Block{{Type: "text", Text: s}}, segs, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var items []map[string]any
	if err := dec.Decode(&items); err != nil {
		return nil, segs, invalidf("Input should be a valid string or list of content blocks: %v", err)
	}
	blocks := make([]Block, 0, len(items))
	for i, item := range items {
		b := Block{}
		b.Type, _ = item["type"].(string)
		if b.Type == "" {
			return nil, segs, invalidf("%d.type: Field required", i)
		}
		if cc, ok := item["cache_control"]; ok && cc != nil {
			ttl, err := cacheTTL(cc)
			if err != nil {
				return nil, segs, fmt.Errorf("%d.cache_control: %w", i, err)
			}
			b.Cache, b.TTL = true, ttl
		}
		delete(item, "cache_control")
		canon, err := json.Marshal(item)
		if err != nil {
			return nil, segs, invalidf("%d: %v", i, err)
		}
		tokens := Tokens(string(canon))
		if b.Type == "text" {
			b.Text, _ = item["text"].(string)
			tokens = Tokens(b.Text)
		}
		blocks = append(blocks, b)
		segs = append(segs, segmentInput{role: role, msg: msg, canon: canon, tokens: tokens, cache: b.Cache, ttl: b.TTL})
	}
	return blocks, segs, nil
}

// cacheTTL reads a cache_control value: {"type":"ephemeral"} with an optional
// "ttl" of "5m" or "1h".
func cacheTTL(v any) (time.Duration, error) {
	cc, ok := v.(map[string]any)
	if !ok {
		return 0, errInvalid("Input should be an object")
	}
	if cc["type"] != "ephemeral" {
		return 0, errInvalid("type: Input should be 'ephemeral'")
	}
	switch cc["ttl"] {
	case nil, "5m":
		return 5 * time.Minute, nil
	case "1h":
		return time.Hour, nil
	}
	return 0, errInvalid("ttl: Input should be '5m' or '1h'")
}
