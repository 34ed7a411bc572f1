// Package config reads AuthorWorks' configuration from environment variables and
// command-line flags into one Config, applies defaults and validates it.
// docs/configuration.md and the README's table list every variable here.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Roles are the services one process can serve, with the port each listens on in
// split mode (the spec's ports).
var Roles = []Role{
	{Name: "user", Port: 3001},
	{Name: "content", Port: 3002},
	{Name: "storage", Port: 3003},
}

// Role is one service of the platform.
type Role struct {
	Name string
	Port int
}

// Config is the whole configuration of a process.
type Config struct {
	DatabaseURL  string
	DatabaseMax  int
	RedisURL     string
	RedisPrefix  string
	JWTSecret    string
	Host         string
	Port         int // SERVICE_PORT; 0 means the default for the mode
	Roles        []string
	Split        bool // roles were named explicitly
	DataDir      string
	LogLevel     slog.Level
	LogFormat    string
	Origins      []string
	AccessTTL    time.Duration
	RefreshTTL   time.Duration
	MaxBody      int64
	ShutdownWait time.Duration

	// TrustedProxies may set X-Forwarded-For and, when ProxyAuth is on, the
	// Remote-User/Remote-Email/Remote-Groups headers of SSO.
	TrustedProxies []netip.Prefix
	ProxyAuth      bool
	ProxyAdmin     string // the Remote-Groups group that grants the admin role

	// MetricsToken, when set, must be presented as a bearer token to read /metrics.
	MetricsToken string

	AI      AI
	Storage Storage
}

// AI configures text generation.
type AI struct {
	// Provider is anthropic, openai or offline; "auto" (the default) picks
	// anthropic when ANTHROPIC_API_KEY is set, else openai when OPENAI_BASE_URL
	// is, else offline.
	Provider         string
	AnthropicKey     string
	AnthropicURL     string
	AnthropicModel   string
	AnthropicVersion string
	OpenAIURL        string
	OpenAIKey        string
	OpenAIModel      string
	MaxTokens        int
	IdleTimeout      time.Duration
	ContextBudget    int
	// Prices per model, in dollars per million tokens.
	Prices map[string]Price
	// MonthlyTokens per subscription tier; 0 means unlimited.
	MonthlyTokens map[string]int64
	// Workers is how many background jobs (pipelines) run at once per process.
	Workers int
}

// Price is what a model costs, in dollars per million tokens.
type Price struct {
	Input, Output, CacheWrite, CacheRead float64
}

// DefaultPrices are the list prices of the Anthropic models at the time of
// writing; AI_PRICES adds to or overrides them. Cache writes cost 1.25× input
// and cache reads 0.1× unless given.
var DefaultPrices = map[string]Price{
	"claude-opus-5-5":   {Input: 4, Output: 20, CacheWrite: 5, CacheRead: 0.4},
	"claude-sonnet-5-5": {Input: 2, Output: 10, CacheWrite: 2.5, CacheRead: 0.2},
	"claude-haiku-5-5":  {Input: 0.10, Output: 0.50, CacheWrite: 0.125, CacheRead: 0.01},
}

// DefaultMonthlyTokens are the monthly token allowances per tier.
var DefaultMonthlyTokens = map[string]int64{
	"free": 200_000, "basic": 2_000_000, "pro": 10_000_000, "enterprise": 0,
}

// Production reports whether the process runs on networked backends, where the JWT
// secret must be given explicitly because several nodes must share it.
func (c *Config) Production() bool {
	return c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "sqlite:")
}

// AllRoles reports whether this process serves every role on one port (roles
// "all", the default). Naming roles explicitly is split mode: each role listens on
// its own port.
func (c *Config) AllRoles() bool { return !c.Split }

// Var documents one environment variable.
type Var struct {
	Name, Default, Help string
}

