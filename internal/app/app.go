// Package app is the composition root: it turns a Config into backends, domain
// services and HTTP servers, and runs them until shutdown. It is the only package
// that knows every other one.
package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"github.com/authorworks/authorworks/internal/apidoc"
	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/cache"
	"github.com/authorworks/authorworks/internal/config"
	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/exports"
	"github.com/authorworks/authorworks/internal/generation"
	"github.com/authorworks/authorworks/internal/httpapi"
	"github.com/authorworks/authorworks/internal/imports"
	"github.com/authorworks/authorworks/internal/jobs"
	"github.com/authorworks/authorworks/internal/ratelimit"
	"github.com/authorworks/authorworks/internal/sqldb"
	"github.com/authorworks/authorworks/internal/storage"
	"github.com/authorworks/authorworks/internal/user"
	"github.com/authorworks/authorworks/internal/webui"
)

// Version is the build's version, set with -ldflags "-X .../internal/app.Version=…".
var Version = "dev"

// Options tune an App beyond its Config; tests use them.
type Options struct {
	// Addr overrides the listen address when the process runs one server, e.g. "127.0.0.1:0".
	Addr string
	// Limits overrides the sign-in rate limits.
	Limits *user.Limits
	// Lockout overrides the failed sign-in lockout policy.
	Lockout *ratelimit.LockoutPolicy
	// PasswordParams overrides the argon2id cost (tests use a cheap one).
	PasswordParams auth.PasswordParams
	// Now overrides the clock.
	Now func() time.Time
}

// App is a running AuthorWorks process.
type App struct {
	cfg     *config.Config
	log     *slog.Logger
	DB      *sqldb.DB
	redis   *redis.Client
	Users   *user.Service
	Content *content.Service
	// Generation is the AI engine.
	Generation *generation.Service
	// Jobs is the durable job queue (River).
	Jobs *jobs.Queue
	// Storage holds uploaded and generated files.
	Storage *storage.Service
	// Exports makes the export files of stories; Imports creates stories from manuscripts.
	Exports  *exports.Service
	Imports  *imports.Service
	registry *prometheus.Registry
	servers  []*server
	started  time.Time
}

type server struct {
	roles    []string
	addr     string
	http     *http.Server
	listener net.Listener
	router   *httpapi.Router
}

// New connects to the backends, migrates the database and builds the servers.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger, opts Options) (*App, error) {
	a := &App{cfg: cfg, log: log, registry: prometheus.NewRegistry(), started: time.Now()}
	ok := false
	defer func() {
		if !ok {
			a.Close()
		}
	}()
	db, err := sqldb.Open(ctx, sqldb.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, MaxOpenConns: cfg.DatabaseMax})
	if err != nil {
		return nil, err
	}
	a.DB = db
	applied, err := db.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("database migrated", "database", db.String(), "applied", applied)
	}

	var (
		limiter ratelimit.Limiter
		lockout ratelimit.Lockout
		revoc   user.Revocations
	)
	lockPolicy := user.DefaultLockout
	if opts.Lockout != nil {
		lockPolicy = *opts.Lockout
	}
	if cfg.RedisURL != "" {
		ropts, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		a.redis = redis.NewClient(ropts)
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = a.redis.Ping(pctx).Err()
		cancel()
		if err != nil {
			return nil, fmt.Errorf("connect to redis %s: %w", ropts.Addr, err)
		}
		limiter = ratelimit.NewRedisLimiter(a.redis, cfg.RedisPrefix+"rl:")
		lockout = ratelimit.NewRedisLockout(a.redis, cfg.RedisPrefix+"lock:", lockPolicy)
		revoc = user.CacheRevocations{KV: cache.NewRedis(a.redis, cfg.RedisPrefix+"cache:")}
	} else {
		limiter = ratelimit.NewMemoryLimiter(opts.Now)
		lockout = ratelimit.NewMemoryLockout(lockPolicy, opts.Now)
	}

	secret, err := a.jwtSecret()
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokens(secret, cfg.AccessTTL, opts.Now)
	if err != nil {
		return nil, err
	}
	limits := user.DefaultLimits
	if opts.Limits != nil {
		limits = *opts.Limits
	}
	a.Users, err = user.NewService(user.Config{
		DB: db, Tokens: tokens, Limiter: limiter, Lockout: lockout, Revocations: revoc, Limits: limits,
		RefreshTTL: cfg.RefreshTTL, PasswordParams: opts.PasswordParams, Now: opts.Now, Log: log,
	})
	if err != nil {
		return nil, err
	}

	store, err := newBlobStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Production() && cfg.Storage.Endpoint == "" {
		log.Warn("files are on local disk (MINIO_ENDPOINT is not set): other nodes cannot read them", "dir", cfg.Storage.Dir)
	}
	a.Storage = storage.NewService(storage.Config{
		DB: db, Store: store, Tiers: userTiers{a.Users}, Quotas: cfg.Storage.Quotas, PresignTTL: cfg.Storage.PresignTTL,
		UploadTimeout: cfg.Storage.UploadTimeout, Now: opts.Now, Log: log,
	})
	a.Content = content.NewService(content.Config{
		DB: db, Files: a.Storage, Users: userDirectory{a.Users}, Now: opts.Now, Log: log,
	})
	a.Exports = exports.NewService(exports.Config{
		DB: db, Content: a.Content, Files: exportFiles{a.Storage}, People: people{a.Users}, Formats: exportFormats(),
		Now: opts.Now, Log: log,
	})
	a.Imports = imports.NewService(importFiles{a.Storage}, a.Content)
	provider, err := newProvider(cfg.AI)
	if err != nil {
		return nil, err
	}
	a.Generation = generation.NewService(generation.Config{
		DB: db, Content: a.Content, Provider: provider, Model: providerModel(cfg.AI),
		Prices: prices(cfg.AI.Prices), Allowances: cfg.AI.MonthlyTokens, Tiers: userTiers{a.Users},
		Budget: cfg.AI.ContextBudget, MaxTokens: cfg.AI.MaxTokens, Now: opts.Now, Log: log, Registry: a.registry,
	})
	a.Jobs, err = jobs.New(ctx, jobs.Config{DB: db, Workers: cfg.AI.Workers, Log: log})
	if err != nil {
		return nil, err
	}
	jobs.Register(a.Jobs, pipelineWorker{gen: a.Generation})
	jobs.Register(a.Jobs, exportWorker{exports: a.Exports})
	a.Generation.SetEnqueuer(stepQueue{a.Jobs})
	a.Exports.SetEnqueuer(exportQueue{a.Jobs})
	log.Info("text generation", "provider", a.Generation.Provider().Provider, "model", a.Generation.Provider().Model)

	a.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.DB, "main"),
	)
	metrics := httpapi.NewMetrics(a.registry)
	authn := user.NewAuthenticator(a.Users, user.ProxySSO{Enabled: cfg.ProxyAuth, AdminGroup: cfg.ProxyAdmin})
	a.buildServers(opts, metrics, authn)
	ok = true
	return a, nil
}

