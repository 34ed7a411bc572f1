package epub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/export/xhtml/xhtmltest"
	"github.com/authorworks/authorworks/internal/testenv"
)

// TestEPUBCheck validates generated books with EPUBCheck (Debian package
// epubcheck, 4.2.6) and requires zero fatal errors, errors and warnings. Each
// run starts a JVM and takes about five seconds, so the books run in
// parallel. Locally the test skips when epubcheck is missing; in CI it fails.
func TestEPUBCheck(t *testing.T) {
	books := map[string]func(testing.TB) *export.Book{
		"novel with PNG cover": novelWithCover,
		"screenplay":           func(testing.TB) *export.Book { return exporttest.Screenplay() },
		"play":                 func(testing.TB) *export.Book { return exporttest.Play() },
		"synthetic 20000 words": func(testing.TB) *export.Book {
			return exporttest.Synthetic(20_000, 10)
		},
		"kitchen sink": xhtmltest.KitchenSink,
	}
	command := epubcheckCommand(t)
	for name, book := range books {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			epubcheck(t, command, write(t, book(t)))
		})
	}
}

// epubcheckCommand returns the command line that runs EPUBCheck. Debian
// installs /usr/bin/epubcheck as a link to the jar, which runs directly only
// where binfmt_misc knows jars, so a jar is run with java -jar. A check is a
// few seconds of work, which the JVM's optimising compiler and parallel GC
// only slow down: with C1 only and the serial GC it runs 3–4 times faster
// (7 s instead of 24–35 s on a loaded 2-core machine) in two thirds of the
// memory.
func epubcheckCommand(t *testing.T) []string {
	t.Helper()
	path := testenv.Tool(t, "epubcheck")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	magic := make([]byte, 4)
	if _, err := f.Read(magic); err == nil && string(magic) == "PK\x03\x04" {
		return []string{testenv.Tool(t, "java"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", path}
	}
	return []string{path}
}

// epubcheckReport is the part of EPUBCheck's JSON report the test reads.
type epubcheckReport struct {
	Checker struct {
		Version  string `json:"checkerVersion"`
		NFatal   int    `json:"nFatal"`
		NError   int    `json:"nError"`
		NWarning int    `json:"nWarning"`
	} `json:"checker"`
	Messages []struct {
		ID        string `json:"ID"`
		Severity  string `json:"severity"`
		Message   string `json:"message"`
		Locations []struct {
			Path   string `json:"path"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"locations"`
	} `json:"messages"`
}

// epubcheck runs EPUBCheck on an EPUB and fails the test on any fatal error,
// error or warning, listing them; the exit status (with --failonwarnings) and
// the JSON report must agree.
func epubcheck(t *testing.T, command []string, data []byte) {
	t.Helper()
	dir := t.TempDir()
	book := filepath.Join(dir, "book.epub")
	report := filepath.Join(dir, "report.json")
	if err := os.WriteFile(book, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	args := append(command[1:len(command):len(command)], book, "--json", report, "--failonwarnings")
	cmd := exec.CommandContext(ctx, command[0], args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	runErr := cmd.Run()
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("epubcheck wrote no report (%v): %v\n%s", runErr, err, out.String())
	}
	var r epubcheckReport
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("epubcheck report: %v", err)
	}
	var problems []string
	for _, m := range r.Messages {
		switch m.Severity {
		case "FATAL", "ERROR", "WARNING":
			where := ""
			if len(m.Locations) > 0 {
				l := m.Locations[0]
				where = fmt.Sprintf(" at %s:%d:%d", l.Path, l.Line, l.Column)
			}
			problems = append(problems, fmt.Sprintf("%s(%s)%s: %s", m.Severity, m.ID, where, m.Message))
		}
	}
	c := r.Checker
	if n := c.NFatal + c.NError + c.NWarning; n > 0 || len(problems) > 0 || runErr != nil {
		t.Fatalf("epubcheck %s: %d fatal, %d errors, %d warnings (exit: %v)\n%s\n%s",
			c.Version, c.NFatal, c.NError, c.NWarning, runErr, strings.Join(problems, "\n"), out.String())
	}
	t.Logf("epubcheck %s: 0 errors, 0 warnings on %d bytes in %v", c.Version, len(data), time.Since(start).Round(time.Millisecond))
}
