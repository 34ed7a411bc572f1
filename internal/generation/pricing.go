package generation

import (
	"math"

	"github.com/authorworks/authorworks/internal/ai"
)

// Price is what a model costs, in dollars per million tokens.
type Price struct {
	Input, Output, CacheWrite, CacheRead float64
}

// costMicros is the cost of usage at price p, in millionths of a dollar: a price
// in dollars per million tokens is exactly micro-dollars per token.
func costMicros(u ai.Usage, p Price) int64 {
	c := float64(u.InputTokens)*p.Input + float64(u.OutputTokens)*p.Output +
		float64(u.CacheWriteTokens)*p.CacheWrite + float64(u.CacheReadTokens)*p.CacheRead
	return int64(math.Round(c))
}

// totalTokens is what a call counts against a monthly allowance: every token the
// model read or wrote.
func totalTokens(u ai.Usage) int64 {
	return int64(u.InputTokens + u.OutputTokens + u.CacheReadTokens + u.CacheWriteTokens)
}
