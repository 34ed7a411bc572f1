//go:build linux

package main

import (
	"context"
	"crypto/rand"
	"debug/buildinfo"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// serverPkg is the package the benchmark builds and runs.
const serverPkg = "github.com/authorworks/authorworks/cmd/authorworks"

// buildServer builds serverPkg once into dir and returns the binary's path.
func buildServer(ctx context.Context, dir string, log io.Writer) (string, error) {
	bin := filepath.Join(dir, "authorworks")
	cmd := exec.CommandContext(ctx, "go", "build", "-buildvcs=auto", "-o", bin, serverPkg)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build %s: %w", serverPkg, err)
	}
	return bin, nil
}

// serverBuildInfo says which toolchain and revision built bin: the tree may change
// between runs while others work on it.
func serverBuildInfo(bin string) string {
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		return "server build info unknown: " + err.Error()
	}
	rev, modified := "unknown", ""
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && len(s.Value) >= 12:
			rev = s.Value[:12]
		case s.Key == "vcs.revision":
			rev = s.Value
		case s.Key == "vcs.modified" && s.Value == "true":
			modified = " + uncommitted changes"
		}
	}
	return fmt.Sprintf("%s (server, built from revision %s%s)", info.GoVersion, rev, modified)
}

// server is one running authorworks process.
type server struct {
	cmd     *exec.Cmd
	started time.Time
	output  *tailBuffer
	done    chan struct{} // closed once the process has exited and been reaped
}

// startServer runs "bin serve" with exactly env. The process gets its own process
// group, so a Ctrl-C in the terminal reaches only the benchmark, which then kills
// it; Pdeathsig kills it should the benchmark itself die.
func startServer(bin string, env []string) (*server, error) {
	out := &tailBuffer{max: 64 << 10}
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	s := &server{cmd: cmd, output: out, done: make(chan struct{})}
	s.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		_ = cmd.Wait() // the exit status is read from cmd.ProcessState
		close(s.done)
	}()
	return s, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// waitHealthy polls url every 5 ms until it answers 200 and returns the time since
// the process was started.
func (s *server) waitHealthy(ctx context.Context, url string, timeout time.Duration) (time.Duration, error) {
	client := &http.Client{
		Timeout:       time.Second,
		Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := s.started.Add(timeout)
	for {
		var last string
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return 0, err
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(s.started), nil
			}
			last = "HTTP " + strconv.Itoa(resp.StatusCode)
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("GET /health: not 200 within %s (last: %s)", timeout, last)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-s.done:
			return 0, fmt.Errorf("server exited before it was healthy: %s", s.cmd.ProcessState)
		case <-tick.C:
		}
	}
}

// rss returns the process's resident set size (VmRSS) in MiB.
func (s *server) rss() (float64, error) {
	if s.exited() {
		return 0, fmt.Errorf("server exited: %s", s.cmd.ProcessState)
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid()))
	if err != nil {
		return 0, fmt.Errorf("read RSS: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		v, ok := strings.CutPrefix(line, "VmRSS:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
		if err != nil {
			return 0, fmt.Errorf("read RSS: parse %q: %w", line, err)
		}
		return kb / 1024, nil
	}
	return 0, fmt.Errorf("read RSS: no VmRSS in /proc/%d/status", s.pid())
}

// stopResult is how the server answered SIGTERM.
type stopResult struct {
	state string // the process's exit, as os.ProcessState prints it
	code  int    // exit code; -1 when killed by a signal or still running
	took  time.Duration
	err   error // set when the signal could not be sent or the process outlived the timeout
}

func (r stopResult) clean() bool { return r.err == nil && r.code == 0 }

func (r stopResult) String() string {
	if r.err != nil {
		return r.err.Error()
	}
	return fmt.Sprintf("%s after %s ms", r.state, ms(r.took))
}

// stop sends SIGTERM and waits up to timeout for the process to exit.
func (s *server) stop(timeout time.Duration) stopResult {
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return stopResult{code: -1, err: fmt.Errorf("send SIGTERM: %w", err)}
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-s.done:
		return stopResult{state: s.cmd.ProcessState.String(), code: s.cmd.ProcessState.ExitCode(), took: time.Since(start)}
	case <-t.C:
		return stopResult{code: -1, err: fmt.Errorf("still running %s after SIGTERM (killed)", timeout)}
	}
}

// kill kills the process unless it has exited, and reaps it.
func (s *server) kill() {
	if s.exited() {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
}

// tailBuffer keeps the last max bytes written to it: the server's log, shown when
// something goes wrong.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) tail() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.b))
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails: crypto/rand crashes the program instead
	return b
}

func randomHex(n int) string { return hex.EncodeToString(randomBytes(n)) }

// randomToken returns n random bytes as base64url, 4/3 n characters long.
func randomToken(n int) string { return base64.RawURLEncoding.EncodeToString(randomBytes(n)) }
