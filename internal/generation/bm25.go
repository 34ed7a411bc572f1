package generation

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// BM25 parameters: the usual values.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// passage is a run of consecutive paragraphs of earlier text, the unit that
// retrieval returns.
type passage struct {
	Where string   // "chapter 3, scene 2"
	ID    string   // the chapter or scene it comes from
	paras []string // its paragraphs, trimmed
	tf    []int32  // occurrences of each query term
	len   int      // terms in the passage
}

// text is the passage as a prompt shows it: its paragraphs, a blank line apart.
func (p *passage) text() string { return strings.Join(p.paras, "\n\n") }

// index is a BM25 index over passages for one query. Only the query's terms are
// counted: a prompt asks one question of the text before it, so an index of
// every term would be built to be read once.
type index struct {
	passages []*passage
	query    []string // the query's distinct terms, sorted
	df       []int    // passages holding each query term
	avgLen   float64
}

// newIndex indexes ps for the terms of query.
func newIndex(ps []*passage, query string) *index {
	// The query's distinct terms in a fixed order: floating-point sums depend
	// on the order of their terms, and map order is random.
	q := terms(query)
	slices.Sort(q)
	q = slices.Compact(q)
	ix := &index{passages: ps, query: q, df: make([]int, len(q))}
	pos := make(map[string]int, len(q))
	for i, t := range q {
		pos[t] = i
	}
	total := 0
	for _, p := range ps {
		p.tf, p.len = make([]int32, len(q)), 0
		for _, para := range p.paras {
			eachTerm(para, func(t []byte) {
				p.len++
				if i, ok := pos[string(t)]; ok {
					p.tf[i]++
				}
			})
		}
		for i, n := range p.tf {
			if n > 0 {
				ix.df[i]++
			}
		}
		total += p.len
	}
	if len(ps) > 0 {
		ix.avgLen = float64(total) / float64(len(ps))
	}
	return ix
}

type scored struct {
	p     *passage
	score float64
}

// search returns the passages matching the query best first, at most k, each
// with a positive score. Ties keep text order, so results are deterministic.
func (ix *index) search(k int) []scored {
	if len(ix.query) == 0 || len(ix.passages) == 0 {
		return nil
	}
	n := float64(len(ix.passages))
	idf := make([]float64, len(ix.query))
	for i, df := range ix.df {
		idf[i] = math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
	}
	var out []scored
	for _, p := range ix.passages {
		s := 0.0
		for i, tf := range p.tf {
			if tf == 0 {
				continue
			}
			f := float64(tf)
			s += idf[i] * f * (bm25K1 + 1) / (f + bm25K1*(1-bm25B+bm25B*float64(p.len)/ix.avgLen))
		}
		if s > 0 {
			out = append(out, scored{p, s})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	if len(out) > k {
		out = out[:k]
	}
	return out
}

// terms splits text into lower-case words without stop words, with a light
// plural folding so "wardens" finds "warden".
func terms(text string) []string {
	var out []string
	eachTerm(text, func(t []byte) { out = append(out, string(t)) })
	return out
}

// eachTerm calls fn with each term of text, as terms returns them. The slice
// is reused: fn must not keep it.
func eachTerm(text string, fn func(term []byte)) {
	var buf []byte
	for i := 0; i < len(text); {
		// Skip to the next letter or digit.
		if c := text[i]; c < utf8.RuneSelf {
			if !isASCIIWordByte(c) {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(text[i:]); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += size
			continue
		}
		buf = buf[:0]
		for i < len(text) {
			c := text[i]
			if c < utf8.RuneSelf {
				if !isASCIIWordByte(c) {
					break
				}
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf = append(buf, c)
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
			i += size
		}
		if len(buf) < 2 || stopWords[string(buf)] {
			continue
		}
		if n := len(buf); n > 4 && buf[n-1] == 's' && buf[n-2] != 's' {
			buf = buf[:n-1]
		}
		fn(buf)
	}
}

func isASCIIWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be been but by did do does for from had has have he her
		hers him his i if in into is it its me my no not of on or our she so than that the their them then there
		these they this those to too up us was we were what when where which while who whom why will with would
		you your all any can could into just more most must out over own same should some such only very`) {
		m[w] = true
	}
	return m
}()

// splitPassages cuts text into passages of about target words, at paragraph
// boundaries.
func splitPassages(where, id, text string, target int) []*passage {
	var out []*passage
	var cur []string
	words := 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, &passage{Where: where, ID: id, paras: cur})
		}
		cur, words = nil, 0
	}
	for para := range strings.SplitSeq(text, "\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		cur = append(cur, para)
		words += countWords(para)
		if words >= target {
			flush()
		}
	}
	flush()
	return out
}

// countWords counts the words of s as strings.Fields splits them.
func countWords(s string) int {
	n := 0
	in := false
	for i := 0; i < len(s); {
		var space bool
		if c := s[i]; c < utf8.RuneSelf {
			space = c == ' ' || '\t' <= c && c <= '\r'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if space {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}
