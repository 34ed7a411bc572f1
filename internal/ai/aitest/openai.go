package aitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"time"
)

// OpenAIOptions shapes an OpenAI fake. The zero value gives a fast, well-behaved
// server.
type OpenAIOptions struct {
	// Reply, when set, gives the reply text for a request instead of
	// ScriptedReply(req.LastUserText()). max_tokens and stop sequences still cut it.
	Reply func(req ParsedRequest) string
	// Script, when set, picks a fault for request n (from 0); see Sequence.
	// FaultOverloaded answers 503 here.
	Script func(n int, req ParsedRequest) Fault
	// ChunkSplit sends every line in random pieces of 1–16 bytes, cutting lines
	// and multi-byte characters; Seed makes the pieces reproducible.
	ChunkSplit bool
	Seed       uint64
	// FirstTokenDelay is waited after the role chunk, before the first content;
	// TokenDelay between content chunks.
	FirstTokenDelay time.Duration
	TokenDelay      time.Duration
}

// OpenAI is a fake OpenAI-compatible server. It serves POST
// /v1/chat/completions, streaming only, and does no prompt caching.
type OpenAI struct {
	// URL is the server's root; BaseURL is URL + "/v1", the API root that
	// ai.OpenAIConfig.BaseURL and other OpenAI clients take.
	URL     string
	BaseURL string

	c *core
}

// NewOpenAI starts a fake OpenAI-compatible server. Call Close when done.
func NewOpenAI(opts OpenAIOptions) *OpenAI {
	f := &OpenAI{c: &core{
		seed: opts.Seed, chunkSplit: opts.ChunkSplit,
		firstTokenDelay: opts.FirstTokenDelay, tokenDelay: opts.TokenDelay,
		script: opts.Script, reply: opts.Reply,
	}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", f.serveCompletions)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.fail(w, -1, http.StatusNotFound, "invalid_request_error", "aitest: no route for "+r.Method+" "+r.URL.Path, Fault{})
	})
	f.c.start(mux)
	f.URL = f.c.srv.URL
	f.BaseURL = f.URL + "/v1"
	return f
}

// Close stops the server, ending stalled streams first.
func (f *OpenAI) Close() { f.c.close() }

// Requests returns every request to /v1/chat/completions so far, in order of arrival.
func (f *OpenAI) Requests() []ParsedRequest { return f.c.requests() }

// Stats returns the totals so far.
func (f *OpenAI) Stats() Stats { return f.c.totals() }

// parseOpenAI reads a chat completions body into a ParsedRequest and its prompt
// token count.
func parseOpenAI(body []byte) (ParsedRequest, int, error) {
	var req ParsedRequest
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return req, 0, invalidf("We could not parse the JSON body of your request: %v", err)
	}
	for k := range fields {
		req.Fields = append(req.Fields, k)
	}
	slices.Sort(req.Fields)
	var wire struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		Stream        bool `json:"stream"`
		StreamOptions *struct {
			IncludeUsage bool `json:"include_usage"`
		} `json:"stream_options"`
		MaxTokens           *int            `json:"max_tokens"`
		MaxCompletionTokens *int            `json:"max_completion_tokens"`
		Temperature         *float64        `json:"temperature"`
		Stop                json.RawMessage `json:"stop"`
	}
	if err := json.Unmarshal(body, &wire); err != nil {
		return req, 0, invalidf("We could not parse the JSON body of your request: %v", err)
	}
	req.Model, req.Stream, req.Temperature = wire.Model, wire.Stream, wire.Temperature
	req.IncludeUsage = wire.StreamOptions != nil && wire.StreamOptions.IncludeUsage
	switch {
	case wire.MaxCompletionTokens != nil:
		req.MaxTokens = *wire.MaxCompletionTokens
	case wire.MaxTokens != nil:
		req.MaxTokens = *wire.MaxTokens
	}
	if stop := bytes.TrimSpace(wire.Stop); len(stop) > 0 && string(stop) != "null" {
		if stop[0] == '"' {
			var s string
			if err := json.Unmarshal(stop, &s); err != nil {
				return req, 0, invalidf("stop: %v", err)
			}
			req.StopSequences = []string{s}
		} else if err := json.Unmarshal(stop, &req.StopSequences); err != nil {
			return req, 0, invalidf("stop: %v", err)
		}
	}
	tokens := 0
	for i, m := range wire.Messages {
		blocks, err := openaiContent(m.Content)
		if err != nil {
			return req, 0, invalidf("messages[%d].content: %v", i, err)
		}
		for _, b := range blocks {
			tokens += Tokens(b.Text)
		}
		switch m.Role {
		case "system", "developer":
			req.System = append(req.System, blocks...)
		case "user", "assistant", "tool":
			req.Messages = append(req.Messages, Message{Role: m.Role, Blocks: blocks})
		default:
			return req, 0, invalidf("messages[%d].role: %q is not one of system, developer, user, assistant, tool", i, m.Role)
		}
	}
	switch {
	case req.Model == "":
		return req, 0, errInvalid("you must provide a model parameter")
	case len(wire.Messages) == 0:
		return req, 0, errInvalid("messages: must not be empty")
	case req.MaxTokens < 0 || (req.MaxTokens == 0 && (wire.MaxTokens != nil || wire.MaxCompletionTokens != nil)):
		return req, 0, invalidf("max_tokens: %d is less than the minimum of 1", req.MaxTokens)
	case !req.Stream:
		return req, 0, errInvalid("aitest: the fake serves streaming requests only; set stream to true")
	}
	return req, tokens, nil
}

