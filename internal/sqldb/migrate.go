package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFiles embed.FS

// migrationLockID is the PostgreSQL advisory lock key that serialises migrations
// when several nodes start at once.
const migrationLockID = 7_265_821_001

// Migration is one numbered, embedded schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations of a dialect in version order.
func Migrations(d Dialect) ([]Migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("sqldb: read migrations of %s: %w", d, err)
	}
	var out []Migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqldb: migration %s/%s: name must be NNNN_description.sql", dir, name)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("sqldb: migrations %s and %s share version %d", prev, name, v)
		}
		seen[v] = name
		body, err := fs.ReadFile(migrationFiles, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Version returns the newest migration applied to the database (0 when none).
func (db *DB) Version(ctx context.Context) (int, error) {
	if err := db.ensureMigrationTable(ctx, db.DB); err != nil {
		return 0, err
	}
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqldb: read schema version: %w", err)
	}
	return int(v.Int64), nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (db *DB) ensureMigrationTable(ctx context.Context, ex execer) error {
	_, err := ex.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TIMESTAMP NOT NULL
)`)
	if err != nil {
		return fmt.Errorf("sqldb: create schema_migrations: %w", err)
	}
	return nil
}

// Migrate applies every embedded migration newer than the database's version, each in
// its own transaction, and returns the versions it applied. It is safe to call from
// several processes at once.
func (db *DB) Migrate(ctx context.Context) ([]int, error) {
	all, err := Migrations(db.dialect)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqldb: migrate: %w", err)
	}
	defer conn.Close()
	if db.dialect == Postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockID); err != nil {
			return nil, fmt.Errorf("sqldb: migrate: take lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLockID) //nolint:errcheck // released with the session anyway
	}
	if err := db.ensureMigrationTable(ctx, conn); err != nil {
		return nil, err
	}
	var current sql.NullInt64
	if err := conn.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&current); err != nil {
		return nil, fmt.Errorf("sqldb: read schema version: %w", err)
	}
	if latest := all[len(all)-1].Version; int(current.Int64) > latest {
		return nil, fmt.Errorf("sqldb: database is at schema version %d, newer than this binary knows (%d); upgrade the binary", current.Int64, latest)
	}
	var applied []int
	for _, m := range all {
		if m.Version <= int(current.Int64) {
			continue
		}
		ok, err := applyMigration(ctx, conn, m)
		if err != nil {
			return applied, err
		}
		if ok {
			applied = append(applied, m.Version)
		}
	}
	return applied, nil
}

// applyMigration applies m unless another process has recorded it since the version
// was read, and reports whether it did. SQLite has no advisory lock, but its
// transactions begin IMMEDIATE (see openSQLite), so the check inside the
// transaction is serialised with any other migrator's.
func applyMigration(ctx context.Context, conn *sql.Conn, m Migration) (bool, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("sqldb: migration %04d: begin: %w", m.Version, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&done); err != nil {
		return false, fmt.Errorf("sqldb: migration %04d: check: %w", m.Version, err)
	}
	if done > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("sqldb: migration %04d_%s: %w", m.Version, m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.Version, m.Name, time.Now().UTC()); err != nil {
		return false, fmt.Errorf("sqldb: migration %04d: record: %w", m.Version, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("sqldb: migration %04d: commit: %w", m.Version, err)
	}
	return true, nil
}
