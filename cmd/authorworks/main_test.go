package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary act as the authorworks command, so the tests can
// run it as a real process and signal it.
func TestMain(m *testing.M) {
	if os.Getenv("AUTHORWORKS_RUN_MAIN") == "1" {
		os.Args = append([]string{"authorworks"}, strings.Fields(os.Getenv("AUTHORWORKS_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func command(t *testing.T, args string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "AUTHORWORKS_RUN_MAIN=1", "AUTHORWORKS_ARGS="+args)
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// TestServeAndGracefulShutdown starts the real process with no configuration but a
// data dir and port, waits until it is healthy, then stops it with SIGTERM.
func TestServeAndGracefulShutdown(t *testing.T) {
	port := freePort(t)
	dir := t.TempDir()
	var logs bytes.Buffer
	cmd := command(t, "serve --host 127.0.0.1 --port "+strconv.Itoa(port), "AUTHORWORKS_DATA_DIR="+dir,
		"DATABASE_URL=", "REDIS_URL=", "JWT_SECRET=")
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() }) //nolint:errcheck // already gone when the test passes
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url + "/health")
		if err == nil {
			var env struct {
				Data struct{ Status string } `json:"data"`
			}
			json.NewDecoder(resp.Body).Decode(&env) //nolint:errcheck // checked below
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && env.Data.Status == "ok" {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not healthy after 30s; logs:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, f := range []string{"authorworks.db", "jwt_secret"} {
		if _, err := os.Stat(dir + "/" + f); err != nil {
			t.Errorf("embedded mode did not create %s: %v", f, err)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v; logs:\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("still running 30s after SIGTERM; logs:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown line in logs:\n%s", logs.String())
	}
}

func TestCommandErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no command", nil, nil, "no command"},
		{"unknown command", []string{"fly"}, nil, `unknown command "fly"`},
		{"production without secret", []string{"serve"}, map[string]string{"DATABASE_URL": "postgres://127.0.0.1:1/x"}, "JWT_SECRET"},
		{"unreachable database", []string{"migrate"}, map[string]string{"DATABASE_URL": "postgres://127.0.0.1:1/x", "JWT_SECRET": strings.Repeat("k", 32)}, "connect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tt.args, func(k string) string { return tt.env[k] }, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestMigrateCommand(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	env := map[string]string{"AUTHORWORKS_DATA_DIR": dir}
	if err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "schema version") {
		t.Fatalf("output = %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "applied 0 migration") {
		t.Fatalf("second migrate output = %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, &out, &out); err != nil || !strings.HasPrefix(out.String(), "authorworks ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
}

func TestSetRoleCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"AUTHORWORKS_DATA_DIR": dir}
	getenv := func(k string) string { return env[k] }
	var out bytes.Buffer
	err := run(context.Background(), []string{"set-role", "nobody@example.com", "admin"}, getenv, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("set-role of a missing account: %v", err)
	}
	if err := run(context.Background(), []string{"set-role", "x"}, getenv, &out, &out); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Fatalf("set-role with one argument: %v", err)
	}
	if err := run(context.Background(), []string{"set-role", "x", "emperor"}, getenv, &out, &out); err == nil || !strings.Contains(err.Error(), "role must be") {
		t.Fatalf("set-role with a bad role: %v", err)
	}
}
