package config

import (
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"
)

// Tiers are the subscription tiers, cheapest first.
var Tiers = []string{"free", "basic", "pro", "enterprise"}

func loadAI(getenv func(string) string, intVar func(string, int) int,
	durVar func(string, time.Duration) time.Duration, bad func(string, error)) AI {
	a := AI{
		Provider:         orDefault(getenv("AI_PROVIDER"), "auto"),
		AnthropicKey:     strings.TrimSpace(getenv("ANTHROPIC_API_KEY")),
		AnthropicURL:     strings.TrimSpace(getenv("ANTHROPIC_BASE_URL")),
		AnthropicModel:   orDefault(getenv("ANTHROPIC_MODEL"), "claude-sonnet-5-5"),
		AnthropicVersion: strings.TrimSpace(getenv("ANTHROPIC_VERSION")),
		OpenAIURL:        strings.TrimSpace(getenv("OPENAI_BASE_URL")),
		OpenAIKey:        strings.TrimSpace(getenv("OPENAI_API_KEY")),
		OpenAIModel:      strings.TrimSpace(getenv("OPENAI_MODEL")),
		MaxTokens:        intVar("AI_MAX_TOKENS", 8192),
		IdleTimeout:      durVar("AI_IDLE_TIMEOUT", 90*time.Second),
		ContextBudget:    intVar("AI_CONTEXT_BUDGET", 16000),
		Workers:          intVar("JOB_WORKERS", 4),
	}
	if a.Provider == "auto" {
		switch {
		case a.AnthropicKey != "":
			a.Provider = "anthropic"
		case a.OpenAIURL != "":
			a.Provider = "openai"
		default:
			a.Provider = "offline"
		}
	}
	switch a.Provider {
	case "anthropic":
		if a.AnthropicKey == "" {
			bad("ANTHROPIC_API_KEY", errors.New("is required with AI_PROVIDER=anthropic"))
		}
	case "openai":
		if a.OpenAIURL == "" {
			bad("OPENAI_BASE_URL", errors.New("is required with AI_PROVIDER=openai"))
		}
		if a.OpenAIModel == "" {
			bad("OPENAI_MODEL", errors.New("is required with AI_PROVIDER=openai (the model name on that server)"))
		}
	case "offline":
	default:
		bad("AI_PROVIDER", fmt.Errorf("%q is not anthropic, openai, offline or auto", a.Provider))
	}
	for name, u := range map[string]string{"ANTHROPIC_BASE_URL": a.AnthropicURL, "OPENAI_BASE_URL": a.OpenAIURL} {
		if u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			bad(name, fmt.Errorf("%q is not an http:// or https:// URL", u))
		}
	}
	if a.MaxTokens < 1 || a.MaxTokens > 128000 {
		bad("AI_MAX_TOKENS", fmt.Errorf("%d is not between 1 and 128000", a.MaxTokens))
	}
	if a.ContextBudget < 2000 || a.ContextBudget > 180000 {
		bad("AI_CONTEXT_BUDGET", fmt.Errorf("%d is not between 2000 and 180000", a.ContextBudget))
	}
	if a.Workers < 1 || a.Workers > 256 {
		bad("JOB_WORKERS", fmt.Errorf("%d is not between 1 and 256", a.Workers))
	}
	var err error
	if a.Prices, err = parsePrices(getenv("AI_PRICES")); err != nil {
		bad("AI_PRICES", err)
	}
	if a.MonthlyTokens, err = parseTierMap(getenv("AI_MONTHLY_TOKENS"), DefaultMonthlyTokens, "tokens"); err != nil {
		bad("AI_MONTHLY_TOKENS", err)
	}
	return a
}

// parsePrices reads "model=in/out[/cache_write/cache_read],…" over DefaultPrices.
func parsePrices(s string) (map[string]Price, error) {
	out := maps.Clone(DefaultPrices)
	for _, item := range splitList(s) {
		model, spec, ok := strings.Cut(item, "=")
		model = strings.TrimSpace(model)
		if !ok || model == "" {
			return nil, fmt.Errorf("%q is not model=input/output", item)
		}
		parts := strings.Split(spec, "/")
		if len(parts) != 2 && len(parts) != 4 {
			return nil, fmt.Errorf("%q: give input/output or input/output/cache_write/cache_read dollars per million tokens", item)
		}
		nums := make([]float64, len(parts))
		for i, p := range parts {
			f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil || f < 0 {
				return nil, fmt.Errorf("%q: %q is not a price", item, p)
			}
			nums[i] = f
		}
		p := Price{Input: nums[0], Output: nums[1], CacheWrite: nums[0] * 1.25, CacheRead: nums[0] * 0.1}
		if len(nums) == 4 {
			p.CacheWrite, p.CacheRead = nums[2], nums[3]
		}
		out[model] = p
	}
	return out, nil
}

// parseTierMap reads "tier=number,…" over defaults: a non-negative number per
// known subscription tier (what of is named in errors: "tokens", "bytes").
func parseTierMap(s string, defaults map[string]int64, of string) (map[string]int64, error) {
	out := maps.Clone(defaults)
	for _, item := range splitList(s) {
		tier, n, ok := strings.Cut(item, "=")
		tier = strings.TrimSpace(tier)
		if !ok {
			return nil, fmt.Errorf("%q is not tier=%s", item, of)
		}
		if _, known := out[tier]; !known {
			return nil, fmt.Errorf("%q: unknown tier %q (known: %s)", item, tier, strings.Join(Tiers, ", "))
		}
		v, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("%q: %q is not a number of %s (0 for unlimited)", item, n, of)
		}
		out[tier] = v
	}
	return out, nil
}