// Vars lists every environment variable AuthorWorks reads.
var Vars = []Var{
	{"DATABASE_URL", "(empty: SQLite in the data dir)", "PostgreSQL URL (postgres://user:pass@host:5432/db) or sqlite:/path/file.db"},
	{"DATABASE_MAX_CONNS", "25", "Maximum open PostgreSQL connections per process"},
	{"REDIS_URL", "(empty: in-process)", "Redis URL (redis://:pass@host:6379/0) for cache, rate limits and token revocation"},
	{"REDIS_PREFIX", "aw:", "Prefix of every Redis key, so several deployments can share one Redis"},
	{"JWT_SECRET", "(embedded: generated into the data dir)", "HMAC secret for access tokens, 32+ bytes; required with PostgreSQL"},
	{"HOST", "0.0.0.0", "Address to bind"},
	{"SERVICE_PORT", "8080 (all roles) or the role's port", "Port to listen on; with several split roles each uses its spec port"},
	{"AUTHORWORKS_ROLES", "all", "Comma-separated roles this process serves (same as --roles)"},
	{"AUTHORWORKS_DATA_DIR", "./data", "Directory for the SQLite database, generated secret and local files"},
	{"ALLOWED_ORIGINS", "(none)", "Comma-separated origins allowed by CORS, or *"},
	{"LOG_LEVEL", "info", "debug, info, warn or error"},
	{"LOG_FORMAT", "text (json with PostgreSQL)", "text or json"},
	{"ACCESS_TOKEN_TTL", "15m", "Lifetime of an access token"},
	{"REFRESH_TOKEN_TTL", "720h", "Lifetime of a session's refresh token"},
	{"MAX_BODY_BYTES", "1048576", "Largest JSON request body accepted"},
	{"SHUTDOWN_TIMEOUT", "20s", "How long to drain requests on SIGTERM"},
	{"TRUSTED_PROXY_CIDRS", "(none)", "Comma-separated CIDRs of reverse proxies whose X-Forwarded-For and SSO headers are trusted"},
	{"AUTH_PROXY_ENABLED", "false", "Accept Remote-User/Remote-Email/Remote-Groups from trusted proxies (Authelia/Traefik SSO)"},
	{"AUTH_PROXY_ADMIN_GROUP", "admins", "Remote-Groups group whose members get the admin role"},
	{"METRICS_TOKEN", "(none: /metrics is open)", "Bearer token required to read /metrics"},
	{"AI_PROVIDER", "auto", "anthropic, openai, offline, or auto: anthropic with ANTHROPIC_API_KEY, else openai with OPENAI_BASE_URL, else offline"},
	{"ANTHROPIC_API_KEY", "(none)", "Anthropic API key for generation"},
	{"ANTHROPIC_BASE_URL", "https://api.anthropic.com", "Root of the Anthropic Messages API (or a local server speaking it)"},
	{"ANTHROPIC_MODEL", "claude-sonnet-5-5", "Model used for generation"},
	{"ANTHROPIC_VERSION", "(the SDK's: 2026-10-21)", "anthropic-version header sent with each call"},
	{"OPENAI_BASE_URL", "(none)", "Root of an OpenAI-compatible API, e.g. http://localhost:11434/v1 for Ollama"},
	{"OPENAI_API_KEY", "(none)", "Bearer key for the OpenAI-compatible server, if it needs one"},
	{"OPENAI_MODEL", "(none: required with OPENAI_BASE_URL)", "Model name on the OpenAI-compatible server"},
	{"AI_MAX_TOKENS", "8192", "Largest answer, in tokens, one generation may ask for"},
	{"AI_IDLE_TIMEOUT", "90s", "A stream that sends nothing for this long is cut and kept as a partial draft"},
	{"AI_CONTEXT_BUDGET", "16000", "Default prompt budget in tokens (a request may ask for 2000–180000)"},
	{"AI_PRICES", "(Anthropic list prices)", "Prices per model in dollars per million tokens: model=input/output[/cache_write/cache_read], comma-separated"},
	{"AI_MONTHLY_TOKENS", "free=200000,basic=2000000,pro=10000000,enterprise=0", "Monthly token allowance per subscription tier; 0 is unlimited"},
	{"JOB_WORKERS", "4", "Background jobs (long-form pipelines, exports) run at once per process"},
	{"MINIO_ENDPOINT", "(empty: files on local disk)", "S3-compatible endpoint (host:port or http(s)://host:port); when set, files go to that bucket"},
	{"MINIO_ACCESS_KEY", "(none)", "Access key; required with MINIO_ENDPOINT"},
	{"MINIO_SECRET_KEY", "(none)", "Secret key; required with MINIO_ENDPOINT"},
	{"MINIO_BUCKET", "authorworks", "Bucket for files and exports, created if missing"},
	{"MINIO_USE_SSL", "false", "Use HTTPS with a host:port MINIO_ENDPOINT"},
	{"MINIO_REGION", "us-east-1", "Region of the bucket"},
	{"STORAGE_DIR", "(the data dir)/files", "Where local-disk storage keeps files"},
	{"STORAGE_QUOTAS", "free=104857600,basic=1073741824,pro=10737418240,enterprise=107374182400", "Storage allowance in bytes per subscription tier; 0 is unlimited"},
	{"STORAGE_PRESIGN_TTL", "0 (off)", "When positive, downloads redirect to a presigned S3 URL valid this long (browsers must reach MINIO_ENDPOINT)"},
	{"STORAGE_UPLOAD_TIMEOUT", "15m", "How long one upload may take to arrive"},
}

