package backend

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
)

// Database is a throwaway PostgreSQL database created for one run.
type Database struct {
	// Name is awbench_<random>.
	Name string
	// URL is the server's DATABASE_URL.
	URL      string
	adminURL string // where it was created, and is dropped from
}

// createDatabase creates awbench_<random> on the server of adminURL, so every run
// starts on an empty schema and leaves nothing behind.
func createDatabase(ctx context.Context, adminURL string) (*Database, error) {
	u, err := url.Parse(adminURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("-postgres-url must be a postgres:// URL")
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", u.Redacted(), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	name := "awbench_" + randomHex(6)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	du := *u
	du.Path, du.RawPath = "/"+name, ""
	return &Database{Name: name, URL: du.String(), adminURL: adminURL}, nil
}

// drop drops the database, forcing off any connection a killed server left behind.
// It runs on its own context so that it still happens after Ctrl-C.
func (d *Database) drop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, d.adminURL)
	if err != nil {
		return fmt.Errorf("drop database %s: %w", d.Name, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{d.Name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", d.Name, err)
	}
	return nil
}
