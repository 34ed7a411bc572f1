package testenv

import (
	"os/exec"
	"testing"
)

// Tool returns the path of an external program a test drives (epubcheck,
// soffice, pdftoppm, pandoc …), or skips the test locally and fails it in CI
// when the program is not installed. .ci/run installs every tool a test asks
// for.
func Tool(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if InCI() {
		tb.Fatalf("%s is not installed: .ci/run must install it", name)
	}
	tb.Skipf("%s not installed; skipping", name)
	return ""
}
