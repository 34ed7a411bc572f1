//go:build linux

// Command authload measures the real authorworks binary: it builds cmd/authorworks
// once, then for each selected backend starts it as a subprocess on 127.0.0.1 and
// reports time from start to a healthy GET /health, resident memory idle and after
// load, and the throughput and latency of GET /api/auth/profile under concurrent
// load. It prints a markdown table; bench/README.md explains how to read it.
//
// It runs on Linux only: it reads resident memory from /proc and ties the server's
// life to its own with Pdeathsig, so the server never outlives the benchmark.
//
// All traffic goes to 127.0.0.1; every loop is bounded by a duration; the server is
// stopped with SIGTERM at the end (which doubles as a graceful-shutdown check) and
// killed on any error or Ctrl-C.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Backend names accepted by -backends.
const (
	backendEmbedded = "embedded"
	backendPostgres = "postgres"
	backendPGRedis  = "postgres+redis"
)

type options struct {
	backends     []string
	postgresURL  string
	redisURL     string
	concurrency  int
	duration     time.Duration
	warmup       time.Duration
	idle         time.Duration
	startTimeout time.Duration
	stopTimeout  time.Duration
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("authload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	backends := fs.String("backends", "", "comma-separated backends to run: embedded, postgres, postgres+redis\n(default: embedded, plus postgres or postgres+redis when their URLs are given)")
	fs.StringVar(&o.postgresURL, "postgres-url", os.Getenv("AUTHORWORKS_BENCH_POSTGRES_URL"), "PostgreSQL server URL; a fresh database awbench_<random> is created on it and dropped afterwards\n(default $AUTHORWORKS_BENCH_POSTGRES_URL)")
	fs.StringVar(&o.redisURL, "redis-url", os.Getenv("AUTHORWORKS_BENCH_REDIS_URL"), "Redis URL for the postgres+redis backend; keys go under a unique REDIS_PREFIX\n(default $AUTHORWORKS_BENCH_REDIS_URL)")
	fs.IntVar(&o.concurrency, "c", 32, "concurrent workers")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "measured load duration")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before the measured run")
	fs.DurationVar(&o.idle, "idle", time.Second, "idle time after healthy before reading the idle RSS")
	fs.DurationVar(&o.startTimeout, "start-timeout", 60*time.Second, "longest wait for GET /health to return 200")
	fs.DurationVar(&o.stopTimeout, "stop-timeout", 30*time.Second, "longest wait for the server to exit after SIGTERM")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "authload: unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return 2
	}
	var err error
	if o.backends, err = selectBackends(*backends, o.postgresURL, o.redisURL); err != nil {
		fmt.Fprintln(stderr, "authload:", err)
		return 2
	}
	if o.concurrency < 1 || o.duration <= 0 || o.warmup < 0 || o.idle < 0 {
		fmt.Fprintln(stderr, "authload: -c must be at least 1, -d positive, -warmup and -idle not negative")
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	loadBefore := loadAvg()

	tmp, err := os.MkdirTemp("", "authload-*")
	if err != nil {
		fmt.Fprintln(stderr, "authload:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	fmt.Fprintln(stderr, "authload: building cmd/authorworks")
	bin, err := buildServer(ctx, tmp, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "authload:", err)
		return 1
	}

	var results []*result
	failed := false
	for _, b := range o.backends {
		res, err := runBackend(ctx, bin, tmp, b, o, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "authload: %s: %v\n", b, err)
			failed = true
			if ctx.Err() != nil {
				break
			}
			continue
		}
		results = append(results, res)
	}

	if len(results) > 0 {
		printHeader(stdout, bin, args, fs)
		fmt.Fprintf(stdout, "loadavg:    %s before, %s after (1, 5, 15 min; other work on the machine skews the figures)\n\n", loadBefore, loadAvg())
		printTable(stdout, results)
	}
	for _, r := range results {
		if !r.ok() {
			failed = true
		}
	}
	if failed {
		fmt.Fprintln(stderr, "authload: FAILED (see errors above)")
		return 1
	}
	return 0
}

