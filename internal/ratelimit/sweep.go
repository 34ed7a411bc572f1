package ratelimit

// minSweep is the fewest writes between two sweeps of an in-process map, so that
// a nearly empty map is not walked on every write.
const minSweep = 128

// sweeper schedules the walks that drop expired entries from an in-process map
// without a background goroutine: a walk is due once the writes since the last
// one reach the number of entries that walk kept (at least minSweep). A walk thus
// costs amortized O(1) per write, and expired entries never outnumber the live
// ones by more than one period's writes.
type sweeper struct {
	writes, due int
}

func newSweeper() sweeper { return sweeper{due: minSweep} }

// tick records one write and reports whether a walk is due.
func (s *sweeper) tick() bool {
	s.writes++
	return s.writes >= s.due
}

// swept records a finished walk that kept live entries.
func (s *sweeper) swept(live int) {
	s.writes = 0
	s.due = max(live, minSweep)
}
