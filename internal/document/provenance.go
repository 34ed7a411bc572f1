package document

// Provenance counts the words of d by who wrote them: the words of leaves with an
// AI mark, keyed by the generation named, and the words without one under "".
// A word split between an AI leaf and a human one counts where it starts.
func (d Doc) Provenance() map[string]int {
	out := map[string]int{}
	for i := range d {
		b := &d[i]
		if b.Type == SceneBreak || b.Type == PageBreak || b.Type == Image {
			continue
		}
		var c wordCounter
		for _, in := range b.Children {
			leaves := []Leaf{in.Leaf}
			if in.Link != nil {
				leaves = in.Link.Children
			}
			for _, lf := range leaves {
				before := c.n
				c.add(lf.Text)
				if n := c.n - before; n > 0 {
					out[lf.AI] += n
				}
			}
		}
	}
	return out
}

// MarkAI sets the AI mark of every leaf of d to generation, for text a
// generation wrote that is being accepted into a document.
func (d Doc) MarkAI(generation string) {
	for i := range d {
		for j := range d[i].Children {
			in := &d[i].Children[j]
			if in.Link != nil {
				for k := range in.Link.Children {
					in.Link.Children[k].AI = generation
				}
				continue
			}
			in.Leaf.AI = generation
		}
	}
}
