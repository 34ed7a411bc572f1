//go:build linux

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/authorworks/authorworks/bench/internal/server"
)

// profileEnv names the variable that turns the profiling hook on in the server
// and gives the path its profiles are written to (<path>.<n>.pprof).
const profileEnv = "AUTHORWORKS_BENCH_CPUPROFILE"

// profileHook is added to package main of cmd/authorworks for -cpuprofile, with
// go build -overlay, so the source tree stays as it is. SIGUSR1 starts a CPU
// profile, SIGUSR2 stops it; the file appears under its final name only when it
// is complete.
const profileHook = `package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func init() {
	prefix := os.Getenv("` + profileEnv + `")
	if prefix == "" {
		return
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1, syscall.SIGUSR2)
	go func() {
		var (
			f *os.File
			n int
		)
		for s := range sig {
			switch {
			case s == syscall.SIGUSR1 && f == nil:
				n++
				var err error
				if f, err = os.Create(fmt.Sprintf("%s.%d.tmp", prefix, n)); err != nil {
					fmt.Fprintln(os.Stderr, "cpuprofile:", err)
					continue
				}
				if err := pprof.StartCPUProfile(f); err != nil {
					fmt.Fprintln(os.Stderr, "cpuprofile:", err)
				}
			case s == syscall.SIGUSR2 && f != nil:
				pprof.StopCPUProfile()
				if err := f.Close(); err != nil {
					fmt.Fprintln(os.Stderr, "cpuprofile:", err)
				}
				f = nil
				if err := os.Rename(fmt.Sprintf("%s.%d.tmp", prefix, n), fmt.Sprintf("%s.%d.pprof", prefix, n)); err != nil {
					fmt.Fprintln(os.Stderr, "cpuprofile:", err)
				}
			}
		}
	}()
}
`

// profileBuildFlags writes the hook and an overlay that adds it to the server's
// package main into dir, and returns the go build flags that use them.
func profileBuildFlags(ctx context.Context, dir string) ([]string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-f", "{{.Dir}}", server.Pkg).Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %w", server.Pkg, err)
	}
	hook := filepath.Join(dir, "cpuprofile_hook.go")
	if err := os.WriteFile(hook, []byte(profileHook), 0o600); err != nil {
		return nil, err
	}
	overlay, err := json.Marshal(map[string]map[string]string{
		"Replace": {filepath.Join(strings.TrimSpace(string(out)), "zz_bench_cpuprofile.go"): hook},
	})
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(path, overlay, 0o600); err != nil {
		return nil, err
	}
	return []string{"-overlay=" + path}, nil
}

// profiler takes CPU profiles of one server process built with the hook, one per
// measured phase, and moves them to dir.
type profiler struct {
	proc    *server.Process
	prefix  string // the server's profileEnv
	dir     string
	n       int      // profiles started
	written []string // the profiles moved to dir
}

// start starts a profile.
func (p *profiler) start() error {
	p.n++
	if err := p.proc.Signal(syscall.SIGUSR1); err != nil {
		return fmt.Errorf("start CPU profile: %w", err)
	}
	return nil
}

// stop stops the profile and moves it to <dir>/<name>.pprof, waiting up to 10 s
// for the server to write it.
func (p *profiler) stop(name string) (string, error) {
	if err := p.proc.Signal(syscall.SIGUSR2); err != nil {
		return "", fmt.Errorf("stop CPU profile: %w", err)
	}
	src := p.prefix + "." + strconv.Itoa(p.n) + ".pprof"
	dst := filepath.Join(p.dir, name+".pprof")
	for range 1000 {
		if _, err := os.Stat(src); err == nil {
			if err := os.Rename(src, dst); err != nil {
				return "", err
			}
			p.written = append(p.written, dst)
			return dst, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		time.Sleep(10 * time.Millisecond)
	}
	return "", fmt.Errorf("CPU profile %s not written within 10 s", src)
}
