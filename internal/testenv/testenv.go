// Package testenv gives tests the real backing services named by environment
// variables, and decides what happens when one is missing: outside CI the test
// is skipped, in CI (CI=true) it fails, so nothing is silently left untested there.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables that point tests at real services.
const (
	PostgresEnv = "AUTHORWORKS_TEST_POSTGRES_URL"
	RedisEnv    = "AUTHORWORKS_TEST_REDIS_URL"
)

// InCI reports whether the tests run under CI, where every backend must be present.
func InCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v == "true" || v == "1"
}

// require returns the value of env, or skips (locally) or fails (in CI) the test.
func require(tb testing.TB, env, what string) string {
	tb.Helper()
	v := os.Getenv(env)
	if v != "" {
		return v
	}
	if InCI() {
		tb.Fatalf("%s is not set: the %s suite must run in CI", env, what)
	}
	tb.Skipf("%s not set; skipping %s suite", env, what)
	return ""
}

// RedisURL returns the Redis server URL for tests.
func RedisURL(tb testing.TB) string {
	tb.Helper()
	return require(tb, RedisEnv, "Redis")
}

// UniquePrefix returns a key prefix no other test uses, so tests can share one Redis.
func UniquePrefix(tb testing.TB) string {
	tb.Helper()
	return "awtest:" + randomHex(tb, 6) + ":"
}

// PostgresURL creates a fresh, empty PostgreSQL database for this test and returns
// its URL. The database is dropped when the test ends.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := require(tb, PostgresEnv, "PostgreSQL")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect to PostgreSQL at %s: %v", redact(base), err)
	}
	defer admin.Close(ctx)
	name := "awtest_" + randomHex(tb, 8)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(tb testing.TB, n int) string {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return fmt.Sprint(u.Redacted())
}
