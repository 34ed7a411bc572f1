package aitest

import (
	"crypto/sha256"
	"fmt"
	"sync"
	"time"
)

// cacheLookback is how many block boundaries before each breakpoint the cache
// checks for an earlier entry, as the Messages API does.
const cacheLookback = 20

// segment is one block of the prompt in cache order: system blocks, then each
// message's blocks.
type segment struct {
	key   [32]byte // hash of the model and every segment up to and including this one
	total int      // tokens up to and including this segment
	cache bool
	ttl   time.Duration
}

// segmentInput is one block before hashing: canon is its serialization without
// cache_control; role and message index (-1 for system blocks) keep "two
// messages" apart from "one message with two blocks".
type segmentInput struct {
	role   string
	msg    int
	canon  []byte
	tokens int
	cache  bool
	ttl    time.Duration
}

// chainSegments hashes each block onto the hash of the model and everything
// before it, so a key names an exact prefix.
func chainSegments(model string, in []segmentInput) []segment {
	prev := sha256.Sum256([]byte("model\x00" + model))
	out := make([]segment, len(in))
	total := 0
	for i, s := range in {
		h := sha256.New()
		h.Write(prev[:])
		fmt.Fprintf(h, "\x00%s\x00%d\x00", s.role, s.msg)
		h.Write(s.canon)
		copy(prev[:], h.Sum(nil))
		total += s.tokens
		out[i] = segment{key: prev, total: total, cache: s.cache, ttl: s.ttl}
	}
	return out
}

// cacheUsage splits a prompt's tokens the way the Messages API reports them.
type cacheUsage struct {
	input, read, write, write1h int
}

type cacheEntry struct {
	expires time.Time
	ttl     time.Duration
}

// promptCache simulates prompt caching: an entry per breakpoint prefix, with a
// TTL refreshed on every hit.
type promptCache struct {
	minTokens int
	mu        sync.Mutex
	entries   map[[32]byte]cacheEntry
}

func newPromptCache(minTokens int) *promptCache {
	return &promptCache{minTokens: minTokens, entries: make(map[[32]byte]cacheEntry)}
}

// account looks the prompt up, writes what it should, and returns the split.
// The longest unexpired cached prefix that ends at a breakpoint, or within
// cacheLookback blocks before one, is read. Every breakpoint after it whose
// prefix reaches minTokens is written; the tokens between the read prefix and the
// last written breakpoint are the write, and the rest is uncached input.
func (c *promptCache) account(segs []segment, now time.Time) cacheUsage {
	if len(segs) == 0 {
		return cacheUsage{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()

	hit := -1
	for b := len(segs) - 1; b >= 0 && hit < 0; b-- {
		if !segs[b].cache {
			continue
		}
		for j := b; j >= 0 && j > b-cacheLookback; j-- {
			if c.live(segs[j].key, now) {
				hit = j
				break
			}
		}
	}

	var u cacheUsage
	if hit >= 0 {
		u.read = segs[hit].total
		c.refresh(segs[hit].key, segs[hit], now)
		for j := range hit {
			if segs[j].cache && c.live(segs[j].key, now) {
				c.refresh(segs[j].key, segs[j], now)
			}
		}
	}
	written := u.read
	for b := hit + 1; b < len(segs); b++ {
		s := segs[b]
		if !s.cache || s.total < c.minTokens {
			continue
		}
		c.entries[s.key] = cacheEntry{expires: now.Add(s.ttl), ttl: s.ttl}
		if s.ttl >= time.Hour {
			u.write1h += s.total - written
		}
		u.write += s.total - written
		written = s.total
	}
	u.input = segs[len(segs)-1].total - written
	return u
}

// live reports whether key has an unexpired entry, dropping an expired one.
func (c *promptCache) live(key [32]byte, now time.Time) bool {
	e, ok := c.entries[key]
	if ok && !now.Before(e.expires) {
		delete(c.entries, key)
		return false
	}
	return ok
}

// refresh restarts an entry's TTL, keeping the longer of its own and the marker's.
func (c *promptCache) refresh(key [32]byte, s segment, now time.Time) {
	e := c.entries[key]
	if s.cache && s.ttl > e.ttl {
		e.ttl = s.ttl
	}
	e.expires = now.Add(e.ttl)
	c.entries[key] = e
}
