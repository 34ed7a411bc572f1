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
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/authorworks/authorworks/bench/internal/backend"
	"github.com/authorworks/authorworks/bench/internal/load"
	"github.com/authorworks/authorworks/bench/internal/report"
	"github.com/authorworks/authorworks/bench/internal/server"
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
	if o.backends, err = backend.Select(*backends, o.postgresURL, o.redisURL); err != nil {
		fmt.Fprintln(stderr, "authload:", err)
		return 2
	}
	if o.concurrency < 1 || o.duration <= 0 || o.warmup < 0 || o.idle < 0 {
		fmt.Fprintln(stderr, "authload: -c must be at least 1, -d positive, -warmup and -idle not negative")
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	loadBefore := report.LoadAvg()

	tmp, err := os.MkdirTemp("", "authload-*")
	if err != nil {
		fmt.Fprintln(stderr, "authload:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	fmt.Fprintln(stderr, "authload: building cmd/authorworks")
	bin, err := server.Build(ctx, tmp, nil, stderr)
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
		report.PrintHeader(stdout, "authload", server.BuildInfo(bin), args, fs)
		fmt.Fprintf(stdout, "loadavg:    %s before, %s after (1, 5, 15 min; other work on the machine skews the figures)\n\n", loadBefore, report.LoadAvg())
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

// runBackend starts a fresh server on backend b, measures it and stops it. The
// server is killed and the backend's database dropped whatever happens.
func runBackend(ctx context.Context, bin, tmp, b string, o options, log io.Writer) (*result, error) {
	setup, err := backend.Prepare(ctx, b, tmp, backend.URLs{Postgres: o.postgresURL, Redis: o.redisURL})
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := setup.Close(); err != nil {
			fmt.Fprintf(log, "authload: %s: %v\n", b, err)
		}
	}()
	if setup.Database != nil {
		fmt.Fprintf(log, "authload: %s: created database %s\n", b, setup.Database.Name)
	}
	port, err := server.FreePort()
	if err != nil {
		return nil, err
	}
	srv, err := server.Start(bin, []string{"serve"}, append(setup.Env, fmt.Sprintf("SERVICE_PORT=%d", port)))
	if err != nil {
		return nil, err
	}
	defer srv.Kill()
	res, err := measure(ctx, srv, port, b, o, log)
	if err != nil {
		if tail := srv.Output(); tail != "" {
			fmt.Fprintf(log, "authload: %s: server output:\n%s\n", b, tail)
		}
		return nil, err
	}
	return res, nil
}

// measure drives one started server through the benchmark's phases.
func measure(ctx context.Context, srv *server.Process, port int, b string, o options, log io.Writer) (*result, error) {
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	res := &result{backend: b}
	var err error
	if res.startup, err = srv.WaitHealthy(ctx, base+"/health", o.startTimeout); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "authload: %s: healthy in %s ms (pid %d, port %d)\n", b, report.Ms(res.startup), srv.PID(), port)
	if err := sleep(ctx, o.idle); err != nil {
		return nil, err
	}
	if res.idleRSS, err = srv.RSS(); err != nil {
		return nil, err
	}

	// Stop the load at once, rather than count refused connections, should the
	// server die under it.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		select {
		case <-srv.Done():
			cancel(fmt.Errorf("server exited during the run: %s", srv.ExitState()))
		case <-ctx.Done():
		}
	}()

	client := load.NewClient(o.concurrency)
	defer client.CloseIdleConnections()
	token, err := load.Register(ctx, client, base)
	if err != nil {
		return nil, err
	}
	profile := func(int) (load.Step, error) { return load.Get(ctx, client, base+"/api/auth/profile", token) }
	if o.warmup > 0 {
		fmt.Fprintf(log, "authload: %s: warming up for %s with %d workers\n", b, o.warmup, o.concurrency)
		if _, err := load.Run(ctx, o.concurrency, o.warmup, profile); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(log, "authload: %s: measuring for %s with %d workers\n", b, o.duration, o.concurrency)
	if res.load, err = load.Run(ctx, o.concurrency, o.duration, profile); err != nil {
		return nil, err
	}
	if res.loadRSS, err = srv.RSS(); err != nil {
		return nil, err
	}
	client.CloseIdleConnections()
	res.stop = srv.Stop(o.stopTimeout)
	if !res.stop.Clean() {
		if tail := srv.Output(); tail != "" {
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
