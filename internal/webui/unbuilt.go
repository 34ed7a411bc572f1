//go:build !webui

package webui

import "io/fs"

// Built returns nil: this binary was built without the webui tag, so it carries
// no web app and serves the placeholder page.
func Built() fs.FS { return nil }
