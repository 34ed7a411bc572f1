package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// Defaults of Config.
const (
	DefaultWorkers      = 4
	DefaultPollInterval = 250 * time.Millisecond
)

// fetchCooldown is the least time between two fetches of one queue. River's
// default (100 ms) suits LISTEN/NOTIFY; with polling, a job inserted by this
// process wakes the fetcher at once, and a short cooldown lets it act at once.
const fetchCooldown = 20 * time.Millisecond

// cancelGrace is how long Stop waits, after cancelling the jobs that outlived
// its context, for them to return. A job still running after that is left to
// River's rescuer, which retries it on some node after an hour.
const cancelGrace = 5 * time.Second

// Config configures a Queue.
type Config struct {
	// DB is our database. River's tables (river_job, river_leader, …) are created
	// in it, beside ours, by New.
	DB *sqldb.DB
	// Workers caps the jobs this process runs at once (default 4). Each node
	// running a Queue adds its own Workers.
	Workers int
	// PollInterval is how often an idle queue looks for jobs inserted by other
	// processes or in transactions, and so bounds how long such a job waits to
	// start (default 250 ms). Jobs inserted with Insert by this process start at
	// once. River's database/sql driver does not LISTEN, so this is the delay on
	// PostgreSQL too.
	PollInterval time.Duration
	// Log receives River's log lines (default slog.Default()).
	Log *slog.Logger
	// Now, when set, is the clock River stamps and compares job times with,
	// instead of the database's clock. It is for tests on a fake clock; leave it
	// nil in production.
	Now func() time.Time
}

// Queue is a durable job queue backed by River. Build it with New, Register a
// worker for every job kind, then Start it to work jobs; a Queue that is never
// started can still insert jobs for other nodes to run.
type Queue struct {
	client  *river.Client[*sql.Tx]
	workers *river.Workers
	// riverDB is River's own SQLite pool (see openRiverSQLite); nil on PostgreSQL.
	riverDB *sql.DB

	mu      sync.Mutex
	started bool
	closed  bool
}

// New creates or upgrades River's schema in cfg.DB and builds a Queue on it. Its
// migrations are River's own, separate from sqldb's, and safe to run from
// several processes at once.
func New(ctx context.Context, cfg Config) (*Queue, error) {
	if cfg.DB == nil {
		return nil, errors.New("jobs: Config.DB is required")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	q := &Queue{workers: river.NewWorkers()}
	rcfg := &river.Config{
		FetchCooldown:     min(fetchCooldown, cfg.PollInterval),
		FetchPollInterval: cfg.PollInterval,
		Logger:            cfg.Log,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:           q.workers,
	}
	if cfg.Now != nil {
		rcfg.Test.Time = clock(cfg.Now)
	}
	var err error
	switch cfg.DB.Dialect() {
	case sqldb.SQLite:
		if q.riverDB, err = openRiverSQLite(ctx, cfg.DB); err != nil {
			return nil, err
		}
		if err := migrateSQLite(ctx, q.riverDB, cfg.Log); err != nil {
			q.riverDB.Close()
			return nil, err
		}
		q.client, err = river.NewClient(riversqlite.New(q.riverDB), rcfg)
	case sqldb.Postgres:
		if err := migratePostgres(ctx, cfg.DB, cfg.Log); err != nil {
			return nil, err
		}
		q.client, err = river.NewClient(riverdatabasesql.New(cfg.DB.DB), rcfg)
	default:
		return nil, fmt.Errorf("jobs: unsupported dialect %q", cfg.DB.Dialect())
	}
	if err != nil {
		if q.riverDB != nil {
			q.riverDB.Close()
		}
		return nil, fmt.Errorf("jobs: build River client: %w", err)
	}
	return q, nil
}

// kindPattern is the form River requires of a job kind: two or more word
// characters or -[]<>/.·:+, starting with a word character. River checks it
// only for workers registered before its client is built, which ours never are.
var kindPattern = regexp.MustCompile(`\A[\w][\w\-\[\]<>\/.·:+]+\z`)

// Register makes w the worker of job kind T. Call it for every kind during
// setup, before Start and before the Queue is used concurrently; Insert refuses
// kinds with no worker. It panics, like http.Handle, on a programming error: a
// second worker for a kind, a kind River cannot accept, or a call after Start.
//
// One attempt may run for the worker's Timeout (River's default: one minute;
// return -1 for none). A job still running an hour after its attempt began
// (an hour after its timeout, when that is longer) is taken for dead and run
// again, so long pipelines must checkpoint in their own rows.
func Register[T river.JobArgs](q *Queue, w river.Worker[T]) {
	var args T
	if kind := args.Kind(); !kindPattern.MatchString(kind) {
		panic(fmt.Sprintf("jobs: job kind %q must match %s", kind, kindPattern))
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		panic("jobs: Register after Start")
	}
	if err := river.AddWorkerSafely(q.workers, w); err != nil {
		panic("jobs: " + err.Error())
	}
}

// Start starts working jobs in the background. ctx bounds only the start-up;
// the queue runs until Stop.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return errors.New("jobs: start: queue is closed")
	}
	if q.started {
		return nil
	}
	// River hard-stops when its start context ends; only Stop should stop it.
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	q.started = true
	return nil
}

