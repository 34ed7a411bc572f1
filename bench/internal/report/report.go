// Package report prints what every benchmark report starts with: the date, the
// toolchain, the machine, its load and the exact command, so that a figure quoted
// later can be traced to the run that produced it.
package report

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"
)

// Ms formats d in milliseconds with two decimals.
func Ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// PrintHeader prints what the figures depend on: the date, the toolchain, the
// server build (as server.BuildInfo describes it), the machine, and the command
// with every flag's effective value, URL passwords redacted.
func PrintHeader(w io.Writer, program, serverBuild string, args []string, fs *flag.FlagSet) {
	fmt.Fprintf(w, "date:       %s\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(w, "go:         %s (benchmark), %s\n", runtime.Version(), serverBuild)
	fmt.Fprintf(w, "GOMAXPROCS: %d (benchmark; the server runs with the Go default too)\n", runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "CPU:        %s, %d logical CPUs\n", cpuModel(), runtime.NumCPU())
	shown := make([]string, len(args))
	for i, a := range args {
		shown[i] = shellQuote(redactArg(a))
	}
	fmt.Fprintf(w, "command:    go run ./bench/%s %s\n", program, strings.Join(shown, " "))
	var eff []string
	fs.VisitAll(func(f *flag.Flag) {
		eff = append(eff, fmt.Sprintf("-%s=%s", f.Name, redactArg(f.Value.String())))
	})
	fmt.Fprintf(w, "flags:      %s\n", strings.Join(eff, " "))
}

// redactArg hides the password of a URL argument, given alone or as -flag=URL.
func redactArg(s string) string {
	if k, v, ok := strings.Cut(s, "="); ok && strings.HasPrefix(k, "-") {
		return k + "=" + redactArg(v)
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain characters,
// so the printed command can be pasted back.
func shellQuote(s string) string {
	plain := func(r rune) bool {
		return r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_@%+=:,./-", r))
	}
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool { return !plain(r) }) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// LoadAvg returns the machine's 1, 5 and 15 minute load averages.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
