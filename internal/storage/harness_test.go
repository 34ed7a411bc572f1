package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/blob"
	"github.com/authorworks/authorworks/internal/blob/blobtest"
	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/httpapi"
	"github.com/authorworks/authorworks/internal/sqldb"
	"github.com/authorworks/authorworks/internal/testenv"
)

// setup is one combination of database and blob backend the service runs on.
type setup struct {
	dialect sqldb.Dialect
	backend string // "local" or "s3"
}

// forEachSetup runs fn against SQLite and PostgreSQL, each with local disk and
// with a real S3 server. PostgreSQL and versitygw are skipped locally when absent
// and required in CI.
func forEachSetup(t *testing.T, fn func(t *testing.T, s setup)) {
	t.Helper()
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		for _, b := range []string{"local", "s3"} {
			t.Run(string(d)+"+"+b, func(t *testing.T) { fn(t, setup{dialect: d, backend: b}) })
		}
	}
}

// env is the Storage service mounted on an httptest server, with a fake
// authenticator that takes "Authorization: Bearer <user id>" at its word.
type env struct {
	db      *sqldb.DB
	store   blob.Store
	svc     *Service
	content *content.Service
	handler http.Handler
	url     string
	clock   *fakeClock
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// bearerAuth authenticates "Authorization: Bearer <user id>".
type bearerAuth struct{}

func (bearerAuth) Authenticate(r *http.Request) (auth.Principal, bool, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return auth.Principal{}, false, nil
	}
	id, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || id == "" {
		return auth.Principal{}, false, errs.E(errs.Unauthorized, "bad credentials")
	}
	return auth.Principal{UserID: id, Role: auth.RoleUser, Via: "token"}, true, nil
}

// sqlTiers reads the tier from the users table, as the user service would.
type sqlTiers struct{ db *sqldb.DB }

func (t sqlTiers) Tier(ctx context.Context, userID string) (string, error) {
	var tier string
	err := t.db.QueryRowContext(ctx, `SELECT subscription_tier FROM users WHERE id = $1`, userID).Scan(&tier)
	return tier, err
}

