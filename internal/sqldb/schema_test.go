package sqldb

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/testenv"
)

// openDB opens an empty database of dialect d for one test: SQLite in a temporary
// directory, or a fresh PostgreSQL database (skipped locally when none is configured).
func openDB(t *testing.T, d Dialect) *DB {
	t.Helper()
	opts := Options{DataDir: t.TempDir()}
	if d == Postgres {
		opts = Options{URL: testenv.PostgresURL(t), MaxOpenConns: 4}
	}
	db, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// migratedDB is openDB followed by Migrate.
func migratedDB(t *testing.T, d Dialect) *DB {
	t.Helper()
	db := openDB(t, d)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

// forEachDialect runs fn as a subtest against a migrated database of each dialect.
func forEachDialect(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) { fn(t, migratedDB(t, d)) })
	}
}

func latestVersion(t *testing.T, d Dialect) int {
	t.Helper()
	ms, err := Migrations(d)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		t.Fatalf("no embedded %s migrations", d)
	}
	return ms[len(ms)-1].Version
}

func TestMigrateIsIdempotent(t *testing.T) {
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t, d)
			ms, err := Migrations(d)
			if err != nil {
				t.Fatal(err)
			}
			var want []int
			for _, m := range ms {
				want = append(want, m.Version)
			}
			got, err := db.Migrate(ctx)
			if err != nil {
				t.Fatalf("first Migrate: %v", err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("first Migrate applied %v, want %v", got, want)
			}
			got, err = db.Migrate(ctx)
			if err != nil {
				t.Fatalf("second Migrate: %v", err)
			}
			if len(got) != 0 {
				t.Errorf("second Migrate applied %v, want nothing", got)
			}
			v, err := db.Version(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := latestVersion(t, d); v != want {
				t.Errorf("Version = %d, want %d", v, want)
			}
		})
	}
}

// TestMigrateConcurrently starts several nodes against one database at once, as a
// multi-node deployment does; each must succeed and the schema be applied once.
func TestMigrateConcurrently(t *testing.T) {
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			opts := Options{DataDir: t.TempDir()}
			if d == Postgres {
				opts = Options{URL: testenv.PostgresURL(t), MaxOpenConns: 2}
			}
			const nodes = 4
			dbs := make([]*DB, nodes)
			for i := range dbs {
				db, err := Open(ctx, opts)
				if err != nil {
					t.Fatalf("open %s: %v", d, err)
				}
				t.Cleanup(func() { db.Close() })
				dbs[i] = db
			}
			var wg sync.WaitGroup
			errs := make([]error, nodes)
			applied := make([][]int, nodes)
			for i, db := range dbs {
				wg.Go(func() { applied[i], errs[i] = db.Migrate(ctx) })
			}
			wg.Wait()
			total := 0
			for i, err := range errs {
				if err != nil {
					t.Errorf("node %d: Migrate: %v", i, err)
				}
				total += len(applied[i])
			}
			ms, err := Migrations(d)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(ms) {
				t.Errorf("nodes applied %d migrations in all (%v), want %d", total, applied, len(ms))
			}
		})
	}
}

