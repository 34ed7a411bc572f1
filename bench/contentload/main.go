//go:build linux

// Command contentload measures the Content service of the real authorworks binary
// against a baseline in the same run. It builds cmd/authorworks once, then for
// each selected backend starts it as a subprocess on 127.0.0.1, creates its test
// data through the API, and measures under concurrent load:
//
//   - GET /api/stories/{id}, as the owner, of a story with 20 chapters;
//   - PUT /api/chapters/{id} saving a 5,000-word chapter, each worker saving its
//     own chapter with the version its previous save returned.
//
// The baseline is a bare net/http server (this program run again as
// "contentload serve-baseline") that answers the same two requests with one query
// each, on the same database through the same driver and pool size. The report
// gives our throughput as a ratio of the baseline's; bench/README.md explains it.
//
// It runs on Linux only, like authload: the servers die with it (Pdeathsig). All
// traffic goes to 127.0.0.1, every loop is bounded by a duration, and the servers
// are stopped with SIGTERM at the end and killed on any error or Ctrl-C.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
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
	chapters     int
	words        int
	paragraphs   int
	startTimeout time.Duration
	stopTimeout  time.Duration
	cpuprofile   string
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == baselineCommand {
		os.Exit(serveBaseline(os.Args[2:], os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("contentload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	backends := fs.String("backends", "", "comma-separated backends to run: embedded, postgres, postgres+redis\n(default: embedded, plus postgres or postgres+redis when their URLs are given)")
	fs.StringVar(&o.postgresURL, "postgres-url", os.Getenv("AUTHORWORKS_BENCH_POSTGRES_URL"), "PostgreSQL server URL; a fresh database awbench_<random> is created on it and dropped afterwards\n(default $AUTHORWORKS_BENCH_POSTGRES_URL)")
	fs.StringVar(&o.redisURL, "redis-url", os.Getenv("AUTHORWORKS_BENCH_REDIS_URL"), "Redis URL for the postgres+redis backend; keys go under a unique REDIS_PREFIX\n(default $AUTHORWORKS_BENCH_REDIS_URL)")
	fs.IntVar(&o.concurrency, "c", 32, "concurrent workers; each saving worker has a story and chapter of its own")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "measured duration of each of the four runs")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before each measured run")
	fs.IntVar(&o.chapters, "chapters", 20, "chapters of the story that GET /api/stories/{id} reads")
	fs.IntVar(&o.words, "words", 5000, "words in a chapter")
	fs.IntVar(&o.paragraphs, "paragraphs", 60, "paragraphs in a chapter")
	fs.DurationVar(&o.startTimeout, "start-timeout", 60*time.Second, "longest wait for GET /health to return 200")
	fs.DurationVar(&o.stopTimeout, "stop-timeout", 30*time.Second, "longest wait for a server to exit after SIGTERM")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "directory to write CPU profiles of the server's measured runs to, as <backend>-get.pprof\nand <backend>-save.pprof (builds the server with a profiling hook; see bench/README.md)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "contentload: unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return 2
	}
	var err error
	if o.backends, err = backend.Select(*backends, o.postgresURL, o.redisURL); err != nil {
		fmt.Fprintln(stderr, "contentload:", err)
		return 2
	}
	if o.concurrency < 1 || o.concurrency > 1000 || o.duration <= 0 || o.warmup < 0 || o.chapters < 1 || o.chapters > 1000 {
		fmt.Fprintln(stderr, "contentload: -c and -chapters must be from 1 to 1000, -d positive, -warmup not negative")
		return 2
	}
	doc, err := newDocument(o.words, o.paragraphs)
	if err != nil {
		fmt.Fprintln(stderr, "contentload:", err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	loadBefore := report.LoadAvg()

	tmp, err := os.MkdirTemp("", "contentload-*")
	if err != nil {
		fmt.Fprintln(stderr, "contentload:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	r := &runner{o: o, doc: doc, tmp: tmp, log: stderr}
	if r.self, err = os.Executable(); err != nil {
		fmt.Fprintln(stderr, "contentload: find this program to run the baseline:", err)
		return 1
	}
	var buildFlags []string
	if o.cpuprofile != "" {
		if r.profileDir, err = filepath.Abs(o.cpuprofile); err == nil {
			err = os.MkdirAll(r.profileDir, 0o755)
		}
		if err == nil {
			buildFlags, err = profileBuildFlags(ctx, tmp)
		}
		if err != nil {
			fmt.Fprintln(stderr, "contentload: -cpuprofile:", err)
			return 1
		}
	}
	fmt.Fprintln(stderr, "contentload: building cmd/authorworks")
	if r.bin, err = server.Build(ctx, tmp, buildFlags, stderr); err != nil {
		fmt.Fprintln(stderr, "contentload:", err)
		return 1
	}

	var results []*result
	failed := false
	for _, b := range o.backends {
		res, err := r.backend(ctx, b)
		if err != nil {
			fmt.Fprintf(stderr, "contentload: %s: %v\n", b, err)
			failed = true
			if ctx.Err() != nil {
				break
			}
			continue
		}
		results = append(results, res)
	}

	if len(results) > 0 {
		report.PrintHeader(stdout, "contentload", server.BuildInfo(r.bin), args, fs)
		fmt.Fprintf(stdout, "loadavg:    %s before, %s after (1, 5, 15 min; other work on the machine skews the figures)\n", loadBefore, report.LoadAvg())
		printSetup(stdout, o, doc)
		for _, res := range results {
			printBackend(stdout, res)
		}
	}
	for _, res := range results {
		if !res.ok() {
			failed = true
		}
	}
	if failed {
		fmt.Fprintln(stderr, "contentload: FAILED (see errors above)")
		return 1
	}
	return 0
}

// runner runs the benchmark on one backend after another.
type runner struct {
	o          options
	doc        *document
	bin        string // the server
	self       string // this program, which is also the baseline server
	tmp        string
	profileDir string // absolute -cpuprofile, or ""
	log        io.Writer
}

func (r *runner) logf(b, format string, args ...any) {
	fmt.Fprintf(r.log, "contentload: %s: %s\n", b, fmt.Sprintf(format, args...))
}

// backend starts a fresh server on backend b, measures it and its baseline, and
// stops both. The servers are killed and the database dropped whatever happens.
func (r *runner) backend(ctx context.Context, b string) (*result, error) {
	setup, err := backend.Prepare(ctx, b, r.tmp, backend.URLs{Postgres: r.o.postgresURL, Redis: r.o.redisURL})
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := setup.Close(); err != nil {
			r.logf(b, "%v", err)
		}
	}()
	if setup.Database != nil {
		r.logf(b, "created database %s", setup.Database.Name)
	}
	port, err := server.FreePort()
	if err != nil {
		return nil, err
	}
	env := append(setup.Env, fmt.Sprintf("SERVICE_PORT=%d", port))
	var prof *profiler
	if r.profileDir != "" {
		prof = &profiler{prefix: filepath.Join(r.profileDir, b), dir: r.profileDir}
		env = append(env, profileEnv+"="+prof.prefix)
	}
	app, err := server.Start(r.bin, []string{"serve"}, env)
	if err != nil {
		return nil, err
	}
	defer app.Kill()
	if prof != nil {
		prof.proc = app
	}
	res, err := r.measure(ctx, b, setup, app, port, prof)
	if err != nil {
		if tail := app.Output(); tail != "" {
			r.logf(b, "server output:\n%s", tail)
		}
		return nil, err
	}
	return res, nil
}

// measure sets up the data and the baseline, then runs the four measured runs:
// ours and the baseline's GET, then ours and the baseline's save, each pair back
// to back so that both see the same load on the machine.
func (r *runner) measure(ctx context.Context, b string, setup *backend.Setup, app *server.Process, port int, prof *profiler) (*result, error) {
	o := r.o
	ours := fmt.Sprintf("http://127.0.0.1:%d", port)
	startup, err := app.WaitHealthy(ctx, ours+"/health", o.startTimeout)
	if err != nil {
		return nil, err
	}
	r.logf(b, "server healthy in %s ms (pid %d, port %d)", report.Ms(startup), app.PID(), port)

	// Stop the load at once, rather than count refused connections, should a
	// server die under it.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watch(ctx, cancel, app, "server")

	client := load.NewClient(o.concurrency)
	defer client.CloseIdleConnections()
	r.logf(b, "creating a story with %d chapters and %d stories with a chapter each, through the API", o.chapters, o.concurrency)
	fx, err := createFixture(ctx, client, ours, o, r.doc)
	if err != nil {
		return nil, err
	}

	// The baseline's database: on SQLite a copy of the server's, taken now; on
	// PostgreSQL the same database, so its saves continue the server's versions.
	database, shown, baseSavers := "", "", fx.savers
	if setup.Database != nil {
		database, shown = setup.Database.URL, "postgres "+setup.Database.Name
	} else {
		cp := filepath.Join(r.tmp, "baseline-"+b+".db")
		if err := snapshotSQLite(ctx, setup.SQLitePath(), cp); err != nil {
			return nil, err
		}
		database, shown, baseSavers = "sqlite:"+cp, "sqlite "+cp, slices.Clone(fx.savers)
	}
	basePort, err := server.FreePort()
	if err != nil {
		return nil, err
	}
	baseProc, err := server.Start(r.self, []string{baselineCommand, "-addr", fmt.Sprintf("127.0.0.1:%d", basePort)},
		[]string{baselineDatabaseEnv + "=" + database})
	if err != nil {
		return nil, err
	}
	defer baseProc.Kill()
	baseline := fmt.Sprintf("http://127.0.0.1:%d", basePort)
	if _, err := baseProc.WaitHealthy(ctx, baseline+"/health", o.startTimeout); err != nil {
		return nil, fmt.Errorf("baseline: %w (output: %s)", err, baseProc.Output())
	}
	watch(ctx, cancel, baseProc, "baseline server")
	if err := checkBaseline(ctx, client, baseline, fx); err != nil {
		return nil, err
	}
	r.logf(b, "baseline healthy (pid %d, port %d, %s)", baseProc.PID(), basePort, shown)

	res := &result{backend: b, fx: fx}
	storyPath := "/api/stories/" + fx.storyID
	if res.get.ours, err = r.phase(ctx, b, "ours GET", prof, "get", func(int) (load.Step, error) {
		return load.Get(ctx, client, ours+storyPath, fx.token)
	}); err != nil {
		return nil, err
	}
	if res.get.base, err = r.phase(ctx, b, "baseline GET", nil, "", func(int) (load.Step, error) {
		return load.Get(ctx, client, baseline+storyPath, "")
	}); err != nil {
		return nil, err
	}
	if res.save.ours, err = r.phase(ctx, b, "ours PUT", prof, "save", saveSteps(ctx, client, ours, fx.token, fx.savers, r.doc)); err != nil {
		return nil, err
	}
	if res.versions, err = countVersions(ctx, client, ours, fx.token, fx.savers[0].chapterID); err != nil {
		return nil, err
	}
	res.saves = fx.savers[0].revision
	if res.save.base, err = r.phase(ctx, b, "baseline PUT", nil, "", saveSteps(ctx, client, baseline, "", baseSavers, r.doc)); err != nil {
		return nil, err
	}
	if prof != nil {
		res.profiles = prof.written
	}

	client.CloseIdleConnections()
	res.appStop = app.Stop(o.stopTimeout)
	res.baseStop = baseProc.Stop(o.stopTimeout)
	if !res.appStop.Clean() {
		r.logf(b, "server output:\n%s", app.Output())
	}
	if !res.baseStop.Clean() {
		r.logf(b, "baseline output:\n%s", baseProc.Output())
	}
	return res, nil
}

// watch cancels ctx should p exit while ctx is live.
func watch(ctx context.Context, cancel context.CancelCauseFunc, p *server.Process, what string) {
	go func() {
		select {
		case <-p.Done():
			cancel(fmt.Errorf("%s exited during the run: %s", what, p.ExitState()))
		case <-ctx.Done():
		}
	}()
}

// phase runs newStep's steps for -warmup, unmeasured, then for -d, measured,
// under a CPU profile named profile when prof is set.
func (r *runner) phase(ctx context.Context, b, name string, prof *profiler, profile string, newStep func(int) (load.Step, error)) (*phaseResult, error) {
	p := &phaseResult{}
	var err error
	if r.o.warmup > 0 {
		r.logf(b, "%s: warming up for %s with %d workers", name, r.o.warmup, r.o.concurrency)
		if p.warmup, err = load.Run(ctx, r.o.concurrency, r.o.warmup, newStep); err != nil {
			return nil, err
		}
	}
	if prof != nil {
		if err := prof.start(); err != nil {
			return nil, err
		}
	}
	r.logf(b, "%s: measuring for %s with %d workers", name, r.o.duration, r.o.concurrency)
	if p.load, err = load.Run(ctx, r.o.concurrency, r.o.duration, newStep); err != nil {
		return nil, err
	}
	if prof != nil {
		path, err := prof.stop(b + "-" + profile)
		if err != nil {
			return nil, err
		}
		r.logf(b, "wrote %s", path)
	}
	return p, nil
}

// snapshotSQLite writes a consistent copy of the SQLite database at src to dst
// (VACUUM INTO, while the server runs), for the baseline to write to.
func snapshotSQLite(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite", "file:"+src+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO $1", dst); err != nil {
		return fmt.Errorf("copy %s for the baseline: %w", src, err)
	}
	return nil
}
