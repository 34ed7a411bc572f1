//go:build linux

// Package server builds the authorworks binary and runs it, or any other server
// program, as a subprocess for the benchmarks: start it on 127.0.0.1, wait until it
// is healthy, read its resident memory, stop it with SIGTERM and kill it whatever
// happens.
//
// It runs on Linux only: it reads resident memory from /proc and ties the child's
// life to the benchmark's with Pdeathsig, so no server outlives the benchmark.
package server

import (
	"context"
	"debug/buildinfo"
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

	"github.com/authorworks/authorworks/bench/internal/report"
)

// Pkg is the package the benchmarks build and run.
const Pkg = "github.com/authorworks/authorworks/cmd/authorworks"

// Build builds Pkg once into dir, passing flags to go build before the package,
// and returns the binary's path.
func Build(ctx context.Context, dir string, flags []string, log io.Writer) (string, error) {
	bin := filepath.Join(dir, "authorworks")
	args := append([]string{"build", "-buildvcs=auto", "-o", bin}, flags...)
	cmd := exec.CommandContext(ctx, "go", append(args, Pkg)...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build %s: %w", Pkg, err)
	}
	return bin, nil
}

// BuildInfo says which toolchain and revision built bin: the tree may change
// between runs while others work on it.
func BuildInfo(bin string) string {
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

// Process is one running server.
type Process struct {
	cmd     *exec.Cmd
	started time.Time
	output  *tailBuffer
	done    chan struct{} // closed once the process has exited and been reaped
}

// Start runs bin with args and exactly env. The process gets its own process
// group, so a Ctrl-C in the terminal reaches only the benchmark, which then kills
// it; Pdeathsig kills it should the benchmark itself die.
func Start(bin string, args, env []string) (*Process, error) {
	out := &tailBuffer{max: 64 << 10}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p := &Process{cmd: cmd, output: out, done: make(chan struct{})}
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		_ = cmd.Wait() // the exit status is read from cmd.ProcessState
		close(p.done)
	}()
	return p, nil
}

// PID returns the process id.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Done is closed once the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// ExitState describes how the process exited; call it after Done is closed.
func (p *Process) ExitState() string { return p.cmd.ProcessState.String() }

// Output returns the last 64 KiB the process wrote to stdout and stderr.
func (p *Process) Output() string { return p.output.tail() }

// Signal sends sig to the process.
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

func (p *Process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// WaitHealthy polls url every 5 ms until it answers 200 and returns the time since
// the process was started.
func (p *Process) WaitHealthy(ctx context.Context, url string, timeout time.Duration) (time.Duration, error) {
	client := &http.Client{
		Timeout:       time.Second,
		Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := p.started.Add(timeout)
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
				return time.Since(p.started), nil
			}
			last = "HTTP " + strconv.Itoa(resp.StatusCode)
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("GET %s: not 200 within %s (last: %s)", req.URL.Path, timeout, last)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-p.done:
			return 0, fmt.Errorf("server exited before it was healthy: %s", p.cmd.ProcessState)
		case <-tick.C:
		}
	}
}

// RSS returns the process's resident set size (VmRSS) in MiB.
func (p *Process) RSS() (float64, error) {
	if p.exited() {
		return 0, fmt.Errorf("server exited: %s", p.cmd.ProcessState)
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.PID()))
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
	return 0, fmt.Errorf("read RSS: no VmRSS in /proc/%d/status", p.PID())
}

// StopResult is how the process answered SIGTERM.
type StopResult struct {
	State string // the process's exit, as os.ProcessState prints it
	Code  int    // exit code; -1 when killed by a signal or still running
	Took  time.Duration
	Err   error // set when the signal could not be sent or the process outlived the timeout
}

// Clean reports whether the process exited with code 0 in time.
func (r StopResult) Clean() bool { return r.Err == nil && r.Code == 0 }

func (r StopResult) String() string {
	if r.Err != nil {
		return r.Err.Error()
	}
	return fmt.Sprintf("%s after %s ms", r.State, report.Ms(r.Took))
}

// Stop sends SIGTERM and waits up to timeout for the process to exit.
func (p *Process) Stop(timeout time.Duration) StopResult {
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return StopResult{Code: -1, Err: fmt.Errorf("send SIGTERM: %w", err)}
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-p.done:
		return StopResult{State: p.cmd.ProcessState.String(), Code: p.cmd.ProcessState.ExitCode(), Took: time.Since(start)}
	case <-t.C:
		return StopResult{Code: -1, Err: fmt.Errorf("still running %s after SIGTERM (killed)", timeout)}
	}
}

// Kill kills the process unless it has exited, and reaps it.
func (p *Process) Kill() {
	if p.exited() {
		return
	}
	_ = p.cmd.Process.Kill()
	<-p.done
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

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
