// Package sqldb owns the SQL connection, the two dialects AuthorWorks runs on
// (SQLite for the embedded default, PostgreSQL for production) and the embedded,
// numbered migrations of each. Dialect differences live here, not in domain code.
//
// Queries are written once with PostgreSQL-style numbered placeholders ($1, $2, …),
// which both drivers accept.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect names a SQL dialect.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is a connection pool bound to one dialect.
type DB struct {
	*sql.DB
	dialect Dialect
	// where is a human-readable, password-free description of the database.
	where string
}

// Options says which database to open.
type Options struct {
	// URL is a postgres:// or postgresql:// URL, a sqlite: path, or empty for
	// the embedded SQLite file under DataDir.
	URL string
	// DataDir holds the embedded SQLite file when URL is empty.
	DataDir string
	// MaxOpenConns caps the PostgreSQL pool (0: 25).
	MaxOpenConns int
}

// Open connects to the database named by opts and checks that it answers.
func Open(ctx context.Context, opts Options) (*DB, error) {
	db, err := open(opts)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqldb: connect to %s: %w", db.where, err)
	}
	return db, nil
}

func open(opts Options) (*DB, error) {
	raw := opts.URL
	switch {
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		u, err := url.Parse(raw)
		if err != nil {
			return nil, errors.New("sqldb: DATABASE_URL is not a valid URL")
		}
		pool, err := sql.Open("pgx", raw)
		if err != nil {
			return nil, fmt.Errorf("sqldb: open postgres: %w", err)
		}
		n := opts.MaxOpenConns
		if n <= 0 {
			n = 25
		}
		pool.SetMaxOpenConns(n)
		pool.SetMaxIdleConns(n)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		return &DB{DB: pool, dialect: Postgres, where: "postgres " + u.Redacted()}, nil
	case raw == "" || strings.HasPrefix(raw, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//")
		if path == "" {
			dir := opts.DataDir
			if dir == "" {
				dir = "data"
			}
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("sqldb: create data dir: %w", err)
			}
			path = filepath.Join(dir, "authorworks.db")
		}
		return openSQLite(path)
	default:
		return nil, errors.New("sqldb: DATABASE_URL must be a postgres://, postgresql:// or sqlite: URL")
	}
}

func openSQLite(path string) (*DB, error) {
	// WAL lets readers run beside the single writer; _txlock=immediate takes the
	// write lock at BEGIN so two writers queue on busy_timeout instead of failing
	// with SQLITE_BUSY when a read transaction upgrades.
	q := url.Values{}
	for _, p := range []string{
		"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	dsn := "file:" + path + "?" + q.Encode()
	pool, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqldb: open sqlite %s: %w", path, err)
	}
	pool.SetMaxOpenConns(8)
	pool.SetMaxIdleConns(8)
	pool.SetConnMaxIdleTime(0)
	return &DB{DB: pool, dialect: SQLite, where: "sqlite " + path}, nil
}

// Dialect reports which SQL dialect the database speaks.
func (db *DB) Dialect() Dialect { return db.dialect }

// String describes the database without credentials.
func (db *DB) String() string { return db.where }

// LockRow takes a write lock on one row for the rest of tx, so that changes that
// read before they write (renumbering chapters, say) serialise per parent row. On
// SQLite the whole database is already locked by the IMMEDIATE transaction.
func (db *DB) LockRow(ctx context.Context, tx *sql.Tx, table, id string) error {
	if db.dialect != Postgres {
		return nil
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $1 FOR UPDATE`, id).Scan(&one)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqldb: lock %s %s: %w", table, id, err)
	}
	return nil
}

// InTx runs fn in a transaction, committing when fn returns nil and rolling back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqldb: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqldb: commit: %w", err)
	}
	return nil
}

// IsUniqueViolation reports whether err is a unique-constraint violation and, if so,
// returns a description naming the constraint or column (for example "users_email_key"
// on PostgreSQL, "users.email" on SQLite), so callers can tell which value was taken.
func IsUniqueViolation(err error) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return pgErr.ConstraintName, true
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) && (sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		// The message reads "constraint failed: UNIQUE constraint failed: users.email (2067)".
		msg := sqErr.Error()
		if i := strings.LastIndex(msg, "failed: "); i >= 0 {
			msg = msg[i+len("failed: "):]
		}
		if i := strings.LastIndex(msg, " ("); i >= 0 {
			msg = msg[:i]
		}
		return msg, true
	}
	return "", false
}
