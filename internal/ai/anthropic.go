package ai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

// Defaults for AnthropicConfig fields left at zero.
const (
	DefaultAnthropicMaxTokens   = 8192
	DefaultAnthropicIdleTimeout = 90 * time.Second
)

// anthropicMaxBreakpoints is the API's limit on cache_control markers per request.
const anthropicMaxBreakpoints = 4

// errAnthropicIdle is the cancel cause set by the idle watchdog.
var errAnthropicIdle = errors.New("no data from the server within the idle timeout")

// AnthropicConfig configures an AnthropicProvider.
type AnthropicConfig struct {
	APIKey string
	// BaseURL replaces https://api.anthropic.com, e.g. for a local server that speaks
	// the Messages API. Environment variables such as ANTHROPIC_BASE_URL are ignored.
	BaseURL string
	// Model is used when a Request names none.
	Model string
	// MaxTokens is used when a Request sets none; zero means DefaultAnthropicMaxTokens.
	MaxTokens int
	// Version overrides the anthropic-version header the SDK sends.
	Version string
	// IdleTimeout cancels a call that receives no bytes for this long, including the
	// wait for the response headers; zero means DefaultAnthropicIdleTimeout.
	IdleTimeout time.Duration
	// Retry bounds retries; zero Attempts means DefaultRetry.
	Retry RetryPolicy
	// HTTPClient is optional; nil uses a plain http.Client.
	HTTPClient *http.Client
}

// AnthropicProvider streams generations from the Anthropic Messages API through the
// official SDK, whose own retries are off so that Retry alone decides.
type AnthropicProvider struct {
	cfg    AnthropicConfig
	client anthropic.Client
}

var _ Provider = (*AnthropicProvider)(nil)

// NewAnthropic returns a provider for cfg, filling in defaults for zero fields.
func NewAnthropic(cfg AnthropicConfig) *AnthropicProvider {
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = DefaultAnthropicMaxTokens
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultAnthropicIdleTimeout
	}
	if cfg.Retry.Attempts < 1 {
		cfg.Retry = DefaultRetry
	}
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = &http.Client{}
	}
	opts := []option.RequestOption{
		option.WithoutEnvironmentDefaults(),
		option.WithHTTPClient(httpClient),
		option.WithMaxRetries(0),
	}
	if cfg.APIKey != "" {
		opts = append(opts, option.WithAPIKey(cfg.APIKey))
	}
	if cfg.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(cfg.BaseURL))
	}
	if cfg.Version != "" {
		opts = append(opts, option.WithHeader("anthropic-version", cfg.Version))
	}
	return &AnthropicProvider{cfg: cfg, client: anthropic.NewClient(opts...)}
}

// Name returns "anthropic".
func (p *AnthropicProvider) Name() string { return "anthropic" }

// Stream runs one generation, retrying failures that happen before any text was
// passed to onDelta. An error returned by onDelta stops the stream and is returned
// as it is, with the partial Result.
func (p *AnthropicProvider) Stream(ctx context.Context, req Request, onDelta func(text string) error) (*Result, error) {
	params, err := p.params(req)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	sent := false
	deliver := func(text string) error {
		sent = true
		return onDelta(text)
	}
	var res *Result
	err = Retry(ctx, p.cfg.Retry, func() bool { return sent }, func() error {
		var callErr error
		res, callErr = p.attempt(ctx, params, deliver)
		return callErr
	})
	if res != nil {
		res.Latency = time.Since(start)
	}
	return res, err
}

// params builds the SDK request. Sampling parameters are never set: the API version
// the SDK speaks rejects them.
func (p *AnthropicProvider) params(req Request) (anthropic.MessageNewParams, error) {
	model := req.Model
	if model == "" {
		model = p.cfg.Model
	}
	if model == "" {
		return anthropic.MessageNewParams{}, errors.New("ai: anthropic: no model configured")
	}
	if len(req.Messages) == 0 {
		return anthropic.MessageNewParams{}, errors.New("ai: anthropic: request has no messages")
	}
	maxTokens := req.MaxTokens
	if maxTokens <= 0 {
		maxTokens = p.cfg.MaxTokens
	}
	params := anthropic.MessageNewParams{
		Model:         model,
		MaxTokens:     int64(maxTokens),
		StopSequences: req.StopSequences,
	}
	params.System = anthropicSystem(req.System)
	for i, m := range req.Messages {
		switch m.Role {
		case "user":
			params.Messages = append(params.Messages, anthropic.NewUserMessage(anthropic.NewTextBlock(m.Text)))
		case "assistant":
			params.Messages = append(params.Messages, anthropic.NewAssistantMessage(anthropic.NewTextBlock(m.Text)))
		default:
			return anthropic.MessageNewParams{}, fmt.Errorf("ai: anthropic: message %d has role %q, want user or assistant", i, m.Role)
		}
	}
	return params, nil
}

// anthropicSystem converts the system prompt, keeping only the last four cache
// breakpoints: the API refuses more, and the later ones cover the longer prefixes.
func anthropicSystem(blocks []Block) []anthropic.TextBlockParam {
	if len(blocks) == 0 {
		return nil
	}
	out := make([]anthropic.TextBlockParam, len(blocks))
	marks := 0
	for i := len(blocks) - 1; i >= 0; i-- {
		out[i] = anthropic.TextBlockParam{Text: blocks[i].Text}
		if blocks[i].Cache && marks < anthropicMaxBreakpoints {
			out[i].CacheControl = anthropic.NewCacheControlEphemeralParam()
			marks++
		}
	}
	return out
}

