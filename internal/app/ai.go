package app

import (
	"context"

	"github.com/authorworks/authorworks/internal/ai"
	"github.com/authorworks/authorworks/internal/config"
	"github.com/authorworks/authorworks/internal/generation"
	"github.com/authorworks/authorworks/internal/user"
)

// newProvider builds the text-generation provider the configuration names.
func newProvider(c config.AI) (ai.Provider, error) {
	switch c.Provider {
	case "anthropic":
		return ai.NewAnthropic(ai.AnthropicConfig{APIKey: c.AnthropicKey, BaseURL: c.AnthropicURL, Model: c.AnthropicModel,
			MaxTokens: c.MaxTokens, Version: c.AnthropicVersion, IdleTimeout: c.IdleTimeout}), nil
	case "openai":
		return ai.NewOpenAI(ai.OpenAIConfig{BaseURL: c.OpenAIURL, APIKey: c.OpenAIKey, Model: c.OpenAIModel,
			MaxTokens: c.MaxTokens, IdleTimeout: c.IdleTimeout})
	}
	return ai.NewOffline(), nil
}

func providerModel(c config.AI) string {
	switch c.Provider {
	case "anthropic":
		return c.AnthropicModel
	case "openai":
		return c.OpenAIModel
	}
	return "offline-1"
}

func prices(in map[string]config.Price) map[string]generation.Price {
	out := make(map[string]generation.Price, len(in))
	for model, p := range in {
		out[model] = generation.Price{Input: p.Input, Output: p.Output, CacheWrite: p.CacheWrite, CacheRead: p.CacheRead}
	}
	return out
}

// userTiers tells the generation service a user's subscription tier.
type userTiers struct{ users *user.Service }

var _ generation.Tiers = userTiers{}

func (t userTiers) Tier(ctx context.Context, userID string) (string, error) {
	u, err := t.users.Get(ctx, userID)
	if err != nil {
		return "", err
	}
	return u.SubscriptionTier, nil
}
