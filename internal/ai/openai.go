package ai

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// OpenAIConfig configures an OpenAIProvider.
type OpenAIConfig struct {
	// BaseURL is the API root, e.g. "http://localhost:11434/v1"; required.
	BaseURL string
	// APIKey is sent as a Bearer token when set; local servers usually need none.
	APIKey string
	// Model is used when a Request names none.
	Model string
	// MaxTokens is used when a Request sets none; 0 leaves it to the server.
	MaxTokens int
	// Temperature is sent only when set, so the server's default applies otherwise.
	Temperature *float64
	// IdleTimeout cancels a call when no bytes arrived for that long (default 90s).
	// It replaces an overall timeout, which would cut long generations short.
	IdleTimeout time.Duration
	// Retry bounds retries; the zero value means DefaultRetry.
	Retry RetryPolicy
	// HTTPClient defaults to a client without an overall timeout.
	HTTPClient *http.Client
}

// OpenAIProvider streams from any server speaking the OpenAI chat completions API:
// Ollama, vLLM, llama.cpp and OpenAI itself.
type OpenAIProvider struct {
	cfg OpenAIConfig
}

var _ Provider = (*OpenAIProvider)(nil)

const openaiDefaultIdle = 90 * time.Second

// errOpenAIIdle is the cancel cause set by the idle watchdog.
var errOpenAIIdle = errors.New("no data from the server")