// Stop stops fetching jobs and waits for the running ones to finish. If ctx
// ends first, it cancels their contexts, waits a few seconds more for them to
// return and reports ctx's error. A job cancelled this way is not failed: it
// goes back to the queue without using up an attempt and runs again on the next
// start, here or on another node.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.stop(ctx)
}

func (q *Queue) stop(ctx context.Context) error {
	if !q.started {
		return nil
	}
	err := q.client.Stop(ctx)
	if err == nil {
		q.started = false
		return nil
	}
	if ctx.Err() == nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelGrace)
	defer cancel()
	if herr := q.client.StopAndCancel(hctx); herr != nil {
		return fmt.Errorf("jobs: stop: running jobs ignored cancellation for %s: %w", cancelGrace, ctx.Err())
	}
	q.started = false
	return fmt.Errorf("jobs: stop: cancelled the jobs still running: %w", ctx.Err())
}

// Close stops the queue if it runs, cancelling running jobs at once, and
// releases River's own SQLite connection. Call Stop first for a graceful stop.
// The Queue cannot be used afterwards.
func (q *Queue) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return nil
	}
	q.closed = true
	var err error
	if q.started {
		ctx, cancel := context.WithTimeout(context.Background(), cancelGrace)
		defer cancel()
		if q.client.StopAndCancel(ctx) != nil {
			err = fmt.Errorf("jobs: close: running jobs ignored cancellation for %s", cancelGrace)
		}
		q.started = false
	}
	if q.riverDB != nil {
		err = errors.Join(err, q.riverDB.Close())
	}
	return err
}

// Insert enqueues a job and returns its id. opts may be nil; set
// opts.ScheduledAt to run it later, opts.MaxAttempts to bound retries,
// opts.UniqueOpts to skip duplicates (the id is then the existing job's).
// Inside a transaction use InsertTx: on SQLite, Insert waits for the
// transaction's write lock.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// InsertTx enqueues a job within tx, a transaction of Config.DB: the job exists,
// and can run, only once tx commits. It is picked up within PollInterval of the
// commit.
func (q *Queue) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := q.client.InsertTx(ctx, tx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// Cancel cancels a job. A job waiting to run never runs. A running job has its
// context cancelled and ends cancelled when it returns an error (ctx.Err(),
// typically); if it completes anyway, it stays completed. A finished job is
// left as it is. The cancellation reaches another node's running job within a
// few seconds, and this node's at once.
func (q *Queue) Cancel(ctx context.Context, id int64) error {
	if _, err := q.client.JobCancel(ctx, id); err != nil {
		return jobError("cancel", id, err)
	}
	return nil
}

// Healthy reports whether the queue's database answers and River's tables are
// in place, for /health.
func (q *Queue) Healthy(ctx context.Context) error {
	q.mu.Lock()
	closed := q.closed
	q.mu.Unlock()
	if closed {
		return &errs.Error{Kind: errs.Unavailable, Message: "job queue is closed"}
	}
	if err := q.client.Driver().GetExecutor().Ping(ctx); err != nil {
		return &errs.Error{Kind: errs.Unavailable, Message: "job queue database is unreachable", Err: err}
	}
	if _, err := q.client.QueueList(ctx, river.NewQueueListParams().First(1)); err != nil {
		return &errs.Error{Kind: errs.Unavailable, Message: "job queue tables are unreadable", Err: err}
	}
	return nil
}

// jobError wraps an error of River's about job id, giving not-found its kind.
func jobError(op string, id int64, err error) error {
	if errors.Is(err, rivertype.ErrNotFound) {
		return &errs.Error{Kind: errs.NotFound, Message: "job not found", Err: err}
	}
	return fmt.Errorf("jobs: %s job %d: %w", op, id, err)
}

// clock gives River Config.Now, for its in-process time math and, in place of
// the database's clock, for every time it writes or compares.
type clock func() time.Time

func (c clock) Now() time.Time { return c() }

func (c clock) NowOrNil() *time.Time {
	t := c()
	return &t
}

var _ rivertype.TimeGenerator = clock(nil)