// attempt makes one streaming call. It returns a nil Result when the server
// answered with an error status, else the (possibly partial) Result.
func (p *AnthropicProvider) attempt(parent context.Context, params anthropic.MessageNewParams, onDelta func(string) error) (*Result, error) {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	wd := newAnthropicWatchdog(p.cfg.IdleTimeout, func() { cancel(errAnthropicIdle) })
	defer wd.stop()

	var httpRes *http.Response
	stream := p.client.Messages.NewStreaming(ctx, params,
		option.WithResponseInto(&httpRes),
		option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
			res, err := next(r)
			if err == nil && res != nil && res.Body != nil {
				res.Body = &anthropicTouchBody{ReadCloser: res.Body, touch: wd.touch}
			}
			return res, err
		}),
	)
	defer func() { _ = stream.Close() }()

	res := &Result{Provider: p.Name(), Model: params.Model}
	if httpRes != nil {
		res.RequestID = httpRes.Header.Get("request-id")
	}
	var text strings.Builder
	started, stopped := false, false
	for stream.Next() {
		ev := stream.Current()
		switch ev.Type {
		case "message_start":
			started = true
			if ev.Message.Model != "" {
				res.Model = ev.Message.Model
			}
			if res.RequestID == "" {
				res.RequestID = ev.Message.ID
			}
			u := ev.Message.Usage
			res.Usage = Usage{
				InputTokens:      int(u.InputTokens),
				OutputTokens:     int(u.OutputTokens),
				CacheReadTokens:  int(u.CacheReadInputTokens),
				CacheWriteTokens: int(u.CacheCreationInputTokens),
			}
		case "content_block_delta":
			if ev.Delta.Type != "text_delta" || ev.Delta.Text == "" {
				continue
			}
			text.WriteString(ev.Delta.Text)
			if err := onDelta(ev.Delta.Text); err != nil {
				res.Text, res.Partial = text.String(), true
				return res, err
			}
		case "message_delta":
			if ev.Delta.StopReason != "" {
				res.StopReason = string(ev.Delta.StopReason)
			}
			// Usage here is cumulative. Some compatible servers report input only here.
			u := ev.Usage
			res.Usage.OutputTokens = int(u.OutputTokens)
			if u.InputTokens > 0 {
				res.Usage.InputTokens = int(u.InputTokens)
			}
			if u.CacheReadInputTokens > 0 {
				res.Usage.CacheReadTokens = int(u.CacheReadInputTokens)
			}
			if u.CacheCreationInputTokens > 0 {
				res.Usage.CacheWriteTokens = int(u.CacheCreationInputTokens)
			}
		case "message_stop":
			stopped = true
		}
	}
	res.Text = text.String()
	err := stream.Err()
	if err == nil && stopped {
		return res, nil
	}

	// A failure before the response started is a plain call error, which Retry may
	// retry; after it, what arrived is a draft.
	var sdkErr *anthropic.Error
	if err != nil && !started && errors.As(err, &sdkErr) && sdkErr.StatusCode >= 400 {
		return nil, anthropicAPIError(sdkErr)
	}
	if err != nil && !started && httpRes == nil {
		return nil, anthropicCallError(ctx, parent, err)
	}
	res.Partial = true
	var cause error
	switch {
	case err == nil:
		cause = errors.New("ai: anthropic: stream ended without message_stop")
	case errors.As(err, &sdkErr):
		cause = anthropicAPIError(sdkErr)
	default:
		cause = anthropicCallError(ctx, parent, err)
	}
	return res, fmt.Errorf("%w: %w", ErrIncomplete, cause)
}

// anthropicCallError names why a call failed: the caller's context, the idle watchdog, or err.
func anthropicCallError(ctx, parent context.Context, err error) error {
	if parent.Err() != nil {
		return fmt.Errorf("ai: anthropic: %w", errors.Join(parent.Err(), err))
	}
	if errors.Is(context.Cause(ctx), errAnthropicIdle) {
		return fmt.Errorf("ai: anthropic: %w", errAnthropicIdle)
	}
	return fmt.Errorf("ai: anthropic: %w", err)
}

// anthropicAPIError maps an SDK error to *APIError. An error event inside a 200
// stream gets Status 0.
func anthropicAPIError(e *anthropic.Error) *APIError {
	out := &APIError{
		Provider:  "anthropic",
		Status:    e.StatusCode,
		Type:      string(e.Type()),
		Message:   e.Message,
		RequestID: e.RequestID,
	}
	var body struct {
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
		RequestID string `json:"request_id"`
	}
	if json.Unmarshal([]byte(e.RawJSON()), &body) == nil {
		if body.Error.Type != "" {
			out.Type = body.Error.Type
		}
		if body.Error.Message != "" {
			out.Message = body.Error.Message
		}
		if out.RequestID == "" {
			out.RequestID = body.RequestID
		}
	}
	if out.Status < 400 {
		out.Status = 0
	}
	if e.Response != nil {
		out.RetryAfter = retryAfter(e.Response.Header, time.Now())
	}
	return out
}

// anthropicWatchdog calls fire when touch has not been called for idle.
type anthropicWatchdog struct {
	idle    time.Duration
	mu      sync.Mutex
	timer   *time.Timer
	stopped bool
}

func newAnthropicWatchdog(idle time.Duration, fire func()) *anthropicWatchdog {
	return &anthropicWatchdog{idle: idle, timer: time.AfterFunc(idle, fire)}
}

func (w *anthropicWatchdog) touch() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.timer.Reset(w.idle)
	}
}

func (w *anthropicWatchdog) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	w.timer.Stop()
}

// anthropicTouchBody resets the watchdog whenever bytes arrive, so pings count as life.
type anthropicTouchBody struct {
	io.ReadCloser
	touch func()
}

func (b *anthropicTouchBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.touch()
	}
	return n, err
}
