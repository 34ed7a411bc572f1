package generation

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the engine's Prometheus series.
type metrics struct {
	generations *prometheus.CounterVec
	tokens      *prometheus.CounterVec
	cost        *prometheus.CounterVec
	firstToken  *prometheus.HistogramVec
	duration    *prometheus.HistogramVec
	estimate    *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		generations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authorworks_generations_total",
			Help: "Generations by provider, mode and outcome (completed, partial, failed).",
		}, []string{"provider", "mode", "status"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authorworks_generation_tokens_total",
			Help: "Tokens of generations by provider and kind (input, output, cache_read, cache_write).",
		}, []string{"provider", "kind"}),
		cost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authorworks_generation_cost_usd_total",
			Help: "Cost of generations in dollars at the configured prices.",
		}, []string{"provider", "model"}),
		firstToken: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "authorworks_generation_first_token_seconds",
			Help:    "Time from sending a generation to its first text.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32},
		}, []string{"provider"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "authorworks_generation_duration_seconds",
			Help:    "Time from sending a generation to its end.",
			Buckets: []float64{0.5, 1, 2, 5, 10, 20, 40, 80, 160, 320},
		}, []string{"provider"}),
		estimate: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "authorworks_generation_prompt_estimate_ratio",
			Help: "The assembler's estimate of a prompt's tokens over the provider's count: above 1 the budget is safe, " +
				"below 1 prompts run over their budget.",
			Buckets: []float64{0.7, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.2, 1.3, 1.5},
		}, []string{"provider", "model"}),
	}
	if reg != nil {
		reg.MustRegister(m.generations, m.tokens, m.cost, m.firstToken, m.duration, m.estimate)
	}
	return m
}

func (m *metrics) observe(g *Generation, firstToken time.Duration, estimated int) {
	if actual := g.InputTokens + g.CacheReadTokens + g.CacheWriteTokens; actual > 0 && estimated > 0 && !g.Offline {
		m.estimate.WithLabelValues(g.Provider, g.Model).Observe(float64(estimated) / float64(actual))
	}
	m.generations.WithLabelValues(g.Provider, g.Mode, g.Status).Inc()
	for kind, n := range map[string]int{"input": g.InputTokens, "output": g.OutputTokens,
		"cache_read": g.CacheReadTokens, "cache_write": g.CacheWriteTokens} {
		m.tokens.WithLabelValues(g.Provider, kind).Add(float64(n))
	}
	m.cost.WithLabelValues(g.Provider, g.Model).Add(float64(g.CostMicros) / 1e6)
	if firstToken > 0 {
		m.firstToken.WithLabelValues(g.Provider).Observe(firstToken.Seconds())
	}
	m.duration.WithLabelValues(g.Provider).Observe(float64(g.LatencyMS) / 1000)
}
