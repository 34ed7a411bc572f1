package xhtml

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed book.css
var stylesheet string

// Stylesheet returns the CSS for the markup AppendDoc writes: a serif book
// page for prose and a Courier script page under the body classes BodyClass
// gives. It holds no '<' or '&', so it can be embedded in a <style> element of
// a polyglot page.
func Stylesheet() string { return stylesheet }

// BodyClass returns the class of the <body> element for a book of the given
// content type (novel, screenplay, play, graphic_novel), which selects the
// prose or script rules of the stylesheet.
func BodyClass(contentType string) string {
	switch contentType {
	case "screenplay":
		return "script screenplay"
	case "play":
		return "script play"
	}
	return "prose"
}

// Language returns the language tag to declare for a book: tag itself when it
// is a well-formed BCP 47 tag (checked for shape, not against the registry),
// "und" (undetermined) when it is empty, and an error otherwise.
func Language(tag string) (string, error) {
	if tag == "" {
		return "und", nil
	}
	for i, sub := range strings.Split(tag, "-") {
		ok := len(sub) >= 1 && len(sub) <= 8 && (i > 0 || len(sub) >= 2)
		for j := 0; ok && j < len(sub); j++ {
			c := sub[j]
			ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9'
		}
		if !ok {
			return "", fmt.Errorf("language %q is not a BCP 47 language tag", tag)
		}
	}
	return tag, nil
}
