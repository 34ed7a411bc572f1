// Package aitest provides fake model servers for tests and benchmarks: an
// Anthropic Messages API server with prompt-cache accounting and an
// OpenAI-compatible chat completions server. Both stream the real wire formats,
// derive their replies deterministically from the request, count tokens with
// Tokens, record every request, and can be scripted to fail the ways the real
// services fail (rate limits, overload, errors after HTTP 200, cut streams,
// stalls).
//
// The package does not import internal/ai, so that package's own tests may use it.
//
//	fake := aitest.NewAnthropic(aitest.AnthropicOptions{MinCacheTokens: 100})
//	defer fake.Close()
//	p := ai.NewAnthropic(ai.AnthropicConfig{BaseURL: fake.URL, Model: "claude-test"})
package aitest
