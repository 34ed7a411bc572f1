//go:build webui

package webui_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/webui"
)

// TestBuiltAppIsEmbedded runs with the webui tag, after `npm run build`: the binary
// must carry index.html and the hashed assets it names.
func TestBuiltAppIsEmbedded(t *testing.T) {
	files := webui.Built()
	if files == nil {
		t.Fatal("Built() = nil with the webui tag")
	}
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		t.Fatalf("read index.html: %v", err)
	}
	assets, err := fs.Glob(files, "assets/*.js")
	if err != nil || len(assets) == 0 {
		t.Fatalf("no scripts under assets/ (err %v)", err)
	}
	for _, a := range assets {
		if strings.Contains(string(index), "/"+a) {
			return
		}
	}
	t.Errorf("index.html names none of the scripts %v", assets)
}