// TestMigrationFilesMatch checks that every migration exists for both dialects under
// the same number and name, so that both reach the same schema version.
func TestMigrationFilesMatch(t *testing.T) {
	lite, err := Migrations(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := Migrations(Postgres)
	if err != nil {
		t.Fatal(err)
	}
	names := func(ms []Migration) []string {
		var out []string
		for _, m := range ms {
			out = append(out, fmt.Sprintf("%04d_%s", m.Version, m.Name))
		}
		return out
	}
	if got, want := names(lite), names(pg); !slices.Equal(got, want) {
		t.Errorf("sqlite migrations = %v, want the postgres list %v", got, want)
	}
}

// schema is what the tests compare of a migrated database.
type schema struct {
	version int
	// columns maps table → column → whether the column accepts NULL.
	columns map[string]map[string]bool
	// indexes maps each explicitly created index to its table; indexes that back a
	// primary key or unique constraint are left out, as their names are dialect-made.
	indexes map[string]string
	// foreignKeys maps "table.column" to its reference.
	foreignKeys map[string]foreignKey
	// leading holds "table.column" for the first column of every index, including
	// primary-key and unique ones: a foreign key is indexed when it is in this set.
	leading map[string]bool
}

type foreignKey struct {
	refTable string
	onDelete string
}

func (fk foreignKey) String() string { return fk.refTable + " ON DELETE " + fk.onDelete }

func describe(t *testing.T, db *DB) schema {
	t.Helper()
	ctx := context.Background()
	s := schema{
		columns:     map[string]map[string]bool{},
		indexes:     map[string]string{},
		foreignKeys: map[string]foreignKey{},
		leading:     map[string]bool{},
	}
	var err error
	if s.version, err = db.Version(ctx); err != nil {
		t.Fatal(err)
	}
	var q struct{ tables, columns, indexes, foreignKeys, leading string }
	switch db.Dialect() {
	case SQLite:
		const tables = `FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'`
		q.tables = `SELECT m.name ` + tables
		// An INTEGER PRIMARY KEY is the rowid and never NULL, though not marked NOT NULL.
		q.columns = `SELECT m.name, p.name, p."notnull" = 0 AND NOT (p.pk > 0 AND upper(p.type) = 'INTEGER')
			FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'`
		q.indexes = `SELECT name, tbl_name FROM sqlite_master
			WHERE type = 'index' AND name NOT LIKE 'sqlite\_autoindex\_%' ESCAPE '\'`
		q.foreignKeys = `SELECT m.name, f."from", f."table", f.on_delete, f.seq
			FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table'`
		q.leading = `SELECT m.name, c.name
			FROM sqlite_master m JOIN pragma_index_list(m.name) l JOIN pragma_index_info(l.name) c
			WHERE m.type = 'table' AND c.seqno = 0 AND c.name IS NOT NULL`
	case Postgres:
		q.tables = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`
		q.columns = `SELECT table_name, column_name, is_nullable = 'YES'
			FROM information_schema.columns WHERE table_schema = 'public'`
		q.indexes = `SELECT i.relname, t.relname
			FROM pg_index x
			JOIN pg_class i ON i.oid = x.indexrelid
			JOIN pg_class t ON t.oid = x.indrelid
			WHERE t.relnamespace = 'public'::regnamespace
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c
				WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'))`
		q.foreignKeys = `SELECT t.relname, a.attname, r.relname,
				CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
					WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END,
				k.ord - 1
			FROM pg_constraint c
			JOIN pg_class t ON t.oid = c.conrelid
			JOIN pg_class r ON r.oid = c.confrelid
			CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
			WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`
		q.leading = `SELECT t.relname, a.attname
			FROM pg_index x
			JOIN pg_class t ON t.oid = x.indrelid
			JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
			WHERE t.relnamespace = 'public'::regnamespace`
	default:
		t.Fatalf("unknown dialect %q", db.Dialect())
	}

	each := func(query string, scan func(rows scanner) error) {
		t.Helper()
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			t.Fatalf("%s: %v\n%s", db.Dialect(), err, query)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatalf("%s: scan: %v\n%s", db.Dialect(), err, query)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v\n%s", db.Dialect(), err, query)
		}
	}
	each(q.tables, func(r scanner) error {
		var table string
		err := r.Scan(&table)
		s.columns[table] = map[string]bool{}
		return err
	})
	each(q.columns, func(r scanner) error {
		var table, column string
		var nullable bool
		if err := r.Scan(&table, &column, &nullable); err != nil {
			return err
		}
		if s.columns[table] != nil { // skip views
			s.columns[table][column] = nullable
		}
		return nil
	})
	each(q.indexes, func(r scanner) error {
		var name, table string
		err := r.Scan(&name, &table)
		s.indexes[name] = table
		return err
	})
	each(q.foreignKeys, func(r scanner) error {
		var table, column string
		var fk foreignKey
		var seq int
		if err := r.Scan(&table, &column, &fk.refTable, &fk.onDelete, &seq); err != nil {
			return err
		}
		if seq != 0 {
			return fmt.Errorf("%s: multi-column foreign key; these tests assume single-column ones", table)
		}
		s.foreignKeys[table+"."+column] = fk
		return nil
	})
	each(q.leading, func(r scanner) error {
		var table, column string
		err := r.Scan(&table, &column)
		s.leading[table+"."+column] = true
		return err
	})
	return s
}

type scanner interface{ Scan(dest ...any) error }

