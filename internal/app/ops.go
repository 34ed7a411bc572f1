package app

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/authorworks/authorworks/internal/httpapi"
)

// Check is the state of one dependency.
type Check struct {
	Status    string  `json:"status"`
	LatencyMS float64 `json:"latency_ms"`
	Error     string  `json:"error,omitempty"`
}

// Health is the body of GET /health.
type Health struct {
	Status        string           `json:"status"`
	Version       string           `json:"version"`
	Roles         []string         `json:"roles"`
	UptimeSeconds int64            `json:"uptime_seconds"`
	Checks        map[string]Check `json:"checks"`
}

func timed(ctx context.Context, f func(context.Context) error) Check {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	start := time.Now()
	err := f(ctx)
	c := Check{Status: "up", LatencyMS: float64(time.Since(start).Microseconds()) / 1000}
	if err != nil {
		c.Status, c.Error = "down", "unreachable"
		if ctx.Err() != nil {
			c.Error = "timed out"
		}
	}
	return c
}

func (a *App) health(w http.ResponseWriter, r *http.Request) {
	h := Health{Status: "ok", Version: Version, Roles: a.cfg.Roles,
		UptimeSeconds: int64(time.Since(a.started).Seconds()), Checks: map[string]Check{}}
	h.Checks["database"] = timed(r.Context(), a.DB.PingContext)
	if a.redis != nil {
		h.Checks["redis"] = timed(r.Context(), func(ctx context.Context) error { return a.redis.Ping(ctx).Err() })
	}
	h.Checks["jobs"] = timed(r.Context(), a.Jobs.Healthy)
	var down []string
	for name, c := range h.Checks {
		if c.Status != "up" {
			down = append(down, name)
		}
	}
	if len(down) == 0 {
		httpapi.JSON(w, http.StatusOK, h)
		return
	}
	h.Status = "down"
	httpapi.Logger(r.Context()).Error("health check failed", "down", down)
	httpapi.JSONWithError(w, http.StatusServiceUnavailable, h,
		&httpapi.EnvelopeError{Message: "unavailable: " + strings.Join(down, ", "), Code: httpapi.CodeUnavailable})
}

func (a *App) metricsHandler() http.Handler {
	h := promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{})
	token := a.cfg.MetricsToken
	if token == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			httpapi.ErrorCode(w, http.StatusUnauthorized, httpapi.CodeUnauthorized, "metrics need Authorization: Bearer <METRICS_TOKEN>")
			return
		}
		h.ServeHTTP(w, r)
	})
}