// Load builds the configuration from getenv and the flags in args (args excludes
// the program and sub-command names).
func Load(getenv func(string) string, args []string) (*Config, error) {
	c := &Config{}
	var errs []error
	bad := func(name string, err error) { errs = append(errs, fmt.Errorf("%s: %w", name, err)) }

	c.DatabaseURL = strings.TrimSpace(getenv("DATABASE_URL"))
	c.RedisURL = strings.TrimSpace(getenv("REDIS_URL"))
	c.RedisPrefix = orDefault(getenv("REDIS_PREFIX"), "aw:")
	c.JWTSecret = getenv("JWT_SECRET")
	c.Host = orDefault(getenv("HOST"), "0.0.0.0")
	c.DataDir = orDefault(getenv("AUTHORWORKS_DATA_DIR"), "data")
	c.Origins = splitList(getenv("ALLOWED_ORIGINS"))
	c.ProxyAdmin = orDefault(getenv("AUTH_PROXY_ADMIN_GROUP"), "admins")
	c.MetricsToken = getenv("METRICS_TOKEN")

	intVar := func(name string, def int) int {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad(name, fmt.Errorf("%q is not a non-negative integer", v))
		}
		return n
	}
	durVar := func(name string, def time.Duration) time.Duration {
		v := getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			bad(name, fmt.Errorf("%q is not a positive duration like 15m or 720h", v))
		}
		return d
	}
	c.Port = intVar("SERVICE_PORT", 0)
	c.DatabaseMax = intVar("DATABASE_MAX_CONNS", 25)
	c.MaxBody = int64(intVar("MAX_BODY_BYTES", 1<<20))
	c.AccessTTL = durVar("ACCESS_TOKEN_TTL", 15*time.Minute)
	c.RefreshTTL = durVar("REFRESH_TOKEN_TTL", 30*24*time.Hour)
	c.ShutdownWait = durVar("SHUTDOWN_TIMEOUT", 20*time.Second)
	if v := getenv("AUTH_PROXY_ENABLED"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("AUTH_PROXY_ENABLED", fmt.Errorf("%q is not true or false", v))
		}
		c.ProxyAuth = b
	}
	for _, s := range splitList(getenv("TRUSTED_PROXY_CIDRS")) {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			if a, aerr := netip.ParseAddr(s); aerr == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			} else {
				bad("TRUSTED_PROXY_CIDRS", fmt.Errorf("%q is not a CIDR", s))
				continue
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
	}

	c.AI = loadAI(getenv, intVar, durVar, bad)
	c.Storage = loadStorage(getenv, durVar, bad)

	fs := flag.NewFlagSet("authorworks", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	host := fs.String("host", c.Host, "address to bind (HOST)")
	port := fs.Int("port", c.Port, "port to listen on (SERVICE_PORT)")
	roles := fs.String("roles", orDefault(getenv("AUTHORWORKS_ROLES"), "all"), "comma-separated roles to serve, or all (AUTHORWORKS_ROLES)")
	dataDir := fs.String("data-dir", c.DataDir, "data directory (AUTHORWORKS_DATA_DIR)")
	logLevel := fs.String("log-level", orDefault(getenv("LOG_LEVEL"), "info"), "debug, info, warn or error (LOG_LEVEL)")
	logFormat := fs.String("log-format", getenv("LOG_FORMAT"), "text or json (LOG_FORMAT)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	c.Host, c.Port, c.DataDir = *host, *port, *dataDir
	if c.Port > 65535 {
		bad("SERVICE_PORT", fmt.Errorf("%d is not a port", c.Port))
	}
	if err := c.LogLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		bad("LOG_LEVEL", fmt.Errorf("%q is not debug, info, warn or error", *logLevel))
	}
	c.LogFormat = *logFormat
	if c.LogFormat == "" {
		c.LogFormat = "text"
		if c.Production() {
			c.LogFormat = "json"
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("LOG_FORMAT", fmt.Errorf("%q is not text or json", c.LogFormat))
	}
	r, err := parseRoles(*roles)
	if err != nil {
		bad("--roles", err)
	}
	c.Roles = r
	c.Split = strings.TrimSpace(*roles) != "all" && strings.TrimSpace(*roles) != ""
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") &&
		!strings.HasPrefix(c.DatabaseURL, "postgresql://") && !strings.HasPrefix(c.DatabaseURL, "sqlite:") {
		bad("DATABASE_URL", errors.New("must be a postgres://, postgresql:// or sqlite: URL"))
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		bad("REDIS_URL", errors.New("must start with redis:// or rediss://"))
	}
	if c.Production() && c.JWTSecret == "" {
		bad("JWT_SECRET", errors.New("is required with PostgreSQL (every node must share it); generate one with: openssl rand -base64 32"))
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		bad("JWT_SECRET", fmt.Errorf("must be at least 32 bytes, got %d", len(c.JWTSecret)))
	}
	if c.ProxyAuth && len(c.TrustedProxies) == 0 {
		bad("AUTH_PROXY_ENABLED", errors.New("needs TRUSTED_PROXY_CIDRS: SSO headers are only trusted from known proxies"))
	}
	if abs, err := filepath.Abs(c.DataDir); err == nil {
		c.DataDir = abs
	}
	if c.Storage.Dir == "" {
		c.Storage.Dir = filepath.Join(c.DataDir, "files")
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("invalid configuration:\n  %w", joinIndented(errs))
	}
	return c, nil
}

func parseRoles(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" || strings.TrimSpace(s) == "all" {
		out := make([]string, len(Roles))
		for i, r := range Roles {
			out[i] = r.Name
		}
		return out, nil
	}
	var out []string
	for _, name := range splitList(s) {
		if !slices.ContainsFunc(Roles, func(r Role) bool { return r.Name == name }) {
			names := make([]string, len(Roles))
			for i, r := range Roles {
				names[i] = r.Name
			}
			return nil, fmt.Errorf("unknown role %q (known: %s)", name, strings.Join(names, ", "))
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out, nil
}

// RolePort returns the spec's port of the named role.
func RolePort(name string) int {
	for _, r := range Roles {
		if r.Name == name {
			return r.Port
		}
	}
	return 0
}

func joinIndented(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "\n  "))
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