// diffKeys returns the sorted keys only in a and only in b.
func diffKeys[V any](a, b map[string]V) (onlyA, onlyB []string) {
	for k := range a {
		if _, ok := b[k]; !ok {
			onlyA = append(onlyA, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			onlyB = append(onlyB, k)
		}
	}
	sort.Strings(onlyA)
	sort.Strings(onlyB)
	return onlyA, onlyB
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestSchemaParity migrates both dialects and checks that they end with the same
// schema version, tables, columns (and their nullability), named indexes and
// foreign keys. PostgreSQL is the reference ("want"), SQLite is "got".
func TestSchemaParity(t *testing.T) {
	pg := describe(t, migratedDB(t, Postgres))
	lite := describe(t, migratedDB(t, SQLite))

	if lite.version != pg.version {
		t.Errorf("schema version: sqlite %d, want postgres %d", lite.version, pg.version)
	}
	if extra, missing := diffKeys(lite.columns, pg.columns); len(extra)+len(missing) > 0 {
		t.Errorf("tables: only in sqlite %v, only in postgres %v", extra, missing)
	}
	for _, table := range sortedKeys(pg.columns) {
		liteCols, ok := lite.columns[table]
		if !ok {
			continue
		}
		pgCols := pg.columns[table]
		if extra, missing := diffKeys(liteCols, pgCols); len(extra)+len(missing) > 0 {
			t.Errorf("table %s: columns only in sqlite %v, only in postgres %v", table, extra, missing)
		}
		for _, col := range sortedKeys(pgCols) {
			if got, ok := liteCols[col]; ok && got != pgCols[col] {
				t.Errorf("%s.%s: sqlite nullable=%t, want postgres nullable=%t", table, col, got, pgCols[col])
			}
		}
	}
	if extra, missing := diffKeys(lite.indexes, pg.indexes); len(extra)+len(missing) > 0 {
		t.Errorf("indexes: only in sqlite %v, only in postgres %v", extra, missing)
	}
	for _, name := range sortedKeys(pg.indexes) {
		if got, ok := lite.indexes[name]; ok && got != pg.indexes[name] {
			t.Errorf("index %s: on sqlite table %s, want postgres table %s", name, got, pg.indexes[name])
		}
	}
	if extra, missing := diffKeys(lite.foreignKeys, pg.foreignKeys); len(extra)+len(missing) > 0 {
		t.Errorf("foreign keys: only in sqlite %v, only in postgres %v", extra, missing)
	}
	for _, col := range sortedKeys(pg.foreignKeys) {
		if got, ok := lite.foreignKeys[col]; ok && got != pg.foreignKeys[col] {
			t.Errorf("foreign key %s: sqlite references %v, want postgres %v", col, got, pg.foreignKeys[col])
		}
	}
}

// wantForeignKeys are the references of the spec's tables and the auth tables, with
// the ON DELETE rule each must carry.
var wantForeignKeys = map[string]foreignKey{
	"books.user_id":                 {"users", "CASCADE"},
	"chapters.book_id":              {"books", "CASCADE"},
	"scenes.chapter_id":             {"chapters", "CASCADE"},
	"characters.book_id":            {"books", "CASCADE"},
	"generation_history.user_id":    {"users", "CASCADE"},
	"generation_history.book_id":    {"books", "SET NULL"},
	"generation_history.chapter_id": {"chapters", "SET NULL"},
	"generation_history.scene_id":   {"scenes", "SET NULL"},
	"version_history.book_id":       {"books", "CASCADE"},
	"version_history.chapter_id":    {"chapters", "CASCADE"},
	"version_history.scene_id":      {"scenes", "CASCADE"},
	"version_history.created_by":    {"users", "SET NULL"},
	"exports.book_id":               {"books", "CASCADE"},
	"collaborations.book_id":        {"books", "CASCADE"},
	"collaborations.user_id":        {"users", "CASCADE"},
	"storage_metadata.user_id":      {"users", "CASCADE"},
	"storage_metadata.book_id":      {"books", "SET NULL"},
	"auth_sessions.user_id":         {"users", "CASCADE"},
	"refresh_tokens.session_id":     {"auth_sessions", "CASCADE"},
	"user_mfa.user_id":              {"users", "CASCADE"},
	"security_events.user_id":       {"users", "SET NULL"},
}

func TestSchemaTablesAndForeignKeyIndexes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		s := describe(t, db)
		for _, table := range []string{
			// The spec's core tables.
			"users", "books", "chapters", "scenes", "characters", "generation_history",
			"version_history", "exports", "collaborations", "storage_metadata",
			// Auth.
			"auth_sessions", "refresh_tokens", "user_mfa", "security_events",
		} {
			if _, ok := s.columns[table]; !ok {
				t.Errorf("table %s is missing; have %v", table, sortedKeys(s.columns))
			}
		}
		for _, col := range sortedKeys(wantForeignKeys) {
			got, ok := s.foreignKeys[col]
			if !ok {
				t.Errorf("foreign key %s is missing", col)
			} else if want := wantForeignKeys[col]; got != want {
				t.Errorf("foreign key %s references %v, want %v", col, got, want)
			}
		}
		for _, col := range sortedKeys(s.foreignKeys) {
			if !s.leading[col] {
				t.Errorf("foreign key column %s has no index leading with it", col)
			}
		}
	})
}

