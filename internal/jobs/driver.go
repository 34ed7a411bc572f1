package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/authorworks/authorworks/internal/sqldb"
)

// migrationLockID is the PostgreSQL advisory lock key that serialises River's
// migrations when several nodes start at once. It sits next to sqldb's key.
const migrationLockID = 7_265_821_002

// openRiverSQLite opens River's own pool on the SQLite file behind db.
//
// River's SQLite driver runs several services (producer, completer, leader
// elector, notification poller) concurrently and is only reliable on a pool of
// one connection, while our pool has several. So River gets its own *sql.DB on
// the same file, with the same pragmas as sqldb's: WAL so our readers are not
// blocked, busy_timeout so its writes queue behind ours, _txlock=immediate so
// a transaction never fails to upgrade to a write. A caller's *sql.Tx from our
// pool still works with InsertTx: River then runs its statements on that tx.
func openRiverSQLite(ctx context.Context, db *sqldb.DB) (*sql.DB, error) {
	var path string
	err := db.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path)
	if err != nil {
		return nil, fmt.Errorf("jobs: find the SQLite file: %w", err)
	}
	if path == "" {
		return nil, errors.New("jobs: the SQLite database has no file (in-memory?); River needs a second connection to it")
	}
	q := url.Values{}
	for _, p := range []string{
		"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	pool, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("jobs: open sqlite %s: %w", path, err)
	}
	pool.SetMaxOpenConns(1)
	pool.SetMaxIdleConns(1)
	pool.SetConnMaxIdleTime(0)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("jobs: connect to sqlite %s: %w", path, err)
	}
	return pool, nil
}

// migrateSQLite brings River's schema up to date in one IMMEDIATE transaction.
// rivermigrate takes no lock of its own: it reads the applied versions, then
// applies the rest, so two processes starting at once would both try version 1.
// The transaction holds SQLite's write lock from BEGIN, so a second migrator
// waits (busy_timeout) and then finds nothing to do. MigrateTx is deprecated
// because some PostgreSQL migrations cannot share a transaction; SQLite's DDL
// is fully transactional and River's SQLite migrations contain no PRAGMA or
// VACUUM, so that does not apply here.
func migrateSQLite(ctx context.Context, pool *sql.DB, log *slog.Logger) error {
	m, err := rivermigrate.New(riversqlite.New(pool), &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("jobs: migrate: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	//nolint:staticcheck // deprecated for PostgreSQL's sake; see the function comment
	_, err = m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("jobs: migrate: commit: %w", err)
	}
	return nil
}

// migratePostgres brings River's schema up to date under a session advisory
// lock, as sqldb.Migrate does for ours: rivermigrate takes no lock of its own.
// The lock is held on one connection while River migrates on others (each
// migration in its own transaction, as River requires), so the pool needs at
// least two connections.
func migratePostgres(ctx context.Context, db *sqldb.DB, log *slog.Logger) error {
	if db.Stats().MaxOpenConnections == 1 {
		return errors.New("jobs: migrate: the PostgreSQL pool needs at least 2 connections")
	}
	m, err := rivermigrate.New(riverdatabasesql.New(db.DB), &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockID); err != nil {
		return fmt.Errorf("jobs: migrate: take lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLockID) //nolint:errcheck // released with the session anyway
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}
