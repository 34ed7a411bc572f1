package jobs

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/authorworks/authorworks/internal/sqldb"
)

// riverVersions returns how many of River's migrations the database has and
// how many this River knows.
func riverVersions(t *testing.T, q *Queue, db *sqldb.DB) (applied, known int) {
	t.Helper()
	var m interface {
		ExistingVersions(context.Context) ([]rivermigrate.Migration, error)
		AllVersions() []rivermigrate.Migration
	}
	var err error
	if q.riverDB != nil {
		m, err = rivermigrate.New(riversqlite.New(q.riverDB), nil)
	} else {
		m, err = rivermigrate.New(riverdatabasesql.New(db.DB), nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	existing, err := m.ExistingVersions(context.Background())
	if err != nil {
		t.Fatalf("ExistingVersions: %v", err)
	}
	return len(existing), len(m.AllVersions())
}

// TestNewConcurrently starts several nodes on one empty database at once: River's
// schema must be created once and every New succeed.
func TestNewConcurrently(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		opts := newDatabase(t)
		const nodes = 4
		dbs := make([]*sqldb.DB, nodes)
		for i := range dbs {
			dbs[i] = openDB(t, opts)
		}
		queues := make([]*Queue, nodes)
		errs := make([]error, nodes)
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Go(func() {
				queues[i], errs[i] = New(context.Background(), Config{DB: db, Log: testLogger(t)})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("node %d: New: %v", i, err)
				continue
			}
			t.Cleanup(func() { queues[i].Close() })
		}
		if t.Failed() {
			return
		}
		if applied, known := riverVersions(t, queues[0], dbs[0]); applied != known || known == 0 {
			t.Errorf("River migrations applied = %d, want all %d", applied, known)
		}
	})
}

// TestCoexistsWithOurMigrations checks that River's schema and ours do not get
// in each other's way, whichever is created first.
func TestCoexistsWithOurMigrations(t *testing.T) {
	forEachDialect(t, func(t *testing.T, newDatabase newDatabaseFunc) {
		ctx := context.Background()
		latest := func(t *testing.T, db *sqldb.DB) int {
			t.Helper()
			ours, err := sqldb.Migrations(db.Dialect())
			if err != nil {
				t.Fatal(err)
			}
			return ours[len(ours)-1].Version
		}

		t.Run("ours first", func(t *testing.T) {
			db := openDB(t, newDatabase(t))
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			q := newQueue(t, db)
			if applied, err := db.Migrate(ctx); err != nil || len(applied) != 0 {
				t.Errorf("Migrate after New = %v, %v; want nothing applied", applied, err)
			}
			if v, err := db.Version(ctx); err != nil || v != latest(t, db) {
				t.Errorf("Version = %d, %v; want %d", v, err, latest(t, db))
			}
			// New is idempotent: a second node finds River's schema in place.
			newQueue(t, db)
			if applied, known := riverVersions(t, q, db); applied != known {
				t.Errorf("River migrations applied = %d, want %d", applied, known)
			}
		})
		t.Run("river first", func(t *testing.T) {
			db := openDB(t, newDatabase(t))
			newQueue(t, db)
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatalf("Migrate after New: %v", err)
			}
			if v, err := db.Version(ctx); err != nil || v != latest(t, db) {
				t.Errorf("Version = %d, %v; want %d", v, err, latest(t, db))
			}
		})
	})
}

// TestInsertTxOnBusySQLite holds a write transaction of our pool open while the
// queue works jobs on its own connection: River must wait for the lock, not
// fail, and the job inserted in the transaction must run once it commits.
func TestInsertTxOnBusySQLite(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqliteDatabase(t))
	q := newQueue(t, db)
	var runs runLog
	Register(q, runs.worker())
	start(t, q)
	before := insert(t, q, "before")
	waitState(t, q, before, StateCompleted)

	var id int64
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = q.InsertTx(ctx, tx, testArgs{Label: "in tx"}, nil); err != nil {
			return err
		}
		// Hold the write lock across several of River's polls.
		for range 5 {
			if _, err := tx.ExecContext(ctx, `SELECT 1`); err != nil {
				return err
			}
			time.Sleep(testPoll)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("InTx: %v", err)
	}
	waitState(t, q, id, StateCompleted)
}

func TestRegisterRefusesMistakes(t *testing.T) {
	q := newQueue(t, openDB(t, sqliteDatabase(t)))
	var runs runLog
	Register(q, runs.worker())
	for _, tc := range []struct {
		name     string
		register func()
		want     string
	}{
		{"one-letter kind", func() { Register(q, river.WorkFunc(func(context.Context, *river.Job[shortKind]) error { return nil })) }, "must match"},
		{"second worker for a kind", func() { Register(q, runs.worker()) }, "already registered"},
		{"after Start", func() {
			start(t, q)
			Register(q, river.WorkFunc(func(context.Context, *river.Job[otherArgs]) error { return nil }))
		}, "after Start"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if msg, _ := r.(string); !strings.Contains(msg, tc.want) {
					t.Errorf("panic = %v, want a panic containing %q", r, tc.want)
				}
			}()
			tc.register()
		})
	}
}

type shortKind struct{}

func (shortKind) Kind() string { return "x" }

type otherArgs struct{}

func (otherArgs) Kind() string { return "other_job" }
