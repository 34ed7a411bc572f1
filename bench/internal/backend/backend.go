// Package backend prepares the backends the benchmarks run the server on: SQLite
// in a fresh data dir (embedded), or a throwaway PostgreSQL database, with Redis
// for the rate limits and revocations when asked, and removes what it created.
package backend

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Backend names, as the -backends flags take them.
const (
	Embedded      = "embedded"
	Postgres      = "postgres"
	PostgresRedis = "postgres+redis"
)

// Select turns a comma-separated list of backends (or, when it is empty, the URLs
// given) into the backends to run, checking that each has the URLs it needs.
func Select(list, pgURL, redisURL string) ([]string, error) {
	var out []string
	if strings.TrimSpace(list) == "" {
		out = []string{Embedded}
		switch {
		case pgURL != "" && redisURL != "":
			out = append(out, PostgresRedis)
		case pgURL != "":
			out = append(out, Postgres)
		case redisURL != "":
			return nil, errors.New("-redis-url needs -postgres-url (the redis backend runs with PostgreSQL)")
		}
		return out, nil
	}
	for _, b := range strings.Split(list, ",") {
		b = strings.TrimSpace(b)
		switch b {
		case Embedded:
		case Postgres:
			if pgURL == "" {
				return nil, fmt.Errorf("backend %s needs -postgres-url or AUTHORWORKS_BENCH_POSTGRES_URL", b)
			}
		case PostgresRedis:
			if pgURL == "" || redisURL == "" {
				return nil, fmt.Errorf("backend %s needs -postgres-url and -redis-url (or their AUTHORWORKS_BENCH_* variables)", b)
			}
		default:
			return nil, fmt.Errorf("unknown backend %q (known: %s, %s, %s)", b, Embedded, Postgres, PostgresRedis)
		}
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out, nil
}

// URLs are the PostgreSQL server (one the user may create databases on) and the
// Redis server the non-embedded backends use.
type URLs struct {
	Postgres string
	Redis    string
}

// Setup is one backend made ready for one server.
type Setup struct {
	// Name is the backend's name.
	Name string
	// DataDir is the server's AUTHORWORKS_DATA_DIR, a fresh directory; on
	// Embedded it holds the SQLite database (SQLitePath).
	DataDir string
	// Database is the throwaway PostgreSQL database, nil on Embedded.
	Database *Database
	// Env is the server's whole environment but for SERVICE_PORT: the data dir,
	// HOST=127.0.0.1, LOG_LEVEL=warn and, on PostgreSQL, DATABASE_URL, a random
	// JWT_SECRET and, with Redis, REDIS_URL and a unique REDIS_PREFIX.
	Env []string
}

// SQLitePath is where the embedded server keeps its database.
func (s *Setup) SQLitePath() string { return filepath.Join(s.DataDir, "authorworks.db") }

// Prepare makes backend name ready in a new directory under tmp; on PostgreSQL it
// creates a fresh database awbench_<random>. Close undoes it.
func Prepare(ctx context.Context, name, tmp string, urls URLs) (*Setup, error) {
	dataDir, err := os.MkdirTemp(tmp, "data-*")
	if err != nil {
		return nil, err
	}
	s := &Setup{Name: name, DataDir: dataDir, Env: []string{
		"AUTHORWORKS_DATA_DIR=" + dataDir,
		"HOST=127.0.0.1",
		"LOG_LEVEL=warn",
	}}
	if name == Postgres || name == PostgresRedis {
		if s.Database, err = createDatabase(ctx, urls.Postgres); err != nil {
			return nil, err
		}
		s.Env = append(s.Env, "DATABASE_URL="+s.Database.URL, "JWT_SECRET="+randomToken(32))
		if name == PostgresRedis {
			s.Env = append(s.Env, "REDIS_URL="+urls.Redis, "REDIS_PREFIX=awbench_"+randomHex(6)+":")
		}
	}
	return s, nil
}

// Close drops the backend's database, if it has one. The data dir stays for the
// caller's temp dir to take away; Redis keys under the prefix expire on their own.
func (s *Setup) Close() error {
	if s.Database == nil {
		return nil
	}
	return s.Database.drop()
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails: crypto/rand crashes the program instead
	return b
}

func randomHex(n int) string { return hex.EncodeToString(randomBytes(n)) }

// randomToken returns n random bytes as base64url, 4/3 n characters long.
func randomToken(n int) string { return base64.RawURLEncoding.EncodeToString(randomBytes(n)) }