// openaiContent reads message content: a string, an array of parts, or null.
func openaiContent(raw json.RawMessage) ([]Block, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return []Block{{Type: "text", Text: s}}, err
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &parts); err != nil {
		return nil, err
	}
	blocks := make([]Block, len(parts))
	for i, p := range parts {
		blocks[i] = Block{Type: p.Type, Text: p.Text}
	}
	return blocks, nil
}

func (f *OpenAI) serveCompletions(w http.ResponseWriter, r *http.Request) {
	body, readErr := io.ReadAll(r.Body)
	rec := f.c.begin(r, len(body))
	if readErr != nil {
		f.fail(w, rec.N, http.StatusBadRequest, "invalid_request_error", "aitest: read body: "+readErr.Error(), Fault{})
		return
	}
	req, promptTokens, err := parseOpenAI(body)
	req.N, req.Path, req.Header, req.BodyBytes = rec.N, rec.Path, rec.Header, rec.BodyBytes
	f.c.update(req)
	if err != nil {
		f.fail(w, req.N, http.StatusBadRequest, "invalid_request_error", err.Error(), Fault{})
		return
	}
	fault := f.c.fault(req)
	if fault.Kind == FaultStallHeaders && !f.c.wait(r.Context(), fault.Stall, true) {
		return
	}
	if fault.status() {
		f.failWith(w, req.N, fault)
		return
	}
	f.stream(w, r, req, promptTokens, fault)
}

// failWith answers with the error status a fault asks for.
func (f *OpenAI) failWith(w http.ResponseWriter, n int, fault Fault) {
	status, typ, msg := fault.Status, "server_error", "The server had an error while processing your request."
	switch fault.Kind {
	case FaultRateLimit:
		status, typ, msg = http.StatusTooManyRequests, "requests", "Rate limit reached for requests"
		if fault.RetryAfter <= 0 {
			fault.RetryAfter = time.Second
		}
	case FaultOverloaded:
		status, msg = http.StatusServiceUnavailable, "The server is overloaded or not ready yet."
	case FaultServerError:
		status = http.StatusInternalServerError
	default:
		if status == 0 {
			status = http.StatusInternalServerError
		}
		msg = http.StatusText(status)
		if status < 500 {
			typ = "invalid_request_error"
		}
	}
	typ, msg = fault.errorText(typ, msg)
	f.fail(w, n, status, typ, msg, fault)
}

// fail answers status with OpenAI's error body. n < 0 marks a request that is
// not in the log.
func (f *OpenAI) fail(w http.ResponseWriter, n, status int, typ, msg string, fault Fault) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Request-Id", requestID("req", max(n, 0)))
	setRetryHeaders(h, fault)
	var code any
	if status == http.StatusTooManyRequests {
		code = "rate_limit_exceeded"
		wait := max(fault.RetryAfter, time.Second)
		h.Set("x-ratelimit-limit-requests", "10000")
		h.Set("x-ratelimit-remaining-requests", "0")
		h.Set("x-ratelimit-reset-requests", wait.String())
		h.Set("x-ratelimit-limit-tokens", "2000000")
		h.Set("x-ratelimit-remaining-tokens", "0")
		h.Set("x-ratelimit-reset-tokens", wait.String())
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": code},
	})
	if n >= 0 {
		f.c.setStatus(n, status)
	}
}

// stream answers a valid request with chat.completion.chunk lines, a
// finish_reason, usage when asked for, and [DONE], breaking off where the fault
// says.
func (f *OpenAI) stream(w http.ResponseWriter, r *http.Request, req ParsedRequest, promptTokens int, fault Fault) {
	ctx := r.Context()
	budget := req.MaxTokens
	if budget == 0 {
		budget = -1
	}
	text := makePlan(f.c.replyText(req), budget, req.StopSequences)
	id := requestID("chatcmpl", req.N)
	created := time.Now().Unix()

	w.Header().Set("X-Request-Id", requestID("req", req.N))
	s := f.c.newStream(w, r, req.N)
	f.c.setStatus(req.N, http.StatusOK)
	f.c.addStats(func(st *Stats) { st.InputTokens += promptTokens })

	chunk := func(choices []any, usage any) bool {
		c := map[string]any{"id": id, "object": "chat.completion.chunk", "created": created, "model": req.Model, "choices": choices}
		if req.IncludeUsage {
			c["usage"] = usage
		}
		data, err := json.Marshal(c)
		if err != nil {
			panic("aitest: marshal chunk: " + err.Error()) // only our own maps get here
		}
		return s.write("data: " + string(data) + "\n\n")
	}
	choice := func(delta map[string]any, finish any) []any {
		return []any{map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish}}
	}

	if !chunk(choice(map[string]any{"role": "assistant", "content": ""}, nil), nil) ||
		!f.c.wait(ctx, f.c.firstTokenDelay, false) {
		return
	}
	ok := f.c.sendDeltas(ctx, text.deltas, fault, func(d string) bool {
		return chunk(choice(map[string]any{"content": d}, nil), nil)
	}, func() {
		typ, msg := fault.errorText("server_error", "The server had an error while processing your request.")
		data, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}})
		s.write("data: " + string(data) + "\n\n")
	})
	if !ok {
		return
	}

	finish := "stop"
	if text.stopReason == "max_tokens" {
		finish = "length"
	}
	if !chunk(choice(map[string]any{}, finish), nil) {
		return
	}
	if req.IncludeUsage {
		usage := map[string]any{
			"prompt_tokens":             promptTokens,
			"completion_tokens":         text.tokens,
			"total_tokens":              promptTokens + text.tokens,
			"prompt_tokens_details":     map[string]any{"cached_tokens": 0},
			"completion_tokens_details": map[string]any{"reasoning_tokens": 0},
		}
		if !chunk([]any{}, usage) {
			return
		}
	}
	s.write("data: [DONE]\n\n")
}
