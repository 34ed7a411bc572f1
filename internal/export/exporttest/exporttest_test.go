package exporttest

import "testing"

func TestFixtures(t *testing.T) {
	if n := Novel(); len(n.Chapters) != 3 || n.WordCount < 150 {
		t.Errorf("novel: %d chapters, %d words", len(n.Chapters), n.WordCount)
	}
	if s := Screenplay(); !s.Script() || len(s.Chapters[0].Doc) < 10 {
		t.Errorf("screenplay has %d blocks", len(s.Chapters[0].Doc))
	}
	if p := Play(); !p.Script() || p.ContentType != "play" {
		t.Errorf("play = %+v", p)
	}
	big := Synthetic(150_000, 40)
	if big.WordCount < 145_000 || big.WordCount > 155_000 || len(big.Chapters) != 40 {
		t.Errorf("synthetic: %d words in %d chapters", big.WordCount, len(big.Chapters))
	}
}