// NewOpenAI returns a provider for the server at cfg.BaseURL.
func NewOpenAI(cfg OpenAIConfig) (*OpenAIProvider, error) {
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if cfg.BaseURL == "" {
		return nil, errors.New("ai: openai: base URL is required")
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = openaiDefaultIdle
	}
	if cfg.Retry.Attempts == 0 {
		cfg.Retry = DefaultRetry
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	return &OpenAIProvider{cfg: cfg}, nil
}

// Name returns "openai".
func (p *OpenAIProvider) Name() string { return "openai" }

type openaiMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type openaiStreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

type openaiRequest struct {
	Model         string              `json:"model"`
	Messages      []openaiMessage     `json:"messages"`
	Stream        bool                `json:"stream"`
	StreamOptions openaiStreamOptions `json:"stream_options"`
	// max_tokens rather than max_completion_tokens: it is the one local servers accept.
	MaxTokens   int      `json:"max_tokens,omitempty"`
	Temperature *float64 `json:"temperature,omitempty"`
	Stop        []string `json:"stop,omitempty"`
}

type openaiChunk struct {
	ID      string `json:"id"`
	Model   string `json:"model"`
	Choices []struct {
		Delta struct {
			Content string `json:"content"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens        int `json:"prompt_tokens"`
		CompletionTokens    int `json:"completion_tokens"`
		PromptTokensDetails *struct {
			CachedTokens int `json:"cached_tokens"`
		} `json:"prompt_tokens_details"`
	} `json:"usage"`
	Error json.RawMessage `json:"error"`
}

func (p *OpenAIProvider) model(req Request) string {
	if req.Model != "" {
		return req.Model
	}
	return p.cfg.Model
}

func (p *OpenAIProvider) requestBody(req Request) ([]byte, error) {
	body := openaiRequest{
		Model:         p.model(req),
		Stream:        true,
		StreamOptions: openaiStreamOptions{IncludeUsage: true},
		MaxTokens:     req.MaxTokens,
		Temperature:   p.cfg.Temperature,
		Stop:          req.StopSequences,
	}
	if body.MaxTokens == 0 {
		body.MaxTokens = p.cfg.MaxTokens
	}
	// Caching is not a concept here, so the blocks become one system message.
	var system []string
	for _, b := range req.System {
		if b.Text != "" {
			system = append(system, b.Text)
		}
	}
	if len(system) > 0 {
		body.Messages = append(body.Messages, openaiMessage{Role: "system", Content: strings.Join(system, "\n\n")})
	}
	for _, m := range req.Messages {
		body.Messages = append(body.Messages, openaiMessage{Role: m.Role, Content: m.Text})
	}
	return json.Marshal(body)
}

// Stream sends req and streams the reply to onDelta. A call is retried only while no
// text has reached onDelta. If onDelta fails, Stream stops and returns the partial
// Result with that error.
func (p *OpenAIProvider) Stream(ctx context.Context, req Request, onDelta func(text string) error) (*Result, error) {
	body, err := p.requestBody(req)
	if err != nil {
		return nil, fmt.Errorf("ai: openai: encode request: %w", err)
	}
	start := time.Now()
	sent := false
	deliver := func(s string) error {
		sent = true
		return onDelta(s)
	}
	var res *Result
	err = Retry(ctx, p.cfg.Retry, func() bool { return sent }, func() error {
		var callErr error
		res, callErr = p.call(ctx, body, p.model(req), deliver)
		return callErr
	})
	if res != nil {
		res.Latency = time.Since(start)
	}
	return res, err
}

// openaiIdleReader resets the watchdog on every read that brought bytes.
type openaiIdleReader struct {
	r     io.Reader
	timer *time.Timer
	idle  time.Duration
}

func (r *openaiIdleReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	if n > 0 {
		r.timer.Reset(r.idle)
	}
	return n, err
}

func (p *OpenAIProvider) call(ctx context.Context, body []byte, model string, onDelta func(string) error) (*Result, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	idle := p.cfg.IdleTimeout
	timer := time.AfterFunc(idle, func() { cancel(errOpenAIIdle) })
	defer timer.Stop()

	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, p.cfg.BaseURL+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("ai: openai: %w", err)
	}
	httpReq.Header.Set("Content-Type", "application/json")
	httpReq.Header.Set("Accept", "text/event-stream")
	if p.cfg.APIKey != "" {
		httpReq.Header.Set("Authorization", "Bearer "+p.cfg.APIKey)
	}
	resp, err := p.cfg.HTTPClient.Do(httpReq)
	if err != nil {
		if errors.Is(context.Cause(ctx), errOpenAIIdle) {
			return &Result{Provider: p.Name(), Model: model, Partial: true},
				fmt.Errorf("ai: openai: no response for %s: %w", idle, ErrIncomplete)
		}
		return nil, fmt.Errorf("ai: openai: %w", err)
	}
	defer resp.Body.Close()

	requestID := resp.Header.Get("X-Request-Id")
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, openaiAPIError(resp, requestID)
	}

	res := &Result{Provider: p.Name(), Model: model, RequestID: requestID}
	var text strings.Builder
	incomplete := func(cause error) (*Result, error) {
		res.Text = text.String()
		res.Partial = true
		if errors.Is(context.Cause(ctx), errOpenAIIdle) {
			cause = fmt.Errorf("no data for %s", idle)
		}
		return res, fmt.Errorf("ai: openai: %w: %w", ErrIncomplete, cause)
	}

	// bufio.Reader hands out whole lines, so a UTF-8 character split across network
	// reads arrives intact.
	br := bufio.NewReader(&openaiIdleReader{r: resp.Body, timer: timer, idle: idle})
	finished := false
	for {
		line, readErr := br.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		data, ok := strings.CutPrefix(line, "data:")
		if ok {
			data = strings.TrimPrefix(data, " ")
			if data == "[DONE]" {
				res.Text = text.String()
				return res, nil
			}
			var chunk openaiChunk
			if err := json.Unmarshal([]byte(data), &chunk); err != nil {
				return incomplete(fmt.Errorf("decode chunk: %w", err))
			}
			if len(chunk.Error) > 0 && string(chunk.Error) != "null" {
				apiErr := &APIError{Provider: p.Name(), RequestID: requestID}
				apiErr.Type, apiErr.Message = openaiErrorFields(chunk.Error)
				return incomplete(apiErr)
			}
			if res.RequestID == "" {
				res.RequestID = chunk.ID
			}
			if chunk.Model != "" {
				res.Model = chunk.Model
			}
			if u := chunk.Usage; u != nil {
				res.Usage.InputTokens = u.PromptTokens
				res.Usage.OutputTokens = u.CompletionTokens
				if u.PromptTokensDetails != nil {
					res.Usage.CacheReadTokens = u.PromptTokensDetails.CachedTokens
				}
			}
			if len(chunk.Choices) > 0 {
				c := chunk.Choices[0]
				if c.Delta.Content != "" {
					text.WriteString(c.Delta.Content)
					if err := onDelta(c.Delta.Content); err != nil {
						res.Text = text.String()
						res.Partial = true
						return res, fmt.Errorf("ai: openai: delta: %w", err)
					}
				}
				if c.FinishReason != nil && *c.FinishReason != "" {
					res.StopReason = openaiStopReason(*c.FinishReason)
					finished = true
				}
			}
		}
		if readErr != nil {
			// A finish_reason counts as the end even when [DONE] never came.
			if finished && errors.Is(readErr, io.EOF) {
				res.Text = text.String()
				return res, nil
			}
			if errors.Is(readErr, io.EOF) {
				readErr = io.ErrUnexpectedEOF
			}
			return incomplete(readErr)
		}
	}
}

// openaiStopReason maps finish_reason to the names the Anthropic API uses, so callers
// check one vocabulary.
func openaiStopReason(finish string) string {
	switch finish {
	case "stop":
		return "end_turn"
	case "length":
		return "max_tokens"
	default:
		return finish
	}
}

// openaiErrorFields reads an "error" value, which is an object on OpenAI and vLLM and
// a plain string on Ollama.
func openaiErrorFields(raw json.RawMessage) (typ, msg string) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return "", s
	}
	var obj struct {
		Message string          `json:"message"`
		Type    string          `json:"type"`
		Code    json.RawMessage `json:"code"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		if obj.Type == "" && len(obj.Code) > 0 && string(obj.Code) != "null" {
			obj.Type = strings.Trim(string(obj.Code), `"`)
		}
		return obj.Type, obj.Message
	}
	return "", string(raw)
}

func openaiAPIError(resp *http.Response, requestID string) *APIError {
	apiErr := &APIError{
		Provider:   "openai",
		Status:     resp.StatusCode,
		RequestID:  requestID,
		RetryAfter: retryAfter(resp.Header, time.Now()),
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var body struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
	}
	if json.Unmarshal(raw, &body) == nil && (len(body.Error) > 0 || body.Message != "") {
		if len(body.Error) > 0 {
			apiErr.Type, apiErr.Message = openaiErrorFields(body.Error)
		}
		if apiErr.Message == "" {
			apiErr.Message = body.Message
		}
	} else {
		apiErr.Message = strings.TrimSpace(string(raw))
		if len(apiErr.Message) > 200 {
			apiErr.Message = apiErr.Message[:200]
		}
	}
	if apiErr.Message == "" {
		apiErr.Message = http.StatusText(resp.StatusCode)
	}
	return apiErr
}
