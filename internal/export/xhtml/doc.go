// Package xhtml renders documents (document.Doc) as the block markup the EPUB
// and HTML exports share. The markup is polyglot: well-formed XML that is also
// valid HTML5, so one renderer serves the XHTML content documents of an EPUB
// and a standalone HTML page. The package also owns what those two writers
// must agree on: the stylesheet for the classes it writes, the escaping every
// exported string goes through, the language tag declared, and the titles
// shown for untitled books and chapters.
package xhtml