// jwtSecret returns JWT_SECRET, or in embedded mode a secret generated once and
// kept in the data directory so sessions survive restarts.
func (a *App) jwtSecret() ([]byte, error) {
	if a.cfg.JWTSecret != "" {
		return []byte(a.cfg.JWTSecret), nil
	}
	path := filepath.Join(a.cfg.DataDir, "jwt_secret")
	if b, err := os.ReadFile(path); err == nil {
		s := strings.TrimSpace(string(b))
		if len(s) < auth.MinSecretLen {
			return nil, fmt.Errorf("%s holds a secret shorter than %d bytes; delete it to generate a new one", path, auth.MinSecretLen)
		}
		return []byte(s), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	raw := make([]byte, 48)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	s := base64.RawURLEncoding.EncodeToString(raw)
	if err := os.MkdirAll(a.cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return a.jwtSecret() // another process wrote it first
	}
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := f.WriteString(s + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	a.log.Info("generated a JWT secret for embedded mode", "path", path)
	return []byte(s), nil
}

// roleRoutes registers the routes of one role.
func (a *App) roleRoutes(role string, r *httpapi.Router) {
	switch role {
	case "user":
		user.NewHandler(a.Users, a.cfg.MaxBody).Routes(r)
	case "content":
		content.NewHandler(a.Content, a.cfg.MaxBody).Routes(r)
		generation.NewHandler(a.Generation, a.cfg.MaxBody).Routes(r)
	case "storage":
		storage.NewHandler(a.Storage).Routes(r)
		exports.NewHandler(a.Exports, a.cfg.MaxBody).Routes(r)
		imports.NewHandler(a.Imports, a.cfg.MaxBody).Routes(r)
	}
}

func (a *App) buildServers(opts Options, metrics *httpapi.Metrics, authn httpapi.Authenticator) {
	groups := [][]string{a.cfg.Roles}
	if !a.cfg.AllRoles() {
		groups = nil
		for _, role := range a.cfg.Roles {
			groups = append(groups, []string{role})
		}
	}
	for _, roles := range groups {
		r := httpapi.NewRouter()
		r.HandleFunc("GET /health", a.health)
		r.Handle("GET /metrics", a.metricsHandler())
		r.HandleFunc("GET /api/openapi.json", apidoc.Handler())
		for _, role := range roles {
			a.roleRoutes(role, r)
		}
		var root http.Handler = r
		if a.cfg.AllRoles() {
			root = webui.Mount(r, webui.Built())
		}
		handler := httpapi.Chain(root,
			httpapi.RequestID(a.log),
			httpapi.Observe(metrics),
			httpapi.Recover(),
			httpapi.SecurityHeaders(),
			httpapi.CORS(a.cfg.Origins),
			httpapi.RealIP(a.cfg.TrustedProxies),
			httpapi.Authenticate(authn),
		)
		addr := a.listenAddr(roles, len(groups), opts)
		a.servers = append(a.servers, &server{
			roles:  roles,
			addr:   addr,
			router: r,
			http: &http.Server{
				Addr:              addr,
				Handler:           handler,
				ReadHeaderTimeout: 10 * time.Second,
				ReadTimeout:       60 * time.Second,
				IdleTimeout:       120 * time.Second,
				MaxHeaderBytes:    64 << 10,
				ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
			},
		})
	}
}

func (a *App) listenAddr(roles []string, servers int, opts Options) string {
	if opts.Addr != "" && servers == 1 {
		return opts.Addr
	}
	port := a.cfg.Port
	if port == 0 {
		port = 8080
		if !a.cfg.AllRoles() {
			port = config.RolePort(roles[0])
		}
	} else if len(a.cfg.Roles) > 1 && !a.cfg.AllRoles() {
		// SERVICE_PORT names one port; several split roles each keep their own.
		port = config.RolePort(roles[0])
	}
	return net.JoinHostPort(a.cfg.Host, strconv.Itoa(port))
}

// Routes returns the route patterns each server serves (for the API document test).
func (a *App) Routes() []string {
	var out []string
	for _, s := range a.servers {
		out = append(out, s.router.Patterns()...)
	}
	return out
}

// Listen binds every server's address.
func (a *App) Listen() error {
	for _, s := range a.servers {
		ln, err := net.Listen("tcp", s.addr)
		if err != nil {
			return fmt.Errorf("listen on %s for %s: %w", s.addr, strings.Join(s.roles, ","), err)
		}
		s.listener = ln
	}
	return nil
}

// Addrs returns the bound addresses, after Listen.
func (a *App) Addrs() []string {
	var out []string
	for _, s := range a.servers {
		if s.listener != nil {
			out = append(out, s.listener.Addr().String())
		}
	}
	return out
}

// Serve serves on the listeners until ctx is cancelled, then drains requests for up
// to the configured shutdown timeout.
func (a *App) Serve(ctx context.Context) error {
	errc := make(chan error, len(a.servers))
	for _, s := range a.servers {
		a.log.Info("listening", "addr", s.listener.Addr().String(), "roles", strings.Join(s.roles, ","),
			"database", string(a.DB.Dialect()), "redis", a.redis != nil, "version", Version)
		go func() {
			if err := s.http.Serve(s.listener); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	bg, stopBackground := context.WithCancel(ctx)
	defer stopBackground()
	go a.housekeeping(bg)
	if err := a.Jobs.Start(bg); err != nil {
		return err
	}
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	stopBackground()
	a.log.Info("shutting down", "timeout", a.cfg.ShutdownWait.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownWait)
	defer cancel()
	var wg sync.WaitGroup
	for _, s := range a.servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.http.Shutdown(sctx); err != nil {
				a.log.Warn("shutdown", "addr", s.addr, "err", err)
			}
		}()
	}
	wg.Wait()
	// Steps still running are cancelled at the deadline and run again on the next
	// start (a step is redone whole; its saved output makes it idempotent).
	if err := a.Jobs.Stop(sctx); err != nil {
		a.log.Warn("stop jobs", "err", err)
	}
	return serveErr
}

// housekeeping deletes expired sessions and stories whose time in the trash is up,
// ends generations a stopped process left running (releasing the allowance they held),
// at start and then every hour.
func (a *App) housekeeping(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		n, err := a.Users.PurgeSessions(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Warn("purge expired sessions", "err", err)
		case n > 0:
			a.log.Info("purged expired sessions", "sessions", n)
		}
		stories, err := a.Content.PurgeTrash(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Warn("purge trash", "err", err)
		case stories > 0:
			a.log.Info("purged stories from the trash", "stories", stories)
		}
		files, err := a.Storage.Purge(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Warn("purge abandoned uploads and orphaned files", "err", err)
		case files > 0:
			a.log.Info("purged abandoned uploads and orphaned files", "files", files)
		}
		gens, err := a.Generation.RecoverInterrupted(ctx, 2*time.Hour)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Warn("recover interrupted generations", "err", err)
		case gens > 0:
			a.log.Info("ended generations interrupted by a stop", "generations", gens)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Close releases the backends.
func (a *App) Close() {
	if a.Jobs != nil {
		if err := a.Jobs.Close(); err != nil {
			a.log.Warn("close jobs", "err", err)
		}
	}
	if a.redis != nil {
		a.redis.Close()
	}
	if a.DB != nil {
		a.DB.Close()
	}
}
