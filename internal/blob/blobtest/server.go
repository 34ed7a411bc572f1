// Package blobtest helps tests use blob stores: it starts a real S3 server
// (versitygw over a temporary directory) and holds the behaviour suite every
// blob.Store must pass.
package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/blob"
	"github.com/authorworks/authorworks/internal/testenv"
)

// Server is a running S3-compatible server.
type Server struct {
	Endpoint  string // host:port, plain HTTP
	AccessKey string
	SecretKey string
	Region    string
}

// StartS3 starts versitygw in POSIX mode over a temporary directory, on a free
// loopback port, and stops it when tb ends. Without versitygw on PATH the test is
// skipped, or fails under CI (testenv.Tool). Install it with
//
//	go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
func StartS3(tb testing.TB) *Server {
	tb.Helper()
	bin := testenv.Tool(tb, "versitygw")
	srv := &Server{AccessKey: "awtest" + randomHex(tb, 4), SecretKey: randomHex(tb, 20), Region: "us-east-1"}
	var lastErr error
	for range 3 { // the free port may be taken between probe and start
		port, err := freePort()
		if err != nil {
			tb.Fatalf("find a free port: %v", err)
		}
		srv.Endpoint = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if lastErr = srv.start(tb, bin); lastErr == nil {
			return srv
		}
	}
	tb.Fatalf("start versitygw: %v", lastErr)
	return nil
}

func (s *Server) start(tb testing.TB, bin string) error {
	tb.Helper()
	dir := tb.TempDir()
	var out syncBuffer
	cmd := exec.Command(bin,
		"--access", s.AccessKey, "--secret", s.SecretKey, "--region", s.Region,
		"--port", s.Endpoint, "--quiet",
		"posix", dir)
	cmd.Stdout, cmd.Stderr = &out, &out
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Kill() //nolint:errcheck // it may have exited already
		<-exited           //nolint:errcheck // killed: its exit status says only that
	}
	deadline := time.Now().Add(20 * time.Second)
	client := &http.Client{Timeout: time.Second}
	for {
		select {
		case err := <-exited:
			exited <- err
			return fmt.Errorf("versitygw exited (%w): %s", err, out.String())
		default:
		}
		resp, err := client.Get("http://" + s.Endpoint + "/")
		if err == nil {
			resp.Body.Close()
			break // any S3 answer (403 without credentials) means it is up
		}
		if time.Now().After(deadline) {
			stop()
			return fmt.Errorf("versitygw did not answer on %s within 20s: %s", s.Endpoint, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Cleanup(func() {
		stop()
		if tb.Failed() {
			tb.Logf("versitygw output:\n%s", out.String())
		}
	})
	return nil
}

// Config returns the configuration of a blob.S3 on bucket.
func (s *Server) Config(bucket string) blob.S3Config {
	return blob.S3Config{Endpoint: s.Endpoint, AccessKey: s.AccessKey, SecretKey: s.SecretKey, Region: s.Region, Bucket: bucket}
}

// NewStore returns a store on a bucket of its own, which NewS3 creates.
func (s *Server) NewStore(tb testing.TB) *blob.S3 {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := blob.NewS3(ctx, s.Config("awtest-"+randomHex(tb, 6)))
	if err != nil {
		tb.Fatalf("NewS3: %v", err)
	}
	return st
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(tb testing.TB, n int) string {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// syncBuffer is a bytes.Buffer safe for the writes of a child process's two pipes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
