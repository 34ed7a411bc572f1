//go:build webui

package webui

import (
	"io/fs"

	"github.com/authorworks/authorworks/web"
)

// Built returns the web app built into this binary (the webui build tag).
func Built() fs.FS {
	sub, err := fs.Sub(web.Dist, "dist")
	if err != nil {
		return nil // cannot happen: "dist" is a valid path
	}
	return sub
}