// newID returns a random version-4 UUID in its text form.
func newID(t *testing.T) string {
	t.Helper()
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func insertUser(ctx context.Context, db *DB, id, email, username, tier string) error {
	now := time.Now().UTC()
	_, err := db.ExecContext(ctx, `INSERT INTO users (id, email, username, subscription_tier, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, email, username, tier, now, now)
	return err
}

func count(t *testing.T, db *DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestSchemaConstraints(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if err := insertUser(ctx, db, newID(t), "bad@example.com", "bad", "platinum"); err == nil {
			t.Error("inserting subscription_tier 'platinum' succeeded, want a CHECK violation")
		}

		user := newID(t)
		if err := insertUser(ctx, db, user, "ann@example.com", "ann", "pro"); err != nil {
			t.Fatalf("insert user: %v", err)
		}
		book, chapter, session := newID(t), newID(t), newID(t)
		now := time.Now().UTC()
		for _, ins := range []struct {
			query string
			args  []any
		}{
			{`INSERT INTO books (id, user_id, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
				[]any{book, user, "A Book", now}},
			{`INSERT INTO chapters (id, book_id, chapter_number, content, created_at, updated_at) VALUES ($1, $2, 1, $3, $4, $4)`,
				[]any{chapter, book, `[{"type":"p","children":[{"text":"Once"}]}]`, now}},
			{`INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, expires_at) VALUES ($1, $2, $3, $3, $4)`,
				[]any{session, user, now, now.Add(time.Hour)}},
		} {
			if _, err := db.ExecContext(ctx, ins.query, ins.args...); err != nil {
				t.Fatalf("%s: %v", ins.query, err)
			}
		}
		var status, visibility string
		var version int
		if err := db.QueryRowContext(ctx, `SELECT status, visibility, version FROM books WHERE id = $1`, book).
			Scan(&status, &visibility, &version); err != nil {
			t.Fatal(err)
		}
		if status != "draft" || visibility != "private" || version != 1 {
			t.Errorf("new book has status %q, visibility %q, version %d; want draft, private, 1", status, visibility, version)
		}

		if _, err := db.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, user); err != nil {
			t.Fatalf("delete user: %v", err)
		}
		for _, table := range []string{"books", "chapters", "auth_sessions"} {
			if n := count(t, db, `SELECT COUNT(*) FROM `+table); n != 0 {
				t.Errorf("after deleting the user, %s has %d rows, want 0", table, n)
			}
		}
	})
}

func TestIsUniqueViolation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if err := insertUser(ctx, db, newID(t), "sam@example.com", "sam", "free"); err != nil {
			t.Fatalf("insert user: %v", err)
		}
		for _, tc := range []struct {
			name, email, username, tier string
			wantOK                      bool
			// wantDesc is the description per dialect: the constraint's name on
			// PostgreSQL, the table and column on SQLite.
			wantDesc map[Dialect]string
		}{
			{"duplicate email", "sam@example.com", "sam2", "free", true,
				map[Dialect]string{Postgres: "users_email_key", SQLite: "users.email"}},
			{"duplicate username", "sam2@example.com", "sam", "free", true,
				map[Dialect]string{Postgres: "idx_users_username_lower", SQLite: "index 'idx_users_username_lower'"}},
			{"check violation", "sam3@example.com", "sam3", "platinum", false, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := insertUser(ctx, db, newID(t), tc.email, tc.username, tc.tier)
				if err == nil {
					t.Fatal("insert succeeded, want an error")
				}
				desc, ok := IsUniqueViolation(err)
				if want := tc.wantDesc[db.Dialect()]; ok != tc.wantOK || desc != want {
					t.Errorf("IsUniqueViolation(%v) = %q, %t; want %q, %t", err, desc, ok, want, tc.wantOK)
				}
			})
		}
		if desc, ok := IsUniqueViolation(nil); ok || desc != "" {
			t.Errorf("IsUniqueViolation(nil) = %q, %t; want \"\", false", desc, ok)
		}
	})
}
