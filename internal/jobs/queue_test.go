package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/authorworks/authorworks/internal/errs"
)

func TestRunsToCompletion(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		q := newQueue(t, openDB(t, newDatabase(t)))
		ran := make(chan testArgs, 1)
		Register(q, worker(func(_ context.Context, job *river.Job[testArgs]) error {
			ran <- job.Args
			return nil
		}))
		start(t, q)
		begin := time.Now()
		id := insert(t, q, "hello")
		if got := recv(t, ran, "run"); got.Label != "hello" {
			t.Errorf("worker got label %q, want %q", got.Label, "hello")
		}
		in := waitState(t, q, id, StateCompleted)
		t.Logf("inserted to completed in %s", time.Since(begin))
		if in.ID != id || in.Kind != "test_job" || in.Queue != river.QueueDefault || in.Attempt != 1 || len(in.Errors) != 0 {
			t.Errorf("Job = %+v, want id %d, kind test_job, queue default, attempt 1, no errors", in, id)
		}
		if in.CreatedAt.IsZero() || in.AttemptedAt.IsZero() || in.FinishedAt.IsZero() || in.FinishedAt.Before(in.CreatedAt) {
			t.Errorf("Job times = created %s, attempted %s, finished %s; want all set, in order", in.CreatedAt, in.AttemptedAt, in.FinishedAt)
		}
	})
}

func TestRetriesAfterAnError(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		q := newQueue(t, openDB(t, newDatabase(t)))
		Register(q, worker(func(_ context.Context, job *river.Job[testArgs]) error {
			if job.Attempt == 1 {
				return errors.New("provider hiccup")
			}
			return nil
		}))
		start(t, q)
		id := insert(t, q, "flaky")
		in := waitState(t, q, id, StateCompleted)
		if in.Attempt != 2 {
			t.Errorf("Attempt = %d, want 2", in.Attempt)
		}
		if len(in.Errors) != 1 || in.Errors[0].Attempt != 1 || in.Errors[0].Error != "provider hiccup" || in.Errors[0].At.IsZero() {
			t.Errorf("Errors = %+v, want one: attempt 1, %q", in.Errors, "provider hiccup")
		}
	})
}

func TestJobCancelFromWorkerIsNotRetried(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		q := newQueue(t, openDB(t, newDatabase(t)))
		Register(q, worker(func(context.Context, *river.Job[testArgs]) error {
			return river.JobCancel(errors.New("story deleted"))
		}))
		start(t, q)
		id := insert(t, q, "doomed")
		in := waitState(t, q, id, StateCancelled)
		if in.Attempt != 1 || len(in.Errors) != 1 {
			t.Errorf("Job = %+v, want attempt 1 and one error", in)
		}
	})
}