// selectBackends turns -backends (or, when it is empty, the URLs given) into the
// list of backends to run, checking that each has the URLs it needs.
func selectBackends(list, pgURL, redisURL string) ([]string, error) {
	var out []string
	if strings.TrimSpace(list) == "" {
		out = []string{backendEmbedded}
		switch {
		case pgURL != "" && redisURL != "":
			out = append(out, backendPGRedis)
		case pgURL != "":
			out = append(out, backendPostgres)
		case redisURL != "":
			return nil, errors.New("-redis-url needs -postgres-url (the redis backend runs with PostgreSQL)")
		}
		return out, nil
	}
	for _, b := range strings.Split(list, ",") {
		b = strings.TrimSpace(b)
		switch b {
		case backendEmbedded:
		case backendPostgres:
			if pgURL == "" {
				return nil, fmt.Errorf("backend %s needs -postgres-url or AUTHORWORKS_BENCH_POSTGRES_URL", b)
			}
		case backendPGRedis:
			if pgURL == "" || redisURL == "" {
				return nil, fmt.Errorf("backend %s needs -postgres-url and -redis-url (or their AUTHORWORKS_BENCH_* variables)", b)
			}
		default:
			return nil, fmt.Errorf("unknown backend %q (known: %s, %s, %s)", b, backendEmbedded, backendPostgres, backendPGRedis)
		}
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out, nil
}

// runBackend starts a fresh server on backend b, measures it and stops it. The
// server is killed and the backend's database dropped whatever happens.
func runBackend(ctx context.Context, bin, tmp, b string, o options, log io.Writer) (*result, error) {
	dataDir, err := os.MkdirTemp(tmp, "data-*")
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	env := []string{
		"AUTHORWORKS_DATA_DIR=" + dataDir,
		"HOST=127.0.0.1",
		fmt.Sprintf("SERVICE_PORT=%d", port),
		"LOG_LEVEL=warn",
	}
	if b == backendPostgres || b == backendPGRedis {
		db, err := createDatabase(ctx, o.postgresURL)
		if err != nil {
			return nil, err
		}
		defer func() {
			if err := db.drop(); err != nil {
				fmt.Fprintf(log, "authload: %s: %v\n", b, err)
			}
		}()
		fmt.Fprintf(log, "authload: %s: created database %s\n", b, db.name)
		env = append(env, "DATABASE_URL="+db.url, "JWT_SECRET="+randomToken(32))
		if b == backendPGRedis {
			env = append(env, "REDIS_URL="+o.redisURL, "REDIS_PREFIX=awbench_"+randomHex(6)+":")
		}
	}

	srv, err := startServer(bin, env)
	if err != nil {
		return nil, err
	}
	defer srv.kill()
	res, err := measure(ctx, srv, port, b, o, log)
	if err != nil {
		if tail := srv.output.tail(); tail != "" {
			fmt.Fprintf(log, "authload: %s: server output:\n%s\n", b, tail)
		}
		return nil, err
	}
	return res, nil
}

// measure drives one started server through the benchmark's phases.
func measure(ctx context.Context, srv *server, port int, b string, o options, log io.Writer) (*result, error) {
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	res := &result{backend: b}
	var err error
	if res.startup, err = srv.waitHealthy(ctx, base+"/health", o.startTimeout); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "authload: %s: healthy in %s ms (pid %d, port %d)\n", b, ms(res.startup), srv.pid(), port)
	if err := sleep(ctx, o.idle); err != nil {
		return nil, err
	}
	if res.idleRSS, err = srv.rss(); err != nil {
		return nil, err
	}

	// Stop the load at once, rather than count refused connections, should the
	// server die under it.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		select {
		case <-srv.done:
			cancel(fmt.Errorf("server exited during the run: %s", srv.cmd.ProcessState))
		case <-ctx.Done():
		}
	}()

	client := newClient(o.concurrency)
	defer client.CloseIdleConnections()
	token, err := registerUser(ctx, client, base)
	if err != nil {
		return nil, err
	}
	profile := base + "/api/auth/profile"
	if o.warmup > 0 {
		fmt.Fprintf(log, "authload: %s: warming up for %s with %d workers\n", b, o.warmup, o.concurrency)
		if _, err := hammer(ctx, client, profile, token, o.concurrency, o.warmup); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(log, "authload: %s: measuring for %s with %d workers\n", b, o.duration, o.concurrency)
	if res.load, err = hammer(ctx, client, profile, token, o.concurrency, o.duration); err != nil {
		return nil, err
	}
	if res.loadRSS, err = srv.rss(); err != nil {
		return nil, err
	}
	client.CloseIdleConnections()
	res.stop = srv.stop(o.stopTimeout)
	if !res.stop.clean() {
		if tail := srv.output.tail(); tail != "" {
			fmt.Fprintf(log, "authload: %s: server output:\n%s\n", b, tail)
		}
	}
	return res, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// printHeader prints what the figures depend on: toolchain, server revision,
// machine and the exact flags.
func printHeader(w io.Writer, bin string, args []string, fs *flag.FlagSet) {
	fmt.Fprintf(w, "date:       %s\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(w, "go:         %s (benchmark), %s\n", runtime.Version(), serverBuildInfo(bin))
	fmt.Fprintf(w, "GOMAXPROCS: %d (benchmark; the server runs with the Go default too)\n", runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "CPU:        %s, %d logical CPUs\n", cpuModel(), runtime.NumCPU())
	shown := make([]string, len(args))
	for i, a := range args {
		shown[i] = shellQuote(redactArg(a))
	}
	fmt.Fprintf(w, "command:    go run ./bench/authload %s\n", strings.Join(shown, " "))
	var eff []string
	fs.VisitAll(func(f *flag.Flag) {
		eff = append(eff, fmt.Sprintf("-%s=%s", f.Name, redactArg(f.Value.String())))
	})
	fmt.Fprintf(w, "flags:      %s\n", strings.Join(eff, " "))
}

// redactArg hides the password of a URL argument, given alone or as -flag=URL.
func redactArg(s string) string {
	if k, v, ok := strings.Cut(s, "="); ok && strings.HasPrefix(k, "-") {
		return k + "=" + redactArg(v)
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain characters,
// so the printed command can be pasted back.
func shellQuote(s string) string {
	plain := func(r rune) bool {
		return r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_@%+=:,./-", r))
	}
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool { return !plain(r) }) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// loadAvg returns the machine's 1, 5 and 15 minute load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
