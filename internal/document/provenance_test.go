package document

import "testing"

func TestProvenanceCountsMarkedWords(t *testing.T) {
	d, err := FromMarkdown("The storm broke at dawn.\n\nShe ran *fast* to the harbour.")
	if err != nil {
		t.Fatal(err)
	}
	ai := d[1:]
	ai.MarkAI("gen-1")
	got := d.Provenance()
	if got[""] != 5 || got["gen-1"] != 6 {
		t.Errorf("Provenance() = %v, want 5 human words and 6 by gen-1", got)
	}
	if total := got[""] + got["gen-1"]; total != d.WordCount() {
		t.Errorf("provenance totals %d words, WordCount() = %d", total, d.WordCount())
	}
}

func TestProvenanceWordSplitAcrossLeaves(t *testing.T) {
	d := Doc{{Type: Paragraph, Children: []Inline{
		{Leaf: Leaf{Text: "wri"}}, {Leaf: Leaf{Text: "ting well", AI: "g"}},
	}}}
	got := d.Provenance()
	if got[""] != 1 || got["g"] != 1 {
		t.Errorf("Provenance() = %v, want the split word counted once where it starts and one AI word", got)
	}
}