func TestInsertTxFollowsTheTransaction(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		ctx := context.Background()
		db := openDB(t, newDatabase(t))
		if _, err := db.ExecContext(ctx, `CREATE TABLE notes (label TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		q := newQueue(t, db)
		var runs runLog
		Register(q, runs.worker())
		start(t, q) // running, so that on SQLite River's own connection competes with ours

		// Our row and the job are written, and kept or dropped, together.
		insertBoth := func(label string, commit bool) (int64, error) {
			var id int64
			errRollback := errors.New("roll back")
			err := db.InTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO notes (label) VALUES ($1)`, label); err != nil {
					return err
				}
				var err error
				if id, err = q.InsertTx(ctx, tx, testArgs{Label: label}, nil); err != nil {
					return err
				}
				if !commit {
					return errRollback
				}
				return nil
			})
			if !commit && errors.Is(err, errRollback) {
				err = nil
			}
			return id, err
		}
		if _, err := insertBoth("rolled back", false); err != nil {
			t.Fatalf("rolled-back transaction: %v", err)
		}
		id, err := insertBoth("committed", true)
		if err != nil {
			t.Fatalf("committed transaction: %v", err)
		}
		waitState(t, q, id, StateCompleted)
		time.Sleep(3 * testPoll) // time for a phantom job to be picked up, were there one
		if got, want := runs.get(), []string{"committed"}; !slices.Equal(got, want) {
			t.Errorf("jobs run = %q, want %q", got, want)
		}
		res, err := q.client.JobList(ctx, river.NewJobListParams())
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Jobs) != 1 {
			t.Errorf("river_job holds %d jobs, want 1", len(res.Jobs))
		}
		var notes int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notes`).Scan(&notes); err != nil {
			t.Fatal(err)
		}
		if notes != 1 {
			t.Errorf("notes holds %d rows, want 1", notes)
		}
	})
}

func TestJobSurvivesRestart(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		ctx := context.Background()
		opts := newDatabase(t)

		// Process 1 starts, stops, then inserts a job no one is running.
		db1 := openDB(t, opts)
		q1 := newQueue(t, db1)
		var runs1 runLog
		Register(q1, runs1.worker())
		start(t, q1)
		if err := q1.Stop(ctx); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		id := insert(t, q1, "left behind")
		if err := q1.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		db1.Close()

		// Process 2 opens the same database and runs it.
		q2 := newQueue(t, openDB(t, opts))
		var runs2 runLog
		Register(q2, runs2.worker())
		start(t, q2)
		waitState(t, q2, id, StateCompleted)
		if got := runs1.get(); len(got) != 0 {
			t.Errorf("queue 1 ran %q, want nothing", got)
		}
		if got, want := runs2.get(), []string{"left behind"}; !slices.Equal(got, want) {
			t.Errorf("queue 2 ran %q, want %q", got, want)
		}
	})
}

func TestCancelRunningJob(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		ctx := context.Background()
		q := newQueue(t, openDB(t, newDatabase(t)))
		started := make(chan struct{}, 1)
		ended := make(chan error, 1)
		Register(q, worker(func(ctx context.Context, _ *river.Job[testArgs]) error {
			started <- struct{}{}
			<-ctx.Done()
			ended <- ctx.Err()
			return ctx.Err()
		}))
		start(t, q)
		id := insert(t, q, "long")
		recv(t, started, "start of the job")
		begin := time.Now()
		if err := q.Cancel(ctx, id); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
		if err := recv(t, ended, "cancellation of the job's context"); !errors.Is(err, context.Canceled) {
			t.Errorf("job context ended with %v, want context.Canceled", err)
		}
		t.Logf("Cancel reached the job in %s", time.Since(begin))
		in := waitState(t, q, id, StateCancelled)
		if in.Attempt != 1 {
			t.Errorf("Attempt = %d, want 1", in.Attempt)
		}
	})
}

func TestCancelWaitingJob(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		ctx := context.Background()
		q := newQueue(t, openDB(t, newDatabase(t)))
		var runs runLog
		Register(q, runs.worker())
		id := insert(t, q, "never")
		if err := q.Cancel(ctx, id); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
		if in := jobInfo(t, q, id); in.State != StateCancelled || in.Attempt != 0 {
			t.Fatalf("after Cancel: state %s attempt %d, want cancelled, 0", in.State, in.Attempt)
		}
		start(t, q)
		waitState(t, q, insert(t, q, "after"), StateCompleted)
		time.Sleep(2 * testPoll)
		if got, want := runs.get(), []string{"after"}; !slices.Equal(got, want) {
			t.Errorf("jobs run = %q, want %q", got, want)
		}
	})
}

func TestStopWaitsForRunningJob(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		q := newQueue(t, openDB(t, newDatabase(t)))
		started := make(chan struct{}, 1)
		release := make(chan struct{})
		Register(q, worker(func(ctx context.Context, _ *river.Job[testArgs]) error {
			started <- struct{}{}
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}))
		start(t, q)
		id := insert(t, q, "busy")
		recv(t, started, "start of the job")

		stopped := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), waitFor)
			defer cancel()
			stopped <- q.Stop(ctx)
		}()
		select {
		case err := <-stopped:
			t.Fatalf("Stop returned (%v) while the job was still running", err)
		case <-time.After(300 * time.Millisecond):
		}
		close(release)
		if err := recv(t, stopped, "return of Stop"); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		if in := jobInfo(t, q, id); in.State != StateCompleted {
			t.Errorf("after Stop: state %s, want completed", in.State)
		}
	})
}

func TestStopCancelsJobsThatOutliveIt(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		opts := newDatabase(t)
		q := newQueue(t, openDB(t, opts))
		started := make(chan struct{}, 1)
		Register(q, worker(func(ctx context.Context, _ *river.Job[testArgs]) error {
			started <- struct{}{}
			<-ctx.Done()
			return ctx.Err()
		}))
		start(t, q)
		id := insert(t, q, "stubborn")
		recv(t, started, "start of the job")

		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if err := q.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Stop = %v, want context.DeadlineExceeded", err)
		}
		// Interrupted, not failed: back in the queue without using an attempt.
		if in := jobInfo(t, q, id); in.State != StateAvailable || in.Attempt != 0 || len(in.Errors) != 0 {
			t.Fatalf("after Stop: %+v, want available, attempt 0, no errors", in)
		}

		q2 := newQueue(t, openDB(t, opts))
		var runs runLog
		Register(q2, runs.worker())
		start(t, q2)
		if in := waitState(t, q2, id, StateCompleted); in.Attempt != 1 {
			t.Errorf("rerun: Attempt = %d, want 1", in.Attempt)
		}
	})
}

func TestScaleOutRunsEachJobOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		opts := newDatabase(t)
		const nodes, jobs = 2, 30
		var mu sync.Mutex
		runs := map[string]int{}
		perNode := make([]int, nodes)
		queues := make([]*Queue, nodes)
		for i := range queues {
			q := newQueue(t, openDB(t, opts), func(c *Config) { c.Workers = 2 })
			Register(q, worker(func(_ context.Context, job *river.Job[testArgs]) error {
				time.Sleep(20 * time.Millisecond)
				mu.Lock()
				defer mu.Unlock()
				runs[job.Args.Label]++
				perNode[i]++
				return nil
			}))
			start(t, q)
			queues[i] = q
		}
		ids := make([]int64, jobs)
		for i := range ids {
			ids[i] = insert(t, queues[i%nodes], fmt.Sprintf("job %d", i))
		}
		for _, id := range ids {
			waitState(t, queues[0], id, StateCompleted)
		}
		time.Sleep(3 * testPoll)
		mu.Lock()
		defer mu.Unlock()
		for i := range jobs {
			if label := fmt.Sprintf("job %d", i); runs[label] != 1 {
				t.Errorf("%s ran %d times, want 1", label, runs[label])
			}
		}
		t.Logf("jobs per node: %v", perNode)
		for i, n := range perNode {
			if n == 0 {
				t.Errorf("node %d ran no job (per node: %v), want work on both", i, perNode)
			}
		}
	})
}

func TestJobAndCancelOfUnknownID(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		ctx := context.Background()
		q := newQueue(t, openDB(t, newDatabase(t)))
		if _, err := q.Job(ctx, 424242); !errs.Is(err, errs.NotFound) {
			t.Errorf("Job(unknown) = %v, want a NotFound error", err)
		}
		if err := q.Cancel(ctx, 424242); !errs.Is(err, errs.NotFound) {
			t.Errorf("Cancel(unknown) = %v, want a NotFound error", err)
		}
	})
}

func TestHealthy(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		ctx := context.Background()
		q := newQueue(t, openDB(t, newDatabase(t)))
		var runs runLog
		Register(q, runs.worker())
		if err := q.Healthy(ctx); err != nil {
			t.Errorf("Healthy before Start = %v, want nil", err)
		}
		start(t, q)
		if err := q.Healthy(ctx); err != nil {
			t.Errorf("Healthy while running = %v, want nil", err)
		}
		if err := q.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if err := q.Healthy(ctx); !errs.Is(err, errs.Unavailable) {
			t.Errorf("Healthy after Close = %v, want an Unavailable error", err)
		}
	})
}

func TestNowStampsJobs(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		now := time.Date(2031, 2, 3, 4, 5, 6, 789_000_000, time.UTC)
		q := newQueue(t, openDB(t, newDatabase(t)), func(c *Config) { c.Now = func() time.Time { return now } })
		var runs runLog
		Register(q, runs.worker())
		start(t, q)
		in := waitState(t, q, insert(t, q, "stamped"), StateCompleted)
		if !in.CreatedAt.Equal(now) || !in.FinishedAt.Equal(now) {
			t.Errorf("created %s, finished %s; want both %s", in.CreatedAt, in.FinishedAt, now)
		}
	})
}