func openDB(t *testing.T, d sqldb.Dialect) *sqldb.DB {
	t.Helper()
	opts := sqldb.Options{DataDir: t.TempDir()}
	if d == sqldb.Postgres {
		opts = sqldb.Options{URL: testenv.PostgresURL(t), MaxOpenConns: 8}
	}
	db, err := sqldb.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

func openStore(t *testing.T, backend string) blob.Store {
	t.Helper()
	if backend == "s3" {
		return blobtest.StartS3(t).NewStore(t)
	}
	s, err := blob.NewLocal(filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newEnv boots the service on s; tweak adjusts its Config.
func (s setup) newEnv(t *testing.T, tweak ...func(*Config)) *env {
	t.Helper()
	db := openDB(t, s.dialect)
	store := openStore(t, s.backend)
	clock := &fakeClock{t: time.Now().UTC()}
	cfg := Config{DB: db, Store: store, Tiers: sqlTiers{db}, Now: clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, f := range tweak {
		f(&cfg)
	}
	svc := NewService(cfg)
	mux := http.NewServeMux()
	NewHandler(svc).Routes(mux)
	handler := httpapi.Chain(mux, httpapi.Authenticate(bearerAuth{}))
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return &env{db: db, store: store, svc: svc, handler: handler, url: srv.URL, clock: clock,
		content: content.NewService(content.Config{DB: db, Files: svc, Now: clock.Now})}
}

func newID(t *testing.T) string {
	t.Helper()
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// user creates an account on tier and returns its id.
func (e *env) user(t *testing.T, tier string) string {
	t.Helper()
	id := newID(t)
	now := time.Now().UTC()
	_, err := e.db.ExecContext(context.Background(), `INSERT INTO users (id, email, username, subscription_tier, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5)`, id, id+"@example.com", "u"+id[:8], tier, now)
	if err != nil {
		t.Fatalf("insert user: %v", err)
	}
	return id
}

// story creates a story owned by owner through the content service.
func (e *env) story(t *testing.T, owner string) string {
	t.Helper()
	title := "Salt Roads"
	st, err := e.content.CreateStory(context.Background(), auth.Principal{UserID: owner}, content.StoryInput{Title: &title})
	if err != nil {
		t.Fatalf("create story: %v", err)
	}
	return st.ID
}

// collaborate adds user to story with role.
func (e *env) collaborate(t *testing.T, story, user, role string) {
	t.Helper()
	_, err := e.db.ExecContext(context.Background(), `INSERT INTO collaborations (id, book_id, user_id, role, created_at)
		VALUES ($1, $2, $3, $4, $5)`, newID(t), story, user, role, time.Now().UTC())
	if err != nil {
		t.Fatalf("add collaborator: %v", err)
	}
}

// response is a decoded API answer.
type response struct {
	status int
	header http.Header
	body   []byte
	env    struct {
		Data  json.RawMessage `json:"data"`
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Field   string `json:"field"`
		} `json:"error"`
	}
}

func (r *response) code() string {
	if r.env.Error == nil {
		return ""
	}
	return r.env.Error.Code
}

func (r *response) String() string {
	return fmt.Sprintf("%d %s", r.status, truncate(string(r.body), 300))
}

func (r *response) file(t *testing.T) FileView {
	t.Helper()
	var v FileView
	if err := json.Unmarshal(r.env.Data, &v); err != nil {
		t.Fatalf("decode file view from %s: %v", r, err)
	}
	return v
}

func readResponse(t *testing.T, resp *http.Response) *response {
	t.Helper()
	defer resp.Body.Close()
	r := &response{status: resp.StatusCode, header: resp.Header}
	var err error
	if r.body, err = io.ReadAll(resp.Body); err != nil {
		t.Fatalf("read response: %v", err)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(r.body, &r.env); err != nil {
			t.Fatalf("decode envelope %q: %v", r.body, err)
		}
	}
	return r
}

// do sends a request as user ("" for anonymous).
func (e *env) do(t *testing.T, method, path, user string, hdr map[string]string) *response {
	t.Helper()
	req, err := http.NewRequest(method, e.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+user)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return readResponse(t, resp)
}

// upload describes one upload request.
type upload struct {
	query  string      // e.g. "?purpose=cover"
	fields [][2]string // form fields before the file
	name   string      // the file's name
	data   []byte
	// file, when set, is the file's content instead of data, of size bytes.
	file io.Reader
	size int64
	// chunked leaves the Content-Length unset.
	chunked bool
	// after is appended after the file part (to test trailing parts).
	after [][2]string
}

// body builds the multipart body: the fields and file part header, the file, then
// any trailing parts and the closing boundary. It streams the file, never holding
// it whole.
func (u upload) body(t *testing.T) (io.Reader, string, int64) {
	t.Helper()
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	for _, f := range u.fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := mw.CreateFormFile("file", u.name); err != nil {
		t.Fatal(err)
	}
	// The file's data ends at the "\r\n" before the next boundary.
	var tail bytes.Buffer
	tail.WriteString("\r\n")
	for _, f := range u.after {
		fmt.Fprintf(&tail, "--%s\r\nContent-Disposition: form-data; name=%q\r\n\r\n%s\r\n", mw.Boundary(), f[0], f[1])
	}
	fmt.Fprintf(&tail, "--%s--\r\n", mw.Boundary())
	file, size := u.file, u.size
	if file == nil {
		file, size = bytes.NewReader(u.data), int64(len(u.data))
	}
	return io.MultiReader(bytes.NewReader(head.Bytes()), file, bytes.NewReader(tail.Bytes())),
		mw.FormDataContentType(), int64(head.Len()) + size + int64(tail.Len())
}

func (e *env) upload(t *testing.T, user string, u upload) *response {
	t.Helper()
	body, ct, n := u.body(t)
	if u.chunked {
		body = io.MultiReader(body) // hides the length from net/http
	}
	req, err := http.NewRequest(http.MethodPost, e.url+"/api/upload"+u.query, body)
	if err != nil {
		t.Fatal(err)
	}
	if u.chunked {
		req.ContentLength = -1
	} else {
		req.ContentLength = n
	}
	req.Header.Set("Content-Type", ct)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+user)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /api/upload: %v", err)
	}
	return readResponse(t, resp)
}

// mustUpload uploads and expects 201.
func (e *env) mustUpload(t *testing.T, user string, u upload) FileView {
	t.Helper()
	r := e.upload(t, user, u)
	if r.status != http.StatusCreated {
		t.Fatalf("upload %s: %s, want 201", u.name, r)
	}
	return r.file(t)
}

func (e *env) usage(t *testing.T, user string) Usage {
	t.Helper()
	u, err := e.svc.Usage(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return *u
}

// state is everything a failed operation must leave as it was: the objects in
// the store and the rows of storage_metadata.
type state struct {
	keys []string
	rows int
}

func (e *env) state(t *testing.T) state {
	t.Helper()
	var s state
	s.keys = blobtest.Keys(t, e.store)
	if err := e.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM storage_metadata`).Scan(&s.rows); err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *env) wantState(t *testing.T, want state) {
	t.Helper()
	got := e.state(t)
	if !slices.Equal(got.keys, want.keys) {
		t.Errorf("objects in the store: %v, want %v (an orphan or a lost object)", got.keys, want.keys)
	}
	if got.rows != want.rows {
		t.Errorf("storage_metadata has %d rows, want %d", got.rows, want.rows)
	}
}
