package script

import (
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
)

// scriptDoc joins the chapters' documents into one, each chapter opening with
// its title as a heading block of type heading (a section for screenplays,
// which is not printed; an act heading for plays) unless it already opens
// with one.
func scriptDoc(b *export.Book, heading document.BlockType) document.Doc {
	n := 0
	for _, c := range b.Chapters {
		n += len(c.Doc) + 1
	}
	d := make(document.Doc, 0, n)
	for _, c := range b.Chapters {
		title := strings.TrimSpace(c.Title)
		opens := len(c.Doc) > 0 && (c.Doc[0].Type == document.Section || c.Doc[0].Type == document.ActHeading)
		if title != "" && !opens {
			h := document.Block{Type: heading, Children: []document.Inline{document.Text(title)}}
			if heading == document.Section {
				h.Depth = 1
			}
			d = append(d, h)
		}
		d = append(d, c.Doc...)
	}
	return d
}

// layout lays the book out in format f: a title page, then the script's
// pages numbered from the second ("2."), the first left unnumbered.
func (f *format) layout(b *export.Book) []page {
	heading := document.Section
	if f.actNewPage {
		heading = document.ActHeading
	}
	body := paginate(f.units(scriptDoc(b, heading)), linesPerPage)
	for i := range body {
		if i > 0 {
			body[i].number = i + 1
		}
	}
	return append([]page{f.titlePage(b)}, body...)
}

// titlePage lays out the title page: the title in capitals a third of the
// way down, centred, with the credit and the author under it; the writer's
// contact block at the foot on the left and the draft date on the right.
func (f *format) titlePage(b *export.Book) page {
	rows := make([]row, linesPerPage)
	center := f.el[kTitle]
	r := 17
	put := func(t text, e elemFormat) {
		for _, l := range wrap(t, e.width) {
			if r < len(rows) && len(l) > 0 {
				rows[r] = append(rows[r], seg{kind: kTitle, col: e.place(len(l)), text: l})
			}
			r++
		}
	}
	title := strings.TrimSpace(b.Title)
	if title == "" {
		title = "Untitled"
	}
	put(upper(plain(title, 0)), center)
	if s := strings.TrimSpace(b.Subtitle); s != "" {
		put(plain(s, 0), center)
	}
	r++
	put(plain(f.credit, 0), center)
	r++
	put(plain(strings.TrimSpace(b.Author), 0), center)

	contact := contactLines(b)
	left := elemFormat{col: leftCol, width: 40}
	r = len(rows) - len(contact)
	for _, l := range contact {
		put(plain(l, 0), left)
	}
	if date := draftDate(b); date != "" {
		right := elemFormat{col: leftCol, width: 60, align: alignRight}
		last := &rows[len(rows)-1]
		*last = append(*last, seg{kind: kTitle, col: right.place(len([]rune(date))), text: plain(date, 0)})
	}
	return page{rows: rows}
}

// contactLines is the writer's contact block: name, address, phone, email.
func contactLines(b *export.Book) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	name := b.Contact.Name
	if name == "" {
		name = b.Author
	}
	add(name)
	for _, a := range b.Contact.Address {
		add(a)
	}
	add(b.Contact.Phone)
	add(b.Contact.Email)
	return out
}

// draftDate is the date of the draft: when the story last changed.
func draftDate(b *export.Book) string {
	if b.Modified.IsZero() {
		return ""
	}
	return b.Modified.UTC().Format("January 2, 2006")
}
