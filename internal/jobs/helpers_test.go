package jobs

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/authorworks/authorworks/internal/sqldb"
	"github.com/authorworks/authorworks/internal/testenv"
)

// testPoll is the poll interval of test queues: short, so tests are quick.
const testPoll = 50 * time.Millisecond

// waitFor bounds every wait in the tests; a healthy run needs far less.
const waitFor = 10 * time.Second

// newDatabaseFunc returns the options of a fresh, empty database; opening them
// twice gives two pools on one database, as two processes have.
type newDatabaseFunc func(t *testing.T) sqldb.Options

func sqliteDatabase(t *testing.T) sqldb.Options { return sqldb.Options{DataDir: t.TempDir()} }

func postgresDatabase(t *testing.T) sqldb.Options {
	return sqldb.Options{URL: testenv.PostgresURL(t), MaxOpenConns: 8}
}

// forEachDialect runs fn as a parallel subtest on each dialect.
func forEachDialect(t *testing.T, fn func(t *testing.T, newDatabase newDatabaseFunc)) {
	t.Helper()
	for _, d := range []struct {
		name string
		fn   newDatabaseFunc
	}{{"sqlite", sqliteDatabase}, {"postgres", postgresDatabase}} {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			fn(t, d.fn)
		})
	}
}

func openDB(t *testing.T, opts sqldb.Options) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// testLogger shows River's warnings and errors in the test's log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(logWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// newQueue builds a Queue on db with test settings, closed when the test ends.
func newQueue(t *testing.T, db *sqldb.DB, change ...func(*Config)) *Queue {
	t.Helper()
	cfg := Config{DB: db, Workers: 4, PollInterval: testPoll, Log: testLogger(t)}
	for _, f := range change {
		f(&cfg)
	}
	q, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := q.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return q
}

func start(t *testing.T, q *Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
}

// testArgs is the job of the tests; Label tells jobs apart.
type testArgs struct {
	Label string `json:"label"`
}

func (testArgs) Kind() string { return "test_job" }

// funcWorker runs work, and retries after 10 ms instead of River's backoff.
type funcWorker struct {
	river.WorkerDefaults[testArgs]
	work func(ctx context.Context, job *river.Job[testArgs]) error
}

func (w *funcWorker) Work(ctx context.Context, job *river.Job[testArgs]) error {
	return w.work(ctx, job)
}

func (w *funcWorker) NextRetry(*river.Job[testArgs]) time.Time {
	return time.Now().Add(10 * time.Millisecond)
}

func worker(work func(ctx context.Context, job *river.Job[testArgs]) error) *funcWorker {
	return &funcWorker{work: work}
}

// runLog records the labels of the jobs a worker ran, in order.
type runLog struct {
	mu     sync.Mutex
	labels []string
}

func (l *runLog) add(label string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.labels = append(l.labels, label)
}

func (l *runLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.labels...)
}

func (l *runLog) worker() *funcWorker {
	return worker(func(_ context.Context, job *river.Job[testArgs]) error {
		l.add(job.Args.Label)
		return nil
	})
}

func insert(t *testing.T, q *Queue, label string) int64 {
	t.Helper()
	id, err := q.Insert(context.Background(), testArgs{Label: label}, nil)
	if err != nil {
		t.Fatalf("Insert %q: %v", label, err)
	}
	return id
}

func jobInfo(t *testing.T, q *Queue, id int64) *Info {
	t.Helper()
	in, err := q.Job(context.Background(), id)
	if err != nil {
		t.Fatalf("Job %d: %v", id, err)
	}
	return in
}

// waitState waits until job id is in state want, failing if it ends in another.
func waitState(t *testing.T, q *Queue, id int64, want State) *Info {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		in := jobInfo(t, q, id)
		if in.State == want {
			return in
		}
		if in.State.Finished() {
			t.Fatalf("job %d ended %s, want %s (errors: %+v)", id, in.State, want, in.Errors)
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d is still %s after %s, want %s", id, in.State, waitFor, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// recv waits for a value on ch.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitFor):
		t.Fatalf("no %s after %s", what, waitFor)
		var zero T
		return zero
	}
}
