package document

import "strings"

// Normalize returns d in canonical form, leaving d itself unchanged. Within
// each element (block or link) it merges adjacent text leaves that carry the
// same marks and the same provenance (ai), drops empty leaves when the element
// has other content, and keeps at least one leaf (the first, when all are
// empty). Void blocks (scene_break, img, page_break) get exactly one empty
// leaf. Leaves with different ai values are never merged, so provenance
// survives normalisation.
//
// Parse returns normalised documents. Note that Slate keeps an empty text leaf
// on each side of a link; Normalize drops those and the editor restores them
// when it loads the document.
func (d Doc) Normalize() Doc {
	out := make(Doc, len(d))
	for i, b := range d {
		if isVoid(b.Type) {
			b.Children = []Inline{{}}
		} else {
			b.Children = normalizeInlines(b.Children)
		}
		out[i] = b
	}
	return out
}

func normalizeInlines(in []Inline) []Inline {
	content := false
	for _, c := range in {
		if c.Link != nil || c.Leaf.Text != "" {
			content = true
			break
		}
	}
	if !content {
		if len(in) == 0 {
			return []Inline{{}}
		}
		return []Inline{{Leaf: in[0].Leaf}}
	}
	out := make([]Inline, 0, len(in))
	start := 0
	flush := func(end int) {
		run := make([]Leaf, 0, end-start)
		for _, c := range in[start:end] {
			run = append(run, c.Leaf)
		}
		for _, lf := range mergeLeaves(run) {
			out = append(out, Inline{Leaf: lf})
		}
	}
	for i, c := range in {
		if c.Link == nil {
			continue
		}
		flush(i)
		start = i + 1
		lk := *c.Link
		lk.Children = normalizeLeaves(lk.Children)
		out = append(out, Inline{Link: &lk})
	}
	flush(len(in))
	return out
}

func normalizeLeaves(in []Leaf) []Leaf {
	out := mergeLeaves(in)
	if len(out) == 0 {
		if len(in) == 0 {
			return []Leaf{{}}
		}
		return []Leaf{in[0]}
	}
	return out
}

// mergeLeaves drops empty leaves and joins runs of adjacent leaves with the
// same marks.
func mergeLeaves(in []Leaf) []Leaf {
	out := make([]Leaf, 0, len(in))
	for i := 0; i < len(in); {
		if in[i].Text == "" {
			i++
			continue
		}
		j := i + 1
		n := len(in[i].Text)
		for j < len(in) && (in[j].Text == "" || sameMarks(in[i], in[j])) {
			n += len(in[j].Text)
			j++
		}
		lf := in[i]
		if n != len(lf.Text) {
			var b strings.Builder
			b.Grow(n)
			for _, x := range in[i:j] {
				b.WriteString(x.Text)
			}
			lf.Text = b.String()
		}
		out = append(out, lf)
		i = j
	}
	return out
}
