//go:build webui

// Package web holds the built web app for binaries built with the webui tag.
// `npm run build` writes it to web/dist; without that directory a webui build
// fails ("pattern dist: no matching files found"), and a build without the tag
// does not need it.
package web

import "embed"

// Dist holds dist/index.html, dist/assets/ (hashed names) and the files of public/.
//
//go:embed dist
var Dist embed.FS
