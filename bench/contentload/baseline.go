//go:build linux

package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, as the server uses it
	_ "modernc.org/sqlite"             // the "sqlite" driver, as the server uses it
)

// baselineCommand is the first argument that makes this program the baseline
// server rather than the benchmark; the benchmark starts it so.
const baselineCommand = "serve-baseline"

// baselineDatabaseEnv carries the baseline's database (a postgres:// URL, or
// sqlite:<path>) in the environment rather than on the command line, where
// any user could read a password in it.
const baselineDatabaseEnv = "CONTENTLOAD_BASELINE_DATABASE"

// serveBaseline runs the baseline: a bare net/http server that answers the
// benchmark's two requests with one query each, on the server's drivers and pool
// sizes, until SIGTERM. It is what the same database, driver and HTTP stack can
// do with no authentication, authorization, validation, versioning or outbox.
func serveBaseline(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet(baselineCommand, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address; the database comes from $"+baselineDatabaseEnv)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	db, err := openBaselineDB(ctx, os.Getenv(baselineDatabaseEnv))
	if err != nil {
		fmt.Fprintln(stderr, "baseline:", err)
		return 1
	}
	defer db.Close()
	b := &baseline{db: db}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /api/stories/{id}", b.getStory)
	mux.HandleFunc("PUT /api/chapters/{id}", b.saveChapter)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "baseline:", err)
		return 1
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "baseline:", err)
		return 1
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintln(stderr, "baseline: shutdown:", err)
		return 1
	}
	return 0
}

// openBaselineDB opens the database as internal/sqldb does: the same drivers,
// SQLite pragmas and pool sizes (SQLite 8 connections; PostgreSQL 25, the
// server's DATABASE_MAX_CONNS default).
func openBaselineDB(ctx context.Context, database string) (*sql.DB, error) {
	var db *sql.DB
	switch {
	case strings.HasPrefix(database, "postgres://"), strings.HasPrefix(database, "postgresql://"):
		var err error
		if db, err = sql.Open("pgx", database); err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(25)
		db.SetMaxIdleConns(25)
		db.SetConnMaxIdleTime(5 * time.Minute)
	case strings.HasPrefix(database, "sqlite:"):
		var err error
		if db, err = sql.Open("sqlite", sqliteDSN(strings.TrimPrefix(database, "sqlite:"))); err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
		db.SetConnMaxIdleTime(0)
	default:
		return nil, errors.New("$" + baselineDatabaseEnv + " must be a postgres:// URL or sqlite:<path>")
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// sqliteDSN is the server's SQLite DSN (internal/sqldb): WAL, foreign keys, a
// 10 s busy timeout, synchronous=NORMAL, BEGIN IMMEDIATE.
func sqliteDSN(path string) string {
	q := url.Values{}
	for _, p := range []string{
		"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}

type baseline struct {
	db *sql.DB
}

// baselineStory is a books row, with the columns the server reads for a story.
type baselineStory struct {
	ID          string          `json:"id"`
	OwnerID     string          `json:"owner_id"`
	Title       string          `json:"title"`
	Subtitle    string          `json:"subtitle"`
	Genre       string          `json:"genre"`
	ContentType string          `json:"content_type"`
	Description string          `json:"description"`
	CoverFileID *string         `json:"cover_file_id"`
	Status      string          `json:"status"`
	Visibility  string          `json:"visibility"`
	WordCount   int             `json:"word_count"`
	Synopsis    string          `json:"synopsis"`
	StyleGuide  string          `json:"style_guide"`
	Metadata    json.RawMessage `json:"metadata"`
	Settings    json.RawMessage `json:"settings"`
	Version     int             `json:"version"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	PublishedAt *time.Time      `json:"published_at"`
	DeletedAt   *time.Time      `json:"deleted_at"`
}

// getStory is one SELECT by primary key, returned as JSON.
func (b *baseline) getStory(w http.ResponseWriter, r *http.Request) {
	var (
		s                  baselineStory
		cover              sql.NullString
		meta, settings     []byte
		published, deleted sql.NullTime
	)
	err := b.db.QueryRowContext(r.Context(), `SELECT id, user_id, title, subtitle, genre, content_type, description,
		cover_file_id, status, visibility, word_count, synopsis, style_guide, metadata, settings, version,
		created_at, updated_at, published_at, deleted_at FROM books WHERE id = $1`, r.PathValue("id")).
		Scan(&s.ID, &s.OwnerID, &s.Title, &s.Subtitle, &s.Genre, &s.ContentType, &s.Description, &cover,
			&s.Status, &s.Visibility, &s.WordCount, &s.Synopsis, &s.StyleGuide, &meta, &settings, &s.Version,
			&s.CreatedAt, &s.UpdatedAt, &published, &deleted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]string{"message": "story not found"}})
		return
	case err != nil:
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": map[string]string{"message": err.Error()}})
		return
	}
	if cover.Valid {
		s.CoverFileID = &cover.String
	}
	if published.Valid {
		s.PublishedAt = &published.Time
	}
	if deleted.Valid {
		s.DeletedAt = &deleted.Time
	}
	s.Metadata, s.Settings = meta, settings
	writeJSON(w, http.StatusOK, map[string]any{"data": s})
}

// saveChapter parses the body, counts words naively and runs one UPDATE.
func (b *baseline) saveChapter(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 8<<20))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"message": err.Error()}})
		return
	}
	var in struct {
		Version int             `json:"version"`
		Content json.RawMessage `json:"content"`
	}
	var blocks []struct {
		Children []struct {
			Text string `json:"text"`
		} `json:"children"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"message": err.Error()}})
		return
	}
	if err := json.Unmarshal(in.Content, &blocks); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"message": err.Error()}})
		return
	}
	words := 0
	for _, bl := range blocks {
		for _, l := range bl.Children {
			words += len(strings.Fields(l.Text))
		}
	}
	id := r.PathValue("id")
	res, err := b.db.ExecContext(r.Context(), `UPDATE chapters SET content = $1, word_count = $2, version = version + 1
		WHERE id = $3 AND version = $4`, string(in.Content), words, id, in.Version)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": map[string]string{"message": err.Error()}})
		return
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		writeJSON(w, http.StatusConflict, map[string]any{"error": map[string]string{"message": "version conflict"}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"id": id, "version": in.Version + 1, "word_count": words}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":{"message":"encode response"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
